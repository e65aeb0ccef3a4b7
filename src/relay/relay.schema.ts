import { bigint, bigserial, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The event relay's progress, one row per stream: the inbox rows up to the cursor (in processing
 * order, `webhook_inbox.processed_txid` then `id`) have every event acknowledged by JetStream. The
 * row is also the relay's leadership: one instance holds it (holder, lease_until) and publishes; the
 * others wait for the lease to lapse. Every cursor move is fenced by `holder`.
 */
export const eventRelayState = pgTable('event_relay_state', {
  stream: text('stream').primaryKey(),
  cursorTxid: bigint('cursor_txid', { mode: 'number' }).notNull().default(0),
  cursorId: bigint('cursor_id', { mode: 'number' }).notNull().default(0),
  /** Events acknowledged by JetStream so far (a re-publish after a crash counts again). */
  published: bigint('published', { mode: 'number' }).notNull().default(0),
  holder: text('holder'),
  leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Events the relay could not publish (a poison event: not serializable, too large): recorded and skipped. */
export const eventRelayFailures = pgTable(
  'event_relay_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stream: text('stream').notNull(),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    /** The event's stable id (Nats-Msg-Id), or the row's id prefix when its events could not be rebuilt. */
    eventId: text('event_id').notNull(),
    eventName: text('event_name'),
    eventIndex: integer('event_index'),
    error: text('error').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('event_relay_failures_stream_id_idx').on(t.stream, t.id)],
);

export type EventRelayFailure = typeof eventRelayFailures.$inferSelect;
