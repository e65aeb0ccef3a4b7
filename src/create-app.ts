import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { AppConfig, LogLevelName } from './config/app-config.js';

/** Nest's JSON body parser would answer malformed or oversized bodies outside our envelope; the webhook reads its own body. */
export const APP_OPTIONS = { bodyParser: false } as const;

const LEVELS_BY_SEVERITY: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** LOG_LEVEL=warn logs warn, error and fatal. */
export function logLevelsFrom(level: LogLevelName): LogLevel[] {
  return LEVELS_BY_SEVERITY.slice(LEVELS_BY_SEVERITY.indexOf(level));
}

/** Settings shared by the real server and the tests' app. */
export function configureApp<T extends INestApplication>(app: T, config: AppConfig): T {
  // Behind a proxy, req.ip (checked against CALLBACK_ALLOWED_IPS) comes from X-Forwarded-For.
  (app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void }).set('trust proxy', config.trustProxy);
  return app;
}

export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { ...APP_OPTIONS, logger: logLevelsFrom(config.logLevel) });
  return configureApp(app, config);
}
