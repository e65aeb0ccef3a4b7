import { createServer, type Server, type ServerOptions } from 'node:http';
import { BadRequestException, PayloadTooLargeException, type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { parse as parseQueryString } from 'fast-querystring';
import secureJson from 'secure-json-parse';
import type { AnsweredRequest, HttpControls, HttpPlatform, HttpSetup } from './http-platform.js';
import { isJsonContentType, requestIdOf, type HttpRequest } from './http-request.js';
import type { AppConfig } from '../config/app-config.js';
import { answerClientError } from './client-errors.js';
import { OpsSplit } from './ops-routes.js';
import { samePath, serverOptionsOf } from './server-settings.js';

// Past the limit, an oversized body is still read up to this many times the limit, so that the 413
// reaches a client that is still sending; beyond that the connection is closed instead.
const DRAIN_LIMIT_FACTOR = 16;

/** Nest on Express (the default): what Nest's documentation, and most middleware, are written for. */
export const expressPlatform: HttpPlatform = {
  name: 'express',

  createAdapter(config: AppConfig): ExpressAdapter {
    return new ExpressAdapterWithServerOptions(serverOptionsOf(config));
  },

  configure(app: INestApplication, { config, observers, beforeWebhookBody }: HttpSetup): HttpControls {
    const express = (app as NestExpressApplication).getHttpAdapter().getInstance();
    // Behind a proxy, req.ip (checked against CALLBACK_ALLOWED_IPS) comes from X-Forwarded-For.
    express.set('trust proxy', config.trustProxy);
    // Express hashes every JSON answer into an ETag (SHA-1), a webhook's OK included, where nothing
    // ever revalidates it; X-Powered-By only tells a scanner what runs here.
    express.set('etag', false);
    express.set('x-powered-by', false);
    // Fastify's query parser, so that both platforms read a query string alike (every parameter:
    // Express' default kept the first 1,000).
    express.set('query parser', parseQueryString);
    const server = app.getHttpServer() as Server;
    server.maxConnections = config.maxConnections;
    server.on('clientError', answerClientError);
    const ops = config.opsListen ? new OpsSplit(serverOptionsOf(config), config.maxConnections, express) : undefined;

    let closing = false;
    // One middleware, first in the stack, does all per-request work: Express' router walks one layer
    // of ours, not three (the router was the largest Express-only cost in the profiles of
    // `npm run bench`; merging the layers gained nothing the bench could tell from its noise).
    express.use((req: Request, res: Response, next: NextFunction) => {
      const started = performance.now();
      const id = requestIdOf(req.headers);
      // Express 5 parses the query string again on every read of req.query: the guard, the pipe,
      // the metrics and the log line each read it. Parse it once.
      const query = req.query as Record<string, unknown>;
      Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
      res.setHeader('X-Request-Id', id);
      if (closing) res.setHeader('Connection', 'close');
      // Routes match WEBHOOK_PATH as Express matches them: any case, one trailing slash.
      const isWebhook = req.method === 'POST' && samePath(req.path, config.webhookPath);
      // 'close' comes once for every response: after 'finish', or when the client left first.
      res.once('close', () => {
        const answered: AnsweredRequest = {
          request: req,
          id,
          method: req.method,
          url: req.originalUrl,
          query,
          statusCode: res.statusCode,
          elapsedMs: performance.now() - started,
          aborted: !res.writableFinished,
          isWebhook,
        };
        for (const observe of observers) observe(answered);
      });
      const misplaced = ops?.refusal(req.method, req.path, req.socket);
      if (misplaced) return next(misplaced);
      // The webhook's body as bytes whatever its Content-Type (it decodes and validates its own);
      // your routes' JSON parsed by the parser Fastify uses (it refuses `__proto__` and
      // `constructor` keys), other types as bytes. Errors go to Nest's exception filters.
      if (isWebhook) {
        try {
          beforeWebhookBody(req as unknown as HttpRequest);
        } catch (error) {
          // Refused on its query and headers: answer without reading the body, and close.
          res.setHeader('Connection', 'close');
          return next(error);
        }
      } else if (!hasBody(req)) {
        return next();
      }
      readBody(req, res, config.bodyLimitBytes).then((body) => {
        try {
          req.body = isWebhook || !isJsonContentType(req.headers['content-type']) ? body : parseJson(body);
        } catch (error) {
          return next(error);
        }
        next();
      }, next);
    });
    return { closeConnectionsAfterAnswers: () => void (closing = true), opsServer: ops?.server };
  },
};

/**
 * Nest's Express adapter creates its server without options; the timeouts need two that Node only
 * takes at creation (connectionsCheckingInterval, and headersTimeout no longer than requestTimeout).
 */
class ExpressAdapterWithServerOptions extends ExpressAdapter {
  constructor(private readonly serverOptions: ServerOptions) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and Nest's own shutdown options are not used by this service: Nest's code path then.
    if (options.httpsOptions || options.return503OnClosing || options.forceCloseConnections) return super.initHttpServer(options);
    this.httpServer = createServer(this.serverOptions, this.getInstance());
  }
}

/**
 * As Fastify decides it: GET and HEAD bodies are not read; otherwise a body is announced by
 * Transfer-Encoding or a Content-Length (so an empty JSON body is refused, as on Fastify).
 */
const hasBody = (req: Request): boolean =>
  req.method !== 'GET' && req.method !== 'HEAD' && (req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined);

function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new BadRequestException("Body cannot be empty when content-type is set to 'application/json'");
  try {
    return secureJson.parse(body.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'");
  }
}

/** The whole body, or a 413 when it is larger than `limit` (read to its end, or up to a bound, to answer cleanly). */
function readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = (): PayloadTooLargeException => new PayloadTooLargeException(`body is larger than ${limit} bytes`);
    const finish = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_LIMIT_FACTOR) {
        finish();
        res.setHeader('Connection', 'close');
        req.pause();
        reject(tooLarge());
      }
    };
    const onEnd = (): void => {
      finish();
      if (size > limit) reject(tooLarge());
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      finish();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
