import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Database } from './database.types.js';
import { WriteBatcher, type WriteBatcherOptions } from './write-batcher.js';

/** A fixed statement: its text never changes, so PostgreSQL can keep it prepared per connection. */
export interface Statement {
  /** Unique per statement text (the name of the prepared statement). */
  readonly name: string;
  readonly text: string;
}

/**
 * Plain parameterised SQL on the same connections as a Drizzle instance. For the hot path's
 * batched writes only: a fixed text over array parameters (`unnest`) is parsed and planned once
 * per connection, and skips Drizzle's per-call query building, which profiling showed to be a
 * large share of a callback's CPU.
 */
export interface SqlClient {
  /** How to batch writes on this driver (see WriteBatcher). */
  readonly batching: WriteBatcherOptions;
  query<Row extends Record<string, unknown>>(statement: Statement, values: readonly unknown[]): Promise<Row[]>;
}

/** A WriteBatcher for writes whose callers only wait for them to be done, batched as the driver wants. */
export function batchedWrite<Item>(client: SqlClient, writeAll: (items: Item[]) => Promise<void>): WriteBatcher<Item, void> {
  return new WriteBatcher(async (items: Item[]) => {
    await writeAll(items);
    return items.map(() => undefined);
  }, client.batching);
}

const clients = new WeakMap<object, SqlClient>();

/** The SqlClient over the driver that `db` uses (a node-postgres pool or PGlite). */
export function sqlClientOf(db: Database): SqlClient {
  const driver = (db as unknown as { $client?: unknown }).$client;
  if (typeof driver !== 'object' || driver === null) throw new Error('this Drizzle instance exposes no $client');
  let client = clients.get(driver);
  if (!client) {
    client = driver instanceof PGlite ? pgliteClient(driver) : poolClient(driver as pg.Pool);
    clients.set(driver, client);
  }
  return client;
}

function poolClient(pool: pg.Pool): SqlClient {
  return {
    // Measured with npm run bench: 2 writes in flight per statement beat 1 and 4 (bigger batches
    // against fewer waits for a round trip).
    batching: { maxConcurrentWrites: 2 },
    async query<Row extends Record<string, unknown>>(statement: Statement, values: readonly unknown[]): Promise<Row[]> {
      const result = await pool.query<Row>({ name: statement.name, text: statement.text, values: values as unknown[] });
      return result.rows;
    },
  };
}

function pgliteClient(pglite: PGlite): SqlClient {
  return {
    // One connection that runs one statement at a time: a second write in flight would only wait.
    batching: { maxConcurrentWrites: 1 },
    async query<Row extends Record<string, unknown>>(statement: Statement, values: readonly unknown[]): Promise<Row[]> {
      const result = await pglite.query<Row>(statement.text, values as unknown[]);
      return result.rows;
    },
  };
}
