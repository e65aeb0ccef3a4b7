// The service as an app extends it, with one trivial "before" handler: it allows every
// C2C.CallbackBeforeSendMsg. The before-callback scenario measures decisions through it.
// The service is loaded from its own build (dist/), not from the copy tsc puts under dist/bench:
// the handler must register with the very module instances the app discovers handlers in.
import 'reflect-metadata';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Injectable, Logger, Module } from '@nestjs/common';

type CreateAppModule = typeof import('../../src/create-app.js');
type AppModuleModule = typeof import('../../src/app.module.js');
type ConfigModule = typeof import('../../src/config/app-config.js');
type DecisionsModule = typeof import('../../src/decisions/index.js');

// Compiled to dist/bench/bench/decisions/main.js: the service's build is dist/.
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(DIST, path)).href) as Promise<T>;

async function bootstrap(): Promise<void> {
  const [{ createApp }, { AppModule }, { loadConfig }, { Decision, OnBeforeCallback }] = await Promise.all([
    load<CreateAppModule>('create-app.js'),
    load<AppModuleModule>('app.module.js'),
    load<ConfigModule>('config/app-config.js'),
    load<DecisionsModule>('decisions/index.js'),
  ]);

  class AllowEveryMessage {
    allow(): ReturnType<typeof Decision.allow> {
      return Decision.allow();
    }
  }
  Injectable()(AllowEveryMessage);
  OnBeforeCallback('C2C.CallbackBeforeSendMsg')(AllowEveryMessage.prototype, 'allow', Object.getOwnPropertyDescriptor(AllowEveryMessage.prototype, 'allow')!);

  class BenchDecisionsAppModule {}
  Module({ imports: [AppModule], providers: [AllowEveryMessage] })(BenchDecisionsAppModule);

  const config = loadConfig();
  const app = await createApp(config, BenchDecisionsAppModule);
  await app.listen(config.port);
  // The start line of dist/main.js: the bench reads the platform (HTTP_PLATFORM) from it.
  new Logger('Bootstrap').log(`Listening on port ${config.port} (${config.httpPlatform}); webhook at POST ${config.webhookPath}`);
  // Exit normally on SIGTERM (node --cpu-prof writes its profile only then).
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Bench service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
