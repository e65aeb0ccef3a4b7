import type { Server } from 'node:http';
import { Injectable, type DynamicModule, type ForwardReference, type INestApplication, type Type } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { APP_OPTIONS, configureApp, setupOpenApi } from '../../src/create-app.js';
import { DATABASE_CONNECTION, type Database, type DatabaseConnection } from '../../src/database/database.types.js';
import type { DomainEventMap, DomainEventName } from '../../src/events/domain-events.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_SDKAPPID = '1400000000';
export const TEST_API_TOKEN = 'test-api-token';

export interface RecordedEvent<K extends DomainEventName = DomainEventName> {
  name: K;
  payload: DomainEventMap[K];
}

/** Records every domain event the app emits, in order. */
@Injectable()
export class EventRecorder {
  readonly events: RecordedEvent[] = [];

  constructor(emitter: EventEmitter2) {
    emitter.onAny((name: string | string[], payload: unknown) => {
      this.events.push({ name: name as DomainEventName, payload } as RecordedEvent);
    });
  }

  of<K extends DomainEventName>(name: K): DomainEventMap[K][] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as DomainEventMap[K]);
  }

  clear(): void {
    this.events.length = 0;
  }
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults (SDKAPPID, API_TOKEN). */
  env?: Record<string, string | undefined>;
  /** Extra modules, as a user of the project would add them to AppModule. */
  imports?: (Type | DynamicModule | ForwardReference)[];
  /**
   * A database to open for this app instead of a new one. On PostgreSQL, apps given the same one
   * share its data; on PGlite each open() starts again from the migrated template (for state across
   * a restart use realDatabaseModule with DATA_DIR, as test/restart.e2e-spec.ts does).
   */
  database?: TestDatabase;
  /** Open the database through the app's own DatabaseModule from env (DATA_DIR / DATABASE_URL), as in production. */
  realDatabaseModule?: boolean;
  /** Providers to replace, as with Test.createTestingModule().overrideProvider(token).useValue(value). */
  overrides?: { provide: unknown; useValue: unknown }[];
}

export interface TestApp {
  app: INestApplication;
  server: Server;
  config: AppConfig;
  connection: DatabaseConnection;
  db: Database;
  events: EventRecorder;
  close(): Promise<void>;
}

/** The AppModule behind a real HTTP server, on a database of its own. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // No periodic retry loop: tests drive retries with InboxRecoveryService.runOnce(), deterministically.
  // Request logs (pino) only with TEST_LOG=1.
  const config = loadConfig({
    SDKAPPID: TEST_SDKAPPID,
    API_TOKEN: TEST_API_TOKEN,
    WEBHOOK_RETRY_POLL_MS: '0',
    LOG_LEVEL: process.env.TEST_LOG ? 'log' : 'fatal',
    ...options.env,
  });
  const ownDatabase = options.realDatabaseModule ? undefined : (options.database ?? (await createTestDatabase()));
  let builder = Test.createTestingModule({
    imports: [AppModule, ...(options.imports ?? [])],
    providers: [EventRecorder],
  })
    .overrideProvider(AppConfig)
    .useValue(config);
  for (const override of options.overrides ?? []) builder = builder.overrideProvider(override.provide).useValue(override.useValue);
  if (ownDatabase) {
    const connection = await ownDatabase.open();
    builder = builder.overrideProvider(DATABASE_CONNECTION).useValue(connection);
  }
  const moduleRef = await builder.compile();
  // Quiet by default (expected failures log errors); TEST_LOG=1 shows the app's logs.
  const app = configureApp(moduleRef.createNestApplication({ ...APP_OPTIONS, logger: process.env.TEST_LOG ? undefined : false }), config);
  setupOpenApi(app);
  await app.init();
  await app.listen(0, '127.0.0.1');
  const connection = app.get<DatabaseConnection>(DATABASE_CONNECTION);
  return {
    app,
    server: app.getHttpServer() as Server,
    config,
    connection,
    db: connection.db,
    events: app.get(EventRecorder),
    close: async () => {
      await app.close();
      if (ownDatabase && !options.database) await ownDatabase.drop();
    },
  };
}
