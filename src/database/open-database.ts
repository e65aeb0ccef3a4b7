import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import * as schema from './schema.js';
import type { Database, DatabaseConnection } from './database.types.js';

/**
 * The sessions of the pool for projections and marks. synchronous_commit=off: see the pools in
 * openPostgres.
 * plan_cache_mode=force_custom_plan: the hot path's named statements are planned for the tables as
 * they are at each run. PostgreSQL otherwise keeps a generic plan from the sixth run on, made while
 * the inbox was small: the processed mark (a join of the inbox with the batch's ids) then
 * seq-scanned the whole inbox, slower with every row (measured: 455-826 callbacks/s instead of
 * 2,500 over 100,000 callbacks; test/query-plans.e2e-spec.ts).
 */
export const PROJECTION_SESSION_OPTIONS = '-c synchronous_commit=off -c plan_cache_mode=force_custom_plan';

/** The committed migrations folder, found from this file whether run from src/ (tests) or dist/. */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

// Any fixed number works: it only has to be the same for every instance sharing the database.
const MIGRATION_LOCK_ID = 7_240_311;

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Directory for PGlite's files; `memory://` keeps everything in memory. */
  dataDir?: string;
  /** A PGlite data dir dump (tests start from a migrated template). */
  loadDataDir?: Blob;
  migrate?: boolean;
  poolSize?: number;
  /** PostgreSQL server only: how long a connection attempt or a query may take. */
  queryTimeoutMs?: number;
}

const DEFAULT_QUERY_TIMEOUT_MS = 1500;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseConnection> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPostgres(connectionString: string, options: OpenDatabaseOptions): Promise<DatabaseConnection> {
  // Timeouts: a database that hangs (a network partition, a stalled server) must give the webhook a
  // 503 within Tencent's 2 s, not an answer that never comes.
  const timeouts = {
    connectionTimeoutMillis: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    query_timeout: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
  };
  // Two pools. The durable one commits as PostgreSQL does by default, waiting for the WAL flush: it
  // takes the inbox insert that an OK to Tencent depends on. The other commits asynchronously
  // (synchronous_commit=off): projections, listeners' writes and the processed mark. A crash can
  // lose the last few hundred milliseconds of those, but never out of order (WAL is sequential and
  // the mark is written after the listeners' writes), so the row stays 'received' and is dispatched
  // again by recovery, to idempotent listeners. It saves a disk flush per statement on the hot path.
  const durablePool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, ...timeouts });
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 20, options: PROJECTION_SESSION_OPTIONS, ...timeouts });
  // A client losing its server (restart, network) must not crash the process. pg-pool catches that
  // error only while a client is idle; one checked out between two statements (a transaction: the
  // recovery poll's claim, a listener's own) has no query to fail, so node-postgres emits 'error' on
  // the client, which throws without a listener. The caller still learns: its next query fails.
  for (const each of [pool, durablePool]) {
    each.on('error', () => undefined);
    each.on('connect', (client) => client.on('error', () => undefined));
  }
  try {
    if (options.migrate !== false) {
      // Several instances may start at once: one migrates, the others wait for it. A client of its
      // own, without the pool's query timeout: a migration may take its time.
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        await client.end();
      }
    }
  } catch (error) {
    await Promise.all([pool.end(), durablePool.end()]);
    throw error;
  }
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  const durableDb = drizzlePg(durablePool, { schema }) as unknown as Database;
  return { db, durableDb, driver: 'postgres', close: once(() => Promise.all([pool.end(), durablePool.end()]).then(() => undefined)) };
}

async function openPglite(options: OpenDatabaseOptions): Promise<DatabaseConnection> {
  const dataDir = options.dataDir ?? './data';
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  // PGlite is one process's database: a second process on the same files would answer OK to
  // callbacks that the first one's later writes lose.
  const release = inMemory ? () => undefined : lockDataDir(dataDir);
  let client: PGlite | undefined;
  try {
    client = new PGlite({ dataDir: inMemory ? dataDir : join(resolve(dataDir), 'pglite'), loadDataDir: options.loadDataDir });
    await client.waitReady;
    if (options.migrate !== false) {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    }
  } catch (error) {
    await client?.close().catch(() => undefined);
    release();
    throw error;
  }
  const opened = client;
  const db = drizzlePglite(opened, { schema }) as unknown as Database;
  return { db, durableDb: db, driver: 'pglite', close: once(() => opened.close().finally(release)) };
}

/** Closing twice (a test that closed the database, then the app's shutdown) must not throw. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
