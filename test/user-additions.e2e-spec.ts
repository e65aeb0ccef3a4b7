/**
 * What a team adds to this backend the way Nest's documentation shows it, on the platform this run
 * uses (HTTP_PLATFORM, Express by default; `.ci/run` runs this file on both): security headers, a
 * session cookie, a passport guard, a middleware that passes data to the route, a middleware that
 * refuses. Each answers as the library documents, and every refusal is in the envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Module,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
  type INestApplication,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import request from 'supertest';
import { fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const PLATFORM = process.env.HTTP_PLATFORM ?? 'express';
const PARTNER_SECRET = 'partner-secret-for-tests';
const FAIL = { ActionStatus: 'FAIL', ErrorCode: 1 };

/** passport-http-bearer, as @nestjs/passport's recipe writes it. */
@Injectable()
class PartnerTokenStrategy extends PassportStrategy(BearerStrategy, 'partner') {
  validate(token: string): { partner: string } {
    if (token !== PARTNER_SECRET) throw new UnauthorizedException('unknown partner token');
    return { partner: 'acme' };
  }
}

/** Refuses any request that names a banned client, before any route runs. Node's own types: it runs on both platforms. */
@Injectable()
class BannedClientMiddleware implements NestMiddleware {
  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    if (req.headers['x-client'] === 'banned') throw new ForbiddenException('this client is banned');
    next();
  }
}

/** Node's request carries `ip` on both platforms (on Fastify, @fastify/middie copies it from Fastify's request). */
@Injectable()
class ClientAddressMiddleware implements NestMiddleware {
  use(req: IncomingMessage & { ip?: string }, res: ServerResponse, next: () => void): void {
    res.setHeader('x-client-address', String(req.ip));
    next();
  }
}

@Controller('partner')
class PartnerController {
  @Get('me')
  @UseGuards(AuthGuard('partner'))
  me(@Req() req: { user?: unknown }): unknown {
    return req.user;
  }
}

// ---- Express: what Nest's documentation shows -------------------------------------------------
type ExpressResponse = import('express').Response;
type ExpressRequest = import('express').Request & { session: { visits?: number } };

/** Passes the tenant to the route through res.locals. */
@Injectable()
class TenantMiddleware implements NestMiddleware {
  use(req: ExpressRequest, res: ExpressResponse, next: () => void): void {
    res.locals.tenant = req.header('x-tenant') ?? 'default';
    next();
  }
}

@Controller('express')
class ExpressAdditionsController {
  @Get('tenant')
  tenant(@Res() res: ExpressResponse): void {
    res.status(200).json({ tenant: res.locals.tenant as unknown });
  }

  @Get('visits')
  visits(@Req() req: ExpressRequest): { visits: number } {
    req.session.visits = (req.session.visits ?? 0) + 1;
    return { visits: req.session.visits };
  }
}

@Module({
  imports: [PassportModule],
  controllers: [PartnerController, ExpressAdditionsController],
  providers: [PartnerTokenStrategy],
})
class ExpressAdditionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BannedClientMiddleware, ClientAddressMiddleware, TenantMiddleware).forRoutes('*');
  }
}

async function configureExpress(app: INestApplication): Promise<void> {
  const { default: helmet } = await import('helmet');
  const { default: session } = await import('express-session');
  app.use(helmet());
  app.use(session({ secret: 'session-secret-for-tests', resave: false, saveUninitialized: false }));
}

// ---- Fastify: the same intentions through Fastify's plugins and hooks -------------------------
interface FastifySessionRequest {
  session: { get(key: 'visits'): number | undefined; set(key: 'visits', value: number): void };
  tenant?: string;
}

@Controller('fastify')
class FastifyAdditionsController {
  @Get('tenant')
  tenant(@Req() req: FastifySessionRequest): { tenant: string | undefined } {
    return { tenant: req.tenant };
  }

  @Get('visits')
  visits(@Req() req: FastifySessionRequest): { visits: number } {
    const visits = (req.session.get('visits') ?? 0) + 1;
    req.session.set('visits', visits);
    return { visits };
  }
}

@Module({
  imports: [PassportModule],
  controllers: [PartnerController, FastifyAdditionsController],
  providers: [PartnerTokenStrategy],
})
class FastifyAdditionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BannedClientMiddleware, ClientAddressMiddleware).forRoutes('*');
  }
}

async function configureFastify(app: INestApplication): Promise<void> {
  const { default: helmet } = await import('@fastify/helmet');
  const { default: cookie } = await import('@fastify/cookie');
  const { default: session } = await import('@fastify/session');
  const fastifyApp = app as import('@nestjs/platform-fastify').NestFastifyApplication;
  await fastifyApp.register(helmet);
  await fastifyApp.register(cookie);
  await fastifyApp.register(session, { secret: 'session-secret-for-tests-32-chars-at-least', cookie: { secure: false } });
  // The Fastify way to hand a route per-request data: a hook, and a decorated request.
  const fastify = fastifyApp.getHttpAdapter().getInstance();
  fastify.decorateRequest('tenant', undefined);
  fastify.addHook('onRequest', (req, _reply, done) => {
    (req as unknown as FastifySessionRequest).tenant = typeof req.headers['x-tenant'] === 'string' ? req.headers['x-tenant'] : 'default';
    done();
  });
}

describe(`what users add, on ${PLATFORM}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t =
      PLATFORM === 'fastify'
        ? await createTestApp({ imports: [FastifyAdditionsModule], configure: configureFastify })
        : await createTestApp({ imports: [ExpressAdditionsModule], configure: configureExpress });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('security headers (helmet) on every answer, the webhook and health included', async () => {
    const health = await request(t.server).get('/health/live');
    const webhook = await postCallback(t, fixture('c2c-after-send-msg'));

    for (const answer of [health, webhook]) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
    expect(health.body).toEqual({ status: 'ok' });
    expect(webhook.body).toEqual(OK);
  });

  it('a session cookie that counts visits', async () => {
    const agent = request.agent(t.server);
    const first = await agent.get(`/${PLATFORM}/visits`);
    const second = await agent.get(`/${PLATFORM}/visits`);
    const stranger = await request(t.server).get(`/${PLATFORM}/visits`);

    expect(first.headers['set-cookie']?.[0]).toMatch(/HttpOnly/i);
    expect([first.body, second.body, stranger.body]).toEqual([{ visits: 1 }, { visits: 2 }, { visits: 1 }]);
  });

  it('a passport bearer guard: the partner in, anyone else 401 in the envelope', async () => {
    const partner = await request(t.server).get('/partner/me').set('Authorization', `Bearer ${PARTNER_SECRET}`);
    const wrong = await request(t.server).get('/partner/me').set('Authorization', 'Bearer nope');
    const none = await request(t.server).get('/partner/me');

    expect(partner.status).toBe(200);
    expect(partner.body).toEqual({ partner: 'acme' });
    for (const refused of [wrong, none]) {
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject(FAIL);
    }
  });

  it('per-request data from a middleware (res.locals on Express, a hook on Fastify) reaches the route', async () => {
    const answer = await request(t.server).get(`/${PLATFORM}/tenant`).set('X-Tenant', 'blue');
    const fallback = await request(t.server).get(`/${PLATFORM}/tenant`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ tenant: 'blue' });
    expect(fallback.body).toEqual({ tenant: 'default' });
  });

  it('a middleware reads the client address from req.ip', async () => {
    const answer = await request(t.server).get('/health/live');

    expect(answer.headers['x-client-address']).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('a ForbiddenException thrown by a middleware is a 403 in the envelope, on any route', async () => {
    const health = await request(t.server).get('/health/live').set('X-Client', 'banned');
    const webhook = await postCallback(t, fixture('c2c-after-send-msg')).set('X-Client', 'banned');

    for (const answer of [health, webhook]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ ...FAIL, ErrorInfo: 'this client is banned' });
    }
  });
});
