import { bigint, boolean, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { jsonValue } from '../database/raw-json.column.js';

export const officialAccountMessages = pgTable(
  'official_account_messages',
  {
    officialAccount: text('official_account').notNull(),
    msgKey: text('msg_key').notNull(),
    msgTime: bigint('msg_time', { mode: 'number' }).notNull(),
    onlineOnly: boolean('online_only').notNull(),
    body: jsonValue<unknown[]>('body').notNull(),
    cloudCustomData: text('cloud_custom_data'),
    eventTime: bigint('event_time', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.officialAccount, t.msgKey] }),
    index('official_account_messages_order_idx').on(t.officialAccount, t.msgTime, t.msgKey),
  ],
);
