import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { registerAccessLog } from './logging/access-log.js';
import { AppLogger } from './logging/app-logger.js';
import { PINO_LOGGER } from './logging/logging.tokens.js';
import { setupOpenApi } from './common/openapi.js';
import { createHttpAdapter, registerBodyParser } from './http/http-server.js';
import { MetricsService } from './metrics/metrics.service.js';
import { CallbackRegistry } from './webhook/commands/callback-registry.js';
import { registerCallbackMetrics } from './webhook/callback-metrics.hook.js';
import { isWebhookRoute } from './webhook/webhook-route.js';
import type { AppConfig } from './config/app-config.js';

/** Nest's JSON body parser would answer malformed or oversized bodies outside our envelope; see registerBodyParser. */
export const APP_OPTIONS = { bodyParser: false } as const;

export { createHttpAdapter, setupOpenApi };

/** Settings shared by the real server and the tests' app; call it before app.init(). */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('callbackReport', null);
  registerBodyParser(fastify, isWebhookRoute);
  registerAccessLog(fastify, app.get(PINO_LOGGER));
  registerCallbackMetrics(fastify, app.get(MetricsService), app.get(CallbackRegistry));
  return app;
}

/** The service; `rootModule` (importing AppModule) when an app adds its own modules at the root. */
export async function createApp(config: AppConfig, rootModule: object = AppModule): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, createHttpAdapter(config), { ...APP_OPTIONS, bufferLogs: true });
  // Every log line, Nest's own included, through pino: JSON lines (pretty in a terminal).
  app.useLogger(app.get(AppLogger));
  app.get(MetricsService).collectProcessMetrics();
  // Swagger UI at /docs, the document at /docs-json (built on first request, with WEBHOOK_PATH applied).
  setupOpenApi(app);
  return configureApp(app);
}
