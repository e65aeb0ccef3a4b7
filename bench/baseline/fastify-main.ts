// A reference beside the baseline: the same bare app on Nest + Fastify (Fastify's JSON body parser
// on), the HTTP stack of the service's postgres-fastify scenario. Not part of the ratios, which the
// issue sets against bare Nest + Express; it shows how far the service is from the least a Nest +
// Fastify app costs (the Fastify scenario's rate over it is reported beside the targets).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaselineModule } from './baseline.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BaselineModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
  // Exit normally on SIGTERM (node --cpu-prof writes its profile only then).
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Fastify reference failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
