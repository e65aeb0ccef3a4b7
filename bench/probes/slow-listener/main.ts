// The service as an app extends it (README, "Add your own listener"), with one slow listener: on
// every c2c.message.sent it waits SLOW_LISTENER_MS (5000 by default) and writes a line when it
// starts and when it ends (`probe-listener start|done <msgKey> <epoch ms>`), which the
// listener-budget probe counts. Started by that probe instead of dist/main.js.
// The service is loaded from its own build (dist/), as bench/decisions/main.ts does: the listener must
// register with the very module instances the app discovers listeners in.
import 'reflect-metadata';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Injectable, Logger, Module } from '@nestjs/common';
import type { C2CMessageSentEvent } from '../../../src/events/index.js';

type CreateAppModule = typeof import('../../../src/create-app.js');
type AppModuleModule = typeof import('../../../src/app.module.js');
type ConfigModule = typeof import('../../../src/config/app-config.js');
type EventsModule = typeof import('../../../src/events/index.js');

// Compiled to dist/bench/bench/probes/slow-listener/main.js: the service's build is dist/.
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(DIST, path)).href) as Promise<T>;
const SLOW_LISTENER_MS = Number(process.env.SLOW_LISTENER_MS ?? 5000);

async function bootstrap(): Promise<void> {
  const [{ createApp }, { AppModule }, { loadConfig }, { OnDomainEvent }] = await Promise.all([
    load<CreateAppModule>('create-app.js'),
    load<AppModuleModule>('app.module.js'),
    load<ConfigModule>('config/app-config.js'),
    load<EventsModule>('events/index.js'),
  ]);

  class SlowListener {
    async onMessageSent(event: C2CMessageSentEvent): Promise<void> {
      process.stdout.write(`probe-listener start ${event.msgKey} ${Date.now()}\n`);
      await new Promise((done) => setTimeout(done, SLOW_LISTENER_MS));
      process.stdout.write(`probe-listener done ${event.msgKey} ${Date.now()}\n`);
    }
  }
  Injectable()(SlowListener);
  OnDomainEvent('c2c.message.sent')(SlowListener.prototype, 'onMessageSent', Object.getOwnPropertyDescriptor(SlowListener.prototype, 'onMessageSent')!);

  class SlowListenerAppModule {}
  Module({ imports: [AppModule], providers: [SlowListener] })(SlowListenerAppModule);

  const config = loadConfig();
  const app = await createApp(config, SlowListenerAppModule);
  await app.listen(config.port);
  // The start line of dist/main.js: the probe reads the platform (HTTP_PLATFORM) from it.
  new Logger('Bootstrap').log(`Listening on port ${config.port} (${config.httpPlatform}); webhook at POST ${config.webhookPath}; slow listener ${SLOW_LISTENER_MS} ms`);
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Slow-listener service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
