import type { Server } from 'node:http';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { setupOpenApi } from './common/openapi.js';
import type { AppConfig } from './config/app-config.js';
import { loadHttpPlatform, type HttpControls, type HttpPlatform } from './http/http-platform.js';
import { accessLogObserver } from './logging/access-log.js';
import { AppLogger } from './logging/app-logger.js';
import { PINO_LOGGER } from './logging/logging.tokens.js';
import { MetricsService } from './metrics/metrics.service.js';
import { callbackMetricsObserver } from './webhook/callback-metrics.observer.js';
import { CallbackRegistry } from './webhook/commands/callback-registry.js';
import { SdkAppIdGuard } from './webhook/sdk-app-id.guard.js';

/** Nest's body parsers would answer malformed or oversized bodies outside our envelope; the platform reads bodies (src/http). */
export const APP_OPTIONS = { bodyParser: false } as const satisfies NestApplicationOptions;

export { loadHttpPlatform, setupOpenApi };
export type { HttpPlatform };

const controls = new WeakMap<INestApplication, HttpControls>();

/** Settings shared by the real server and the tests' app; call it before app.init(). */
export function configureApp<T extends INestApplication>(app: T, platform: HttpPlatform, config: AppConfig): T {
  controls.set(
    app,
    platform.configure(app, {
      config,
      observers: [accessLogObserver(app.get(PINO_LOGGER)), callbackMetricsObserver(app.get(MetricsService), app.get(CallbackRegistry))],
      // The webhook's guard, once more before the body is read: a refused caller's body is never buffered.
      beforeWebhookBody: app.get(SdkAppIdGuard).check,
    }),
  );
  return app;
}

/** With OPS_PORT: the server for /metrics, /docs* and /health* (main.ts makes it listen). */
export function opsServerOf(app: INestApplication): Server | undefined {
  return controls.get(app)?.opsServer;
}

/** Graceful shutdown: every later answer closes its connection (Tencent keeps connections alive). */
export function closeConnectionsAfterAnswers(app: INestApplication): void {
  controls.get(app)?.closeConnectionsAfterAnswers();
}

/**
 * The service on the platform HTTP_PLATFORM names (Express by default); `rootModule` (importing
 * AppModule) when an app adds its own modules at the root. Type it as the platform's application
 * (`createApp<NestExpressApplication>(config)`) to use the platform's own API.
 */
export async function createApp<T extends INestApplication = INestApplication>(config: AppConfig, rootModule: object = AppModule): Promise<T> {
  const platform = await loadHttpPlatform(config.httpPlatform);
  // A start-up failure reaches main.ts, which says it in one line: Nest would print its stack, and
  // the start-up lines it buffered, in colour (abortOnError, autoFlushLogs), then exit.
  const app = await NestFactory.create<T>(rootModule, platform.createAdapter(config), {
    ...APP_OPTIONS,
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  // Every log line, Nest's own included, through pino: JSON lines (pretty in a terminal).
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  app.get(MetricsService).collectProcessMetrics();
  configureApp(app, platform, config);
  // Swagger UI at /docs, the document at /docs-json (built on first request, with WEBHOOK_PATH
  // applied); after the platform's setup, so that its answers get request ids and log lines too.
  setupOpenApi(app);
  return app;
}
