import { bigint, boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { jsonValue } from '../database/raw-json.column.js';

/**
 * Each user's online state as of their newest `State.StateChange` (by EventTime, ms), so a late
 * older change never replaces a newer one.
 */
export const userPresence = pgTable('user_presence', {
  userId: text('user_id').primaryKey(),
  online: boolean('online').notNull(),
  action: text('action').notNull(),
  reason: text('reason').notNull(),
  /** `[{platform}]`, as the change reported them. */
  kickedDevices: jsonValue<{ platform: string }[]>('kicked_devices').notNull(),
  eventTime: bigint('event_time', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
