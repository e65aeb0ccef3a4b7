import { Inject, Injectable, Optional } from '@nestjs/common';
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, max, or, sql, type SQL } from 'drizzle-orm';
import { DRIZZLE, DURABLE_DRIZZLE, type Database } from '../../database/database.types.js';
import { queryableJsonText } from '../../database/queryable-json.js';
import { combinedWrite, sqlClientOf, type SqlClient, type Statement, type WritePart } from '../../database/sql-client.js';
import { WriteBatcher } from '../../database/write-batcher.js';
import type { CallbackSource } from '../incoming-callback.js';
import { dueAt, webhookInbox, type InboxRow, type InboxStatus } from './inbox.schema.js';

export interface NewInboxEntry {
  command: string;
  dedupeKey: string;
  rawText: string;
  source: CallbackSource;
}

export interface InboxListFilter {
  status?: InboxStatus;
  command?: string;
  /** Rows older than this id (the previous page's last id). */
  beforeId?: number;
  limit: number;
}

/** Which rows a bulk replay selects (src/webhook/operations). */
export interface InboxSelection {
  statuses: readonly InboxStatus[];
  command?: string;
  /** Inclusive. */
  receivedFrom?: Date;
  /** Exclusive. */
  receivedTo?: Date;
}

export type FailureOutcome = { dead: true } | { dead: false; delayMs: number };

const MAX_ERROR_LENGTH = 4000;

/** What dispatching needs of a row: not its payload, which the caller already holds. */
export type DispatchRow = Pick<InboxRow, 'id' | 'command' | 'dedupeKey' | 'sdkAppId' | 'clientIp' | 'optPlatform' | 'receivedAt' | 'attempts'>;
const PENDING: InboxStatus[] = ['received', 'failed'];

const leaseFor = (seconds: number): SQL => sql`now() + make_interval(secs => ${seconds})`;

// The hot path's two statements, batched across concurrent callbacks (see WriteBatcher): one
// insert commits every callback that arrived meanwhile, one update marks every finished dispatch.
// $1-$8 are the stored callback's columns, in the order of storedColumns().
const INSERT_NEW: Statement = {
  name: 'inbox_insert_new',
  text: `INSERT INTO webhook_inbox (command, payload, payload_as_received, query, sdk_app_id, client_ip, opt_platform, received_at, dedupe_key, status, lease_until)
    SELECT u.command, u.payload::json, u.payload_as_received, u.query::json, u.sdk_app_id, u.client_ip, u.opt_platform, u.received_at::timestamptz, u.dedupe_key, 'received', now() + make_interval(secs => u.lease_seconds)
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[])
      AS u(command, payload, payload_as_received, query, sdk_app_id, client_ip, opt_platform, received_at, dedupe_key, lease_seconds)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id::text AS id, command, dedupe_key, sdk_app_id, client_ip, opt_platform, received_at, attempts`,
};

export const MARK_DISPATCHED: Statement = {
  name: 'inbox_mark_dispatched',
  text: `UPDATE webhook_inbox AS i
    SET status = u.status, attempts = i.attempts + 1, last_error = NULL, processed_at = now(), processed_txid = pg_current_xact_id()::text::bigint, next_attempt_at = NULL, lease_until = NULL, updated_at = now()
    FROM unnest($1::bigint[], $2::text[]) AS u(id, status)
    WHERE i.id = u.id`,
};

const INSERT_DECIDED: Statement = {
  name: 'inbox_insert_decided',
  text: `INSERT INTO webhook_inbox (command, payload, payload_as_received, query, sdk_app_id, client_ip, opt_platform, received_at, decision, dedupe_key, status, attempts, processed_at)
    SELECT u.command, u.payload::json, u.payload_as_received, u.query::json, u.sdk_app_id, u.client_ip, u.opt_platform, u.received_at::timestamptz, u.decision::json, NULL, 'decided', 1, now()
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
      AS u(command, payload, payload_as_received, query, sdk_app_id, client_ip, opt_platform, received_at, decision)
    RETURNING id::text AS id`,
};

/**
 * Retention: one batch of processed and unhandled rows older than $1 days (received and
 * processed), below the holds' bound $2 (null: none), not leased by a replay. Read oldest first
 * through webhook_inbox_retention_idx. SKIP LOCKED: a row another transaction holds (a dispatch
 * marking it, another instance's purge) is left for a later pass, never waited on.
 */
const DELETE_EXPIRED: Statement = {
  name: 'inbox_delete_expired',
  text: `WITH deleted AS (
      DELETE FROM webhook_inbox WHERE id = any(array(
        SELECT id FROM webhook_inbox
        WHERE status IN ('processed', 'unhandled')
          AND processed_at < now() - make_interval(days => $1::int)
          AND received_at < now() - make_interval(days => $1::int)
          AND (lease_until IS NULL OR lease_until < now())
          AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY processed_at
        LIMIT $3
        FOR UPDATE SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
};

/**
 * For the recovery poll's transaction only: no bitmap scan and no seq scan, so the claim index is
 * read in order. Every callback dispatched since the last vacuum leaves a dead 'received' version
 * in that index; an index scan marks each one dead as it passes it, and later polls step over them.
 * A bitmap scan marks nothing, and the planner picks one on a never-analyzed inbox: every poll, once
 * a second, would then read the heap page of every callback processed since the last vacuum.
 */
export const CLAIM_SCAN_SETTINGS = sql`SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;

/** The due rows in claim order (see claimDue), leased in the same statement. */
export function claimDueQuery(db: Database, limit: number, leaseSeconds: number) {
  const due = db
    .select({ id: webhookInbox.id })
    .from(webhookInbox)
    .where(
      and(
        inArray(webhookInbox.status, PENDING),
        lte(dueAt(webhookInbox.nextAttemptAt), sql`now()`),
        or(isNull(webhookInbox.leaseUntil), lt(webhookInbox.leaseUntil, sql`now()`)),
      ),
    )
    .orderBy(dueAt(webhookInbox.nextAttemptAt), webhookInbox.id)
    .limit(limit)
    .for('update', { skipLocked: true });
  return db.update(webhookInbox).set({ leaseUntil: leaseFor(leaseSeconds) }).where(inArray(webhookInbox.id, due)).returning();
}

interface InsertedRow extends Record<string, unknown> {
  id: string;
  command: string;
  dedupe_key: string;
  sdk_app_id: string;
  client_ip: string | null;
  opt_platform: string | null;
  received_at: Date | string;
  attempts: number;
}

interface NewEntryWithLease {
  entry: NewInboxEntry;
  leaseSeconds: number;
}

@Injectable()
export class InboxRepository {
  private readonly durable: Database;
  private readonly sql: SqlClient;
  private readonly newEntries: WriteBatcher<NewEntryWithLease, DispatchRow | undefined>;
  private readonly dispatchMarks: WritePart<{ id: number; status: 'processed' | 'unhandled' }>;

  constructor(@Inject(DRIZZLE) private readonly db: Database, @Optional() @Inject(DURABLE_DRIZZLE) durable?: Database) {
    this.durable = durable ?? db;
    const durableSql = sqlClientOf(this.durable);
    const sqlClient = (this.sql = sqlClientOf(db));
    this.newEntries = new WriteBatcher((batch) => insertNewEntries(durableSql, batch), durableSql.batching);
    this.dispatchMarks = combinedWrite(sqlClient, MARK_DISPATCHED, (marks) => [marks.map((m) => m.id), marks.map((m) => m.status)]);
  }

  /**
   * Commits a new callback, leased to the caller who is about to dispatch it; undefined when one
   * with the same dedupe key is already stored. Committed together with the other callbacks that
   * arrive meanwhile: one durable commit for all of them.
   */
  insertIfNew(entry: NewInboxEntry, leaseSeconds: number): Promise<DispatchRow | undefined> {
    return this.newEntries.add({ entry, leaseSeconds });
  }

  /** Keeps a callback that failed validation, so it can be inspected and replayed once fixed. */
  async insertRejected(entry: Omit<NewInboxEntry, 'dedupeKey'>, reason: string): Promise<InboxRow> {
    const [row] = await this.durable
      .insert(webhookInbox)
      .values({ ...this.columnsOf(entry), dedupeKey: null, status: 'rejected', lastError: truncate(reason) })
      .returning();
    return row!;
  }

  /** Keeps "before" callbacks with the decisions they were answered with (audit; never re-dispatched), in one insert. */
  async insertDecided(decided: { entry: Omit<NewInboxEntry, 'dedupeKey'>; decision: Record<string, unknown> }[]): Promise<{ id: number }[]> {
    if (decided.length === 0) return [];
    const rows = await this.sql.query<{ id: string }>(INSERT_DECIDED, [
      ...storedColumns(decided.map(({ entry }) => entry)),
      decided.map(({ decision }) => JSON.stringify(decision)),
    ]);
    // Ids come from the sequence in insertion order, which is the order of the arrays.
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b).map((id) => ({ id }));
  }

  /**
   * Takes up to `limit` callbacks that are due (never dispatched, oldest first; then failed ones
   * past their backoff, earliest due first) and not held by a live lease, and leases them. SKIP
   * LOCKED: concurrent claimers (other instances) get disjoint rows and never wait on each other.
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<InboxRow[]> {
    return this.db.transaction(async (tx) => {
      await tx.execute(CLAIM_SCAN_SETTINGS);
      return claimDueQuery(tx, limit, leaseSeconds);
    });
  }

  /** Leases one row for a replay; undefined when it does not exist or a dispatch holds it now. */
  async claimForReplay(id: number, leaseSeconds: number): Promise<InboxRow | undefined> {
    const [row] = await this.db
      .update(webhookInbox)
      .set({ leaseUntil: leaseFor(leaseSeconds) })
      .where(and(eq(webhookInbox.id, id), or(isNull(webhookInbox.leaseUntil), lt(webhookInbox.leaseUntil, sql`now()`))))
      .returning();
    return row;
  }

  /** A rejected callback that now validates becomes an ordinary pending one, with its dedupe key. */
  async acceptRejected(id: number, dedupeKey: string, leaseSeconds: number): Promise<InboxRow | undefined> {
    const [row] = await this.db
      .update(webhookInbox)
      .set({ status: 'received', dedupeKey, lastError: null, leaseUntil: leaseFor(leaseSeconds), updatedAt: sql`now()` })
      .where(and(eq(webhookInbox.id, id), eq(webhookInbox.status, 'rejected')))
      .returning();
    return row;
  }

  async findByDedupeKey(dedupeKey: string): Promise<InboxRow | undefined> {
    const [row] = await this.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, dedupeKey));
    return row;
  }

  markDispatched(id: number, status: Extract<InboxStatus, 'processed' | 'unhandled'>): Promise<void> {
    return this.dispatchMarks.add({ id, status });
  }

  async markFailed(id: number, error: string, outcome: FailureOutcome): Promise<void> {
    await this.db
      .update(webhookInbox)
      .set({
        status: outcome.dead ? 'dead' : 'failed',
        attempts: sql`${webhookInbox.attempts} + 1`,
        lastError: truncate(error),
        nextAttemptAt: outcome.dead ? null : sql`now() + make_interval(secs => ${outcome.delayMs / 1000})`,
        leaseUntil: null,
        updatedAt: sql`now()`,
      })
      .where(eq(webhookInbox.id, id));
  }

  /** A rejected callback that still fails validation on replay: keep the newest reason. */
  async recordRejection(id: number, reason: string): Promise<void> {
    await this.db.update(webhookInbox).set({ lastError: truncate(reason), updatedAt: sql`now()` }).where(eq(webhookInbox.id, id));
  }

  async findById(id: number): Promise<InboxRow | undefined> {
    const [row] = await this.db.select().from(webhookInbox).where(eq(webhookInbox.id, id));
    return row;
  }

  /**
   * Deletes up to `limit` processed or unhandled rows received and processed more than
   * `olderThanDays` ago, with an id below `belowId` when given; returns how many it deleted.
   */
  async deleteExpired(olderThanDays: number, belowId: number | undefined, limit: number): Promise<number> {
    const [row] = await this.sql.query<{ deleted: number }>(DELETE_EXPIRED, [olderThanDays, belowId ?? null, limit]);
    return Number(row?.deleted ?? 0);
  }

  /** How many rows are in each status (metrics, health). */
  async countByStatus(): Promise<Partial<Record<InboxStatus, number>>> {
    const rows = await this.db
      .select({ status: webhookInbox.status, count: sql<number>`count(*)::int` })
      .from(webhookInbox)
      .groupBy(webhookInbox.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
  }

  /** The largest id stored so far (0 for an empty inbox): a bulk replay covers the rows up to it. */
  async lastId(): Promise<number> {
    const [row] = await this.db.select({ id: max(webhookInbox.id) }).from(webhookInbox);
    return Number(row?.id ?? 0);
  }

  /** How many rows up to `uptoId` match, per status and command, counted in the database. */
  async countSelected(selection: InboxSelection, uptoId?: number): Promise<{ status: InboxStatus; command: string; count: number }[]> {
    const rows = await this.db
      .select({ status: webhookInbox.status, command: webhookInbox.command, count: sql<number>`count(*)::int` })
      .from(webhookInbox)
      .where(and(selectionWhere(selection), uptoId === undefined ? undefined : lte(webhookInbox.id, uptoId)))
      .groupBy(webhookInbox.status, webhookInbox.command);
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }

  /** The next ids that match, after `afterId` and up to `uptoId`, in id order (ids only: the rows are read one at a time as they are replayed). */
  async nextSelectedIds(selection: InboxSelection, afterId: number, uptoId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .select({ id: webhookInbox.id })
      .from(webhookInbox)
      .where(and(selectionWhere(selection), gt(webhookInbox.id, afterId), lte(webhookInbox.id, uptoId)))
      .orderBy(asc(webhookInbox.id))
      .limit(limit);
    return rows.map((r) => Number(r.id));
  }

  /** Newest first. */
  async list(filter: InboxListFilter): Promise<InboxRow[]> {
    return this.db
      .select()
      .from(webhookInbox)
      .where(
        and(
          filter.status ? eq(webhookInbox.status, filter.status) : undefined,
          filter.command ? eq(webhookInbox.command, filter.command) : undefined,
          filter.beforeId !== undefined ? lt(webhookInbox.id, filter.beforeId) : undefined,
        ),
      )
      .orderBy(desc(webhookInbox.id))
      .limit(filter.limit);
  }

  private columnsOf(entry: Omit<NewInboxEntry, 'dedupeKey'>) {
    return {
      command: entry.command,
      ...payloadColumns(entry.rawText),
      query: JSON.parse(queryableJsonText(JSON.stringify(entry.source.query))) as Record<string, string | string[]>,
      sdkAppId: entry.source.sdkAppId,
      clientIp: entry.source.clientIp,
      optPlatform: entry.source.optPlatform,
      receivedAt: entry.source.receivedAt,
    };
  }
}

function selectionWhere(selection: InboxSelection): SQL | undefined {
  return and(
    inArray(webhookInbox.status, [...selection.statuses]),
    selection.command === undefined ? undefined : eq(webhookInbox.command, selection.command),
    selection.receivedFrom === undefined ? undefined : gte(webhookInbox.receivedAt, selection.receivedFrom),
    selection.receivedTo === undefined ? undefined : lt(webhookInbox.receivedAt, selection.receivedTo),
  );
}

/** `payload_as_received` is kept only where `payload` had to differ from the body (see queryableJsonText). */
function payloadColumns(rawText: string): { payload: string; payloadAsReceived: string | null } {
  const payload = queryableJsonText(rawText);
  return { payload, payloadAsReceived: payload === rawText ? null : rawText };
}

/** The columns every stored callback has, one array each, for an `unnest` insert. */
function storedColumns(entries: Omit<NewInboxEntry, 'dedupeKey'>[]): unknown[][] {
  const payloads = entries.map((e) => payloadColumns(e.rawText));
  return [
    entries.map((e) => e.command),
    payloads.map((p) => p.payload),
    payloads.map((p) => p.payloadAsReceived),
    entries.map((e) => queryableJsonText(JSON.stringify(e.source.query))),
    entries.map((e) => e.source.sdkAppId),
    entries.map((e) => e.source.clientIp),
    entries.map((e) => e.source.optPlatform),
    entries.map((e) => e.source.receivedAt.toISOString()),
  ];
}

/** One insert for the batch; a dedupe key seen twice in it is stored once, and the second is a duplicate. */
async function insertNewEntries(client: SqlClient, batch: NewEntryWithLease[]): Promise<(DispatchRow | undefined)[]> {
  const firstOfKey = new Map<string, NewEntryWithLease>();
  for (const item of batch) if (!firstOfKey.has(item.entry.dedupeKey)) firstOfKey.set(item.entry.dedupeKey, item);
  const unique = [...firstOfKey.values()];
  const rows = await client.query<InsertedRow>(INSERT_NEW, [
    ...storedColumns(unique.map(({ entry }) => entry)),
    unique.map(({ entry }) => entry.dedupeKey),
    unique.map((item) => item.leaseSeconds),
  ]);
  const inserted = new Map<string, DispatchRow>();
  for (const row of rows) {
    inserted.set(row.dedupe_key, {
      id: Number(row.id),
      command: row.command,
      dedupeKey: row.dedupe_key,
      sdkAppId: row.sdk_app_id,
      clientIp: row.client_ip,
      optPlatform: row.opt_platform,
      receivedAt: row.received_at instanceof Date ? row.received_at : new Date(row.received_at),
      attempts: row.attempts,
    });
  }
  return batch.map((item) => (firstOfKey.get(item.entry.dedupeKey) === item ? inserted.get(item.entry.dedupeKey) : undefined));
}

const truncate = (text: string): string => (text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text).replaceAll('\u0000', '');

/** PostgreSQL's unique_violation, whichever driver (and Drizzle's wrapping) reports it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error || (typeof e === 'object' && e !== null); e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
    if (!(e as { cause?: unknown }).cause) break;
  }
  return false;
}
