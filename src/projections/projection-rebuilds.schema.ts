import { bigint, bigserial, boolean, doublePrecision, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const REBUILD_STATES = ['running', 'done', 'failed'] as const;
export type RebuildState = (typeof REBUILD_STATES)[number];

/**
 * One row per projection rebuild: its lock (a running row blocks a rebuild of an overlapping
 * family, in any instance or process) and its progress, which any instance can report.
 */
export const projectionRebuilds = pgTable('projection_rebuilds', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** What was asked: a family's name or "all". */
  family: text('family').notNull(),
  /** The families rebuilt: what overlaps another rebuild. */
  families: text('families').array().notNull(),
  withListeners: boolean('with_listeners').notNull(),
  state: text('state').$type<RebuildState>().notNull(),
  /** Stored callbacks to feed: those up to highWaterInboxId, counted at the start. */
  total: bigint('total', { mode: 'number' }).notNull().default(0),
  processed: bigint('processed', { mode: 'number' }).notNull().default(0),
  failed: bigint('failed', { mode: 'number' }).notNull().default(0),
  ratePerSecond: doublePrecision('rate_per_second').notNull().default(0),
  /** The newest inbox row when the tables were emptied: later callbacks are projected live. */
  highWaterInboxId: bigint('high_water_inbox_id', { mode: 'number' }),
  /** The last inbox row read so far: the rows after it are still needed (retention must keep them). */
  cursorInboxId: bigint('cursor_inbox_id', { mode: 'number' }).notNull().default(0),
  lastError: text('last_error'),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  /** Renewed with the progress; a running row whose heartbeat is older than the lease was left by a stopped instance. */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
});

export type ProjectionRebuildRow = typeof projectionRebuilds.$inferSelect;
