import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** Drizzle over either driver; repositories only see this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The opened database with what the app needs to manage its life. */
export interface DatabaseConnection {
  readonly db: Database;
  readonly driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Inject the Drizzle instance with @Inject(DRIZZLE). */
export const DRIZZLE = Symbol('DRIZZLE');
/** The connection handle (driver, close); tests override it with a per-file database. */
export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');
