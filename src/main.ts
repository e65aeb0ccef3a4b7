import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config.js';
import { createApp } from './create-app.js';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config.logLevel);
  // Tencent keeps connections alive: outlive its idle connections rather than race them.
  const server = await app.listen(config.port);
  (server as import('node:http').Server).keepAliveTimeout = 65_000;
  new Logger('Bootstrap').log(`Listening on port ${config.port}; webhook at POST ${config.webhookPath}`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
