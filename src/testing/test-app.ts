import type { Server } from 'node:http';
import { Injectable, type DynamicModule, type ForwardReference, type INestApplication, type Type } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { AppModule } from '../app.module.js';
import { AppConfig, loadConfig } from '../config/app-config.js';
import { appConfig } from '../config/config.module.js';
import { APP_OPTIONS, configureApp, loadHttpPlatform, setupOpenApi } from '../create-app.js';
import { AppLogger } from '../logging/app-logger.js';
import { DATABASE_CONNECTION, type Database, type DatabaseConnection } from '../database/database.types.js';
import type { DomainEventMap, DomainEventName } from '../events/domain-events.js';
import { webhookInbox, type InboxRow, type InboxStatus } from '../webhook/inbox/inbox.schema.js';
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
      const event = { name: name as DomainEventName, payload } as RecordedEvent;
      this.events.push(event);
      for (const waiter of [...this.waiters]) waiter(event);
    });
  }

  of<K extends DomainEventName>(name: K): DomainEventMap[K][] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as DomainEventMap[K]);
  }

  clear(): void {
    this.events.length = 0;
  }

  /**
   * The first event of that name (matching `predicate`) already recorded, or the next one emitted:
   * await it instead of sleeping. Rejects after `timeoutMs`.
   */
  waitFor<K extends DomainEventName>(name: K, predicate: (payload: DomainEventMap[K]) => boolean = () => true, timeoutMs = 5000): Promise<DomainEventMap[K]> {
    const seen = this.of(name).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (event: RecordedEvent): void => {
        if (event.name === name && predicate(event.payload as DomainEventMap[K])) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(event.payload as DomainEventMap[K]);
        }
      };
      this.waiters.add(check);
    });
  }

  private readonly waiters = new Set<(event: RecordedEvent) => void>();
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
  /**
   * What your main.ts adds to the app before it listens (`app.use(helmet())`, `app.register(...)` on
   * Fastify, global pipes): called after the service's own HTTP setup, before app.init().
   */
  configure?: (app: INestApplication) => void | Promise<void>;
}

export interface TestApp {
  app: INestApplication;
  server: Server;
  config: AppConfig;
  connection: DatabaseConnection;
  db: Database;
  events: EventRecorder;
  /** Resolves with the inbox row once the callback with this dedupe key reaches one of `statuses` (polling the database, not sleeping a fixed time). */
  inboxRow(dedupeKey: string, statuses?: InboxStatus[], timeoutMs?: number): Promise<InboxRow>;
  close(): Promise<void>;
}

/**
 * The AppModule (plus your modules) behind a real HTTP server, on a database of its own (in-memory
 * PGlite from a migrated template, or a fresh PostgreSQL database when TEST_DATABASE_URL is set),
 * with every domain event recorded. The periodic retry loop is off: drive it with
 * `app.get(InboxRecoveryService).runOnce()`.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // No periodic retry loop: tests drive retries with InboxRecoveryService.runOnce(), deterministically.
  // Request logs (pino) only with TEST_LOG=1. HTTP_PLATFORM of the test run picks the platform.
  const config = loadConfig({
    HTTP_PLATFORM: process.env.HTTP_PLATFORM,
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
    .overrideProvider(appConfig.KEY)
    .useValue(config);
  for (const override of options.overrides ?? []) builder = builder.overrideProvider(override.provide).useValue(override.useValue);
  if (ownDatabase) {
    const connection = await ownDatabase.open();
    builder = builder.overrideProvider(DATABASE_CONNECTION).useValue(connection);
  }
  let app: INestApplication | undefined;
  try {
    const moduleRef = await builder.compile();
    // Quiet by default (expected failures log errors); TEST_LOG=1 shows the app's logs.
    const platform = await loadHttpPlatform(config.httpPlatform);
    app = configureApp(moduleRef.createNestApplication(platform.createAdapter(config), { ...APP_OPTIONS, bufferLogs: true }), platform, config);
    // Nest's own lines through the app's logger, as in production: at LOG_LEVEL (fatal unless TEST_LOG=1 or env sets it).
    app.useLogger(app.get(AppLogger));
    app.flushLogs();
    setupOpenApi(app);
    await options.configure?.(app);
    await app.init();
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // An app that does not start must not keep its database (and so the test process) alive.
    await app?.close().catch(() => undefined);
    if (ownDatabase && !options.database) await ownDatabase.drop().catch(() => undefined);
    throw error;
  }
  const connection = app.get<DatabaseConnection>(DATABASE_CONNECTION);
  return {
    app,
    server: app.getHttpServer() as Server,
    config,
    connection,
    db: connection.db,
    events: app.get(EventRecorder),
    inboxRow: async (dedupeKey, statuses = ['processed', 'unhandled', 'decided'], timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await connection.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, dedupeKey));
        if (row && statuses.includes(row.status)) return row;
        if (Date.now() > deadline) throw new Error(`inbox row ${dedupeKey} is ${row?.status ?? 'missing'}, not ${statuses.join(' or ')}, after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: async () => {
      await app.close();
      if (ownDatabase && !options.database) await ownDatabase.drop();
    },
  };
}
