import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { bigint, bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jsonValue, rawJson } from '../../database/raw-json.column.js';

/**
 * received: stored, not yet dispatched (or interrupted); processed / unhandled: every listener
 * succeeded; failed: a listener threw, retried at next_attempt_at; dead: retries exhausted;
 * rejected: failed validation, kept for inspection and replay; decided: a "before" callback,
 * answered with the decision it records.
 */
export const INBOX_STATUSES = ['received', 'processed', 'failed', 'dead', 'rejected', 'unhandled', 'decided'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/**
 * When a pending row is due: never-dispatched rows (no next_attempt_at) at once, failed ones at
 * their backoff. One expression in the claim's index and in its query, so that they match.
 */
export const dueAt = (nextAttemptAt: SQLWrapper): SQL => sql`coalesce(${nextAttemptAt}, '-infinity'::timestamptz)`;

/** Every authenticated callback, committed before it is answered. */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    command: text('command').notNull(),
    /** Null for rejected callbacks: they have no trustworthy identity and may repeat. */
    dedupeKey: text('dedupe_key'),
    status: text('status').$type<InboxStatus>().notNull(),
    /** The body, queryable with PostgreSQL's JSON operators (see queryableJsonText). */
    payload: rawJson('payload').notNull(),
    /** The body exactly as received, only where `payload` had to differ from it. */
    payloadAsReceived: text('payload_as_received'),
    /** The query string as received, minus Sign. */
    query: jsonValue<Record<string, string | string[]>>('query').notNull(),
    sdkAppId: text('sdk_app_id').notNull(),
    clientIp: text('client_ip'),
    optPlatform: text('opt_platform'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' }),
    /** When a failed callback is due again. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    /** A dispatch in progress holds the row until then; past it, a crashed holder's row is taken over. */
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    /**
     * The id of the transaction that marked the row processed or unhandled (pg_current_xact_id):
     * the inbox's processing order. Read in this order by the event relay (src/relay), which only
     * takes rows whose transaction every open snapshot already sees (see relay.repository.ts).
     */
    processedTxid: bigint('processed_txid', { mode: 'number' }),
    /** For a "before" callback: the answer given and how it was reached. */
    decision: jsonValue<Record<string, unknown>>('decision'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_inbox_dedupe_key_uq').on(t.dedupeKey),
    index('webhook_inbox_status_id_idx').on(t.status, t.id),
    // The recovery poll's index (claimDueQuery): pending rows in the order they are claimed, so the
    // poll reads only the due ones, whatever the planner's statistics say.
    index('webhook_inbox_claim_idx')
      .on(dueAt(t.nextAttemptAt), t.id)
      .where(sql`${t.status} in ('received', 'failed')`),
    index('webhook_inbox_command_id_idx').on(t.command, t.id),
    // The event relay's read: processed rows in processing order, after its cursor.
    // Reads by time of arrival (the operator's page counts a window of hours): rows are appended in
    // that order, so a BRIN index (a few pages, next to nothing per write) finds the window.
    index('webhook_inbox_received_at_brin_idx').using('brin', t.receivedAt),
    index('webhook_inbox_processed_txid_idx').on(t.processedTxid, t.id).where(sql`${t.processedTxid} is not null`),
    // Retention's read (inbox-retention.service.ts): the rows it may delete, oldest first, so a
    // batch reads only those and a pass with nothing old enough stops at the first entry. Without
    // it each batch was a scan of the whole table (EXPLAIN on 1.3M rows: 0.5 s to find nothing).
    index('webhook_inbox_retention_idx').on(t.processedAt).where(sql`${t.status} in ('processed', 'unhandled')`),
  ],
);

export type InboxRow = typeof webhookInbox.$inferSelect;

/** The callback's body exactly as Tencent sent it: what is decoded, replayed and shown. */
export const bodyAsReceived = (row: Pick<InboxRow, 'payload' | 'payloadAsReceived'>): string => row.payloadAsReceived ?? row.payload;
