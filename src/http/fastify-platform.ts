import type { IncomingMessage } from 'node:http';
import { HttpStatus, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '../common/tencent-answer.js';
import type { AppConfig } from '../config/app-config.js';
import { MAX_ID_LENGTH } from '../webhook/dto/validators.js';
import type { AnsweredRequest, HttpControls, HttpPlatform, HttpSetup } from './http-platform.js';
import { isJsonContentType, requestIdOf, type HttpRequest } from './http-request.js';
import { answerClientError } from './client-errors.js';
import { OpsSplit } from './ops-routes.js';
import { samePath, serverOptionsOf } from './server-settings.js';

// A read route's id may be as long as the webhook accepts, percent-encoded: up to 9 characters
// (three UTF-8 bytes) per UTF-16 unit. Fastify's default of 100 answered such reads 414.
const MAX_PARAM_LENGTH = MAX_ID_LENGTH * 9;

/** Nest on Fastify (`HTTP_PLATFORM=fastify`): a third to a half less CPU per callback (README, "Express or Fastify"). */
export const fastifyPlatform: HttpPlatform = {
  name: 'fastify',

  createAdapter(config: AppConfig): FastifyAdapter {
    const serverOptions = serverOptionsOf(config);
    return new FastifyAdapter({
      // Behind a proxy, request.ip (checked against CALLBACK_ALLOWED_IPS) comes from X-Forwarded-For.
      trustProxy: trustProxyOption(config.trustProxy),
      bodyLimit: config.bodyLimitBytes,
      // Node's server options (Fastify passes `http` to createServer), and the two Fastify sets itself.
      http: serverOptions,
      keepAliveTimeout: serverOptions.keepAliveTimeout,
      requestTimeout: config.requestTimeoutMs,
      clientErrorHandler: answerClientError,
      requestIdHeader: false,
      genReqId: (req: IncomingMessage) => requestIdOf(req.headers),
      // The router's own refusals (a malformed percent-encoding in the path) in the envelope too.
      frameworkErrors: (error: { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply) => {
        void reply.code(error.statusCode ?? HttpStatus.BAD_REQUEST).send(failure('the request URL is malformed'));
      },
      // As on Express: a trailing slash and the case of the path make no difference.
      routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: MAX_PARAM_LENGTH },
    });
  },

  configure(app: INestApplication, { config, observers, beforeWebhookBody }: HttpSetup): HttpControls {
    const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
    fastify.server.maxConnections = config.maxConnections;
    const isWebhook = (request: FastifyRequest): boolean =>
      request.method === 'POST' && request.routeOptions.url !== undefined && samePath(request.routeOptions.url, config.webhookPath);
    const ops = config.opsListen
      ? new OpsSplit(serverOptionsOf(config), config.maxConnections, (req, res) => fastify.routing(req, res))
      : undefined;
    let closing = false;
    fastify.addHook('onRequest', (request, reply, done) => {
      void reply.header('X-Request-Id', request.id);
      if (closing) void reply.header('Connection', 'close');
      const misplaced = ops?.refusal(request.method, request.url.split('?', 1)[0]!, request.raw.socket);
      done(misplaced);
    });
    // Before any body is read (onRequest precedes parsing): refused on its query and headers, a
    // webhook request is answered and its connection closed.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (!isWebhook(request)) return done();
      try {
        beforeWebhookBody(request as unknown as HttpRequest);
      } catch (error) {
        void reply.header('Connection', 'close');
        return done(error as Error);
      }
      done();
    });
    registerBodyParser(fastify, isWebhook);
    const notify = (request: FastifyRequest, statusCode: number, elapsedMs: number, aborted: boolean): void => {
      const answered: AnsweredRequest = {
        request,
        id: request.id,
        method: request.method,
        url: request.url,
        query: (request.query ?? {}) as Record<string, unknown>,
        statusCode,
        elapsedMs,
        aborted,
        isWebhook: isWebhook(request),
      };
      for (const observe of observers) observe(answered);
    };
    fastify.addHook('onResponse', (request, reply, done) => {
      notify(request, reply.statusCode, reply.elapsedTime, false);
      done();
    });
    fastify.addHook('onRequestAbort', (request, done) => {
      notify(request, 0, 0, true);
      done();
    });
    return { closeConnectionsAfterAnswers: () => void (closing = true), opsServer: ops?.server };
  },
};

/** TRUST_PROXY as Express reads it: a number trusts that many hops (Fastify would trust none). */
function trustProxyOption(value: AppConfig['trustProxy']): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/**
 * The webhook's bodies are read as bytes, whatever the Content-Type: the webhook decodes and
 * validates its own (strict UTF-8, depth limit, `__proto__` keys dropped), so that every malformed
 * body is answered in the envelope. Other routes (yours) get JSON bodies parsed.
 */
function registerBodyParser(fastify: FastifyInstance, readsBytes: (request: FastifyRequest) => boolean): void {
  // Fastify refuses a malformed Content-Type (415) before any parser runs; these routes ignore it.
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (readsBytes(request)) request.headers['content-type'] = undefined;
    done();
  });
  // Fastify's own JSON parser for the other routes: it refuses `__proto__` and `constructor` keys.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
    if (readsBytes(request) || !isJsonContentType(request.headers['content-type'])) return done(null, body);
    void parseJson(request, body.toString('utf8'), done);
  });
}
