import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';

/** Nest's JSON body parser would answer malformed or oversized bodies outside our envelope; the webhook reads its own body. */
export const APP_OPTIONS = { bodyParser: false } as const;

/** Settings shared by the real server and the tests' app. */
export function configureApp<T extends INestApplication>(app: T): T {
  app.enableShutdownHooks();
  return app;
}

export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { ...APP_OPTIONS, bufferLogs: false });
  return configureApp(app);
}
