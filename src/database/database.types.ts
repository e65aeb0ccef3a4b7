import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** Drizzle over either driver; repositories only see this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The opened database with what the app needs to manage its life. */
export interface DatabaseConnection {
  readonly db: Database;
  /**
   * Commits that are on disk when they return. On PostgreSQL `db` commits asynchronously (see
   * open-database.ts): only what acknowledges a callback needs to wait for the disk.
   */
  readonly durableDb: Database;
  readonly driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Inject the Drizzle instance with @Inject(DRIZZLE). */
export const DRIZZLE = Symbol('DRIZZLE');
/** The Drizzle instance whose commits are durable when they return (the inbox insert before an OK). */
export const DURABLE_DRIZZLE = Symbol('DURABLE_DRIZZLE');
/** The connection handle (driver, close); tests override it with a per-file database. */
export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');
