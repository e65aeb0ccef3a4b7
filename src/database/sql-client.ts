import { createHash } from 'node:crypto';
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

/** One kind of write in a CombinedWrites: its callers wait for their item to be committed. */
export interface WritePart<Item> {
  add(item: Item): Promise<void>;
}

/**
 * A write whose callers only wait for it to be done, batched with the waiting writes of every
 * other kind on the same connections. `statement` is one data-modifying statement (no RETURNING)
 * over array parameters; `params` gives its parameters for a batch of items (merging what the
 * statement may not touch twice).
 */
export function combinedWrite<Item>(client: SqlClient, statement: Statement, params: (items: Item[]) => unknown[][]): WritePart<Item> {
  let combined = combinedWrites.get(client);
  if (!combined) combinedWrites.set(client, (combined = new CombinedWrites(client)));
  return combined.part(statement, params);
}

interface Part {
  readonly statement: Statement;
  readonly arity: number;
  readonly params: (items: unknown[]) => unknown[][];
}

const combinedWrites = new WeakMap<SqlClient, CombinedWrites>();

/**
 * Group commit across kinds. A callback's projections (a message, an unread total, extension keys
 * and versions, a broadcast) and the processed marks of callbacks dispatched earlier were each a
 * statement of their own; here every kind waiting goes into one statement, each kind a
 * data-modifying CTE (`WITH p0 AS (INSERT ...), p1 AS (UPDATE ...) SELECT 1`), so one round trip
 * and one commit serve them all. The CTEs touch different tables, so none needs to see another's
 * rows. A batch of a single kind runs that kind's own statement.
 */
class CombinedWrites {
  private readonly parts: Part[] = [];
  private combined: Statement | undefined;
  private readonly batcher: WriteBatcher<{ part: number; item: unknown }, void>;

  constructor(private readonly client: SqlClient) {
    this.batcher = new WriteBatcher(async (entries) => {
      await this.write(entries);
      return entries.map(() => undefined);
    }, client.batching);
  }

  part<Item>(statement: Statement, params: (items: Item[]) => unknown[][]): WritePart<Item> {
    const index = this.parts.push({ statement, arity: arityOf(statement.text), params: params as (items: unknown[]) => unknown[][] }) - 1;
    this.combined = undefined;
    return { add: (item) => this.batcher.add({ part: index, item }) };
  }

  private async write(entries: { part: number; item: unknown }[]): Promise<void> {
    const byPart = this.parts.map((): unknown[] => []);
    for (const { part, item } of entries) byPart[part]!.push(item);
    const used = byPart.flatMap((items, index) => (items.length > 0 ? [index] : []));
    if (used.length === 1) {
      const part = this.parts[used[0]!]!;
      await this.client.query(part.statement, paramsOf(part, byPart[used[0]!]!));
      return;
    }
    const values = this.parts.flatMap((part, i) => paramsOf(part, byPart[i]!));
    await this.client.query((this.combined ??= combineStatements(this.parts.map((p) => p.statement))), values);
  }
}

/** A part's parameters; a count other than its statement's would shift every later part's columns. */
function paramsOf(part: Part, items: unknown[]): unknown[][] {
  const params = part.params(items);
  if (params.length !== part.arity) {
    throw new Error(`${part.statement.name}: ${params.length} parameters given for a statement that uses ${part.arity}`);
  }
  return params;
}

/** The highest $n a statement uses. */
function arityOf(text: string): number {
  return Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

/** One statement running each given one as a CTE, their parameters numbered one after another. */
export function combineStatements(statements: readonly Statement[]): Statement {
  let offset = 0;
  const ctes = statements.map((statement, i) => {
    const shift = offset;
    offset += arityOf(statement.text);
    return `p${i} AS (${statement.text.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + shift}`)})`;
  });
  const text = `WITH ${ctes.join(',\n')}\nSELECT 1`;
  return { name: `combined_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
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
