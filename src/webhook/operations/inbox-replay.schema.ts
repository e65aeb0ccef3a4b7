import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jsonValue } from '../../database/raw-json.column.js';

export const REPLAY_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type ReplayState = (typeof REPLAY_STATES)[number];

/** What a bulk replay selects (statuses, command, time range), as stored with the job. */
export interface StoredReplayFilter {
  status: string[];
  command: string | null;
  receivedFrom: string | null;
  receivedTo: string | null;
}

/**
 * Bulk replays (POST /ops/replays), one row per job: its filter, the inbox ids it covers (up to
 * `upto_id`, the largest id when it started), how far it walked (`cursor_id`) and what each row
 * gave. Progress lives here, not in memory, so any instance can report it; `holder` and
 * `heartbeat_at` tell a job whose instance died (marked failed by the next instance that looks).
 */
export const inboxReplays = pgTable(
  'inbox_replays',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    filter: jsonValue<StoredReplayFilter>('filter').notNull(),
    state: text('state').$type<ReplayState>().notNull(),
    uptoId: bigint('upto_id', { mode: 'number' }).notNull(),
    cursorId: bigint('cursor_id', { mode: 'number' }).notNull().default(0),
    total: integer('total').notNull(),
    replayed: integer('replayed').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    dead: integer('dead').notNull().default(0),
    unhandled: integer('unhandled').notNull().default(0),
    conflict: integer('conflict').notNull().default(0),
    invalid: integer('invalid').notNull().default(0),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    holder: text('holder').notNull(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  // One running job at a time, across instances: two at once would only double the load on the
  // listeners (and the second would mostly meet rows the first holds).
  (t) => [uniqueIndex('inbox_replays_one_running_uq').on(t.state).where(sql`${t.state} = 'running'`)],
);

export type InboxReplayRow = typeof inboxReplays.$inferSelect;
