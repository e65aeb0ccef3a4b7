import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { accessLog } from './logging/access-log.js';
import { AppLogger } from './logging/app-logger.js';
import { PINO_LOGGER } from './logging/logging.tokens.js';
import { setupOpenApi } from './common/openapi.js';
import { MetricsService } from './metrics/metrics.service.js';
import type { AppConfig } from './config/app-config.js';

/** Nest's JSON body parser would answer malformed or oversized bodies outside our envelope; the webhook reads its own body. */
export const APP_OPTIONS = { bodyParser: false } as const;

export { setupOpenApi };

/** Settings shared by the real server and the tests' app. */
export function configureApp<T extends INestApplication>(app: T, config: AppConfig): T {
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void };
  // Behind a proxy, req.ip (checked against CALLBACK_ALLOWED_IPS) comes from X-Forwarded-For.
  express.set('trust proxy', config.trustProxy);
  // Express hashes every JSON answer into an ETag (SHA-1), a webhook's OK included, where nothing
  // ever revalidates it; and X-Powered-By only tells a scanner what runs here.
  express.set('etag', false);
  express.set('x-powered-by', false);
  // First, so that the logged responseTime covers everything after it.
  app.use(accessLog(app.get(PINO_LOGGER)));
  // Express 5 parses the query string again on every read of req.query; the guard, the pipe, the
  // metrics and the log line each read it. Parse it once per request.
  app.use((req: { query: unknown }, _res: unknown, next: () => void) => {
    Object.defineProperty(req, 'query', { value: req.query, writable: true, configurable: true, enumerable: true });
    next();
  });
  return app;
}

/** The service; `rootModule` (importing AppModule) when an app adds its own modules at the root. */
export async function createApp(config: AppConfig, rootModule: object = AppModule): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { ...APP_OPTIONS, bufferLogs: true });
  // Every log line, Nest's own included, through pino: JSON lines (pretty in a terminal).
  app.useLogger(app.get(AppLogger));
  app.get(MetricsService).collectProcessMetrics();
  // Swagger UI at /docs, the document at /docs-json (built on first request, with WEBHOOK_PATH applied).
  setupOpenApi(app);
  return configureApp(app, config);
}
