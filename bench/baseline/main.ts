// The benchmark's baseline: a bare Nest + Express app (Express' JSON body parser on) whose POST
// /webhook only answers the OK envelope. `npm run bench` measures the real service against it.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BaselineModule } from './baseline.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BaselineModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3100));
  // Exit normally on SIGTERM (node --cpu-prof writes its profile only then).
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Baseline failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
