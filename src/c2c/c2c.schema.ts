import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { jsonValue } from '../database/raw-json.column.js';

// A one-to-one conversation is the unordered pair of its users, stored as (user_a, user_b) with user_a <= user_b.

export const c2cMessages = pgTable(
  'c2c_messages',
  {
    userA: text('user_a').notNull(),
    userB: text('user_b').notNull(),
    msgKey: text('msg_key').notNull(),
    fromAccount: text('from_account').notNull(),
    toAccount: text('to_account').notNull(),
    msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
    msgRandom: bigint('msg_random', { mode: 'number' }).notNull(),
    msgTime: bigint('msg_time', { mode: 'number' }).notNull(),
    msgId: text('msg_id'),
    onlineOnly: boolean('online_only').notNull(),
    sendMsgResult: integer('send_msg_result').notNull(),
    errorInfo: text('error_info'),
    unreadMsgNum: integer('unread_msg_num').notNull(),
    body: jsonValue<unknown[]>('body').notNull(),
    cloudCustomData: text('cloud_custom_data'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userA, t.userB, t.msgKey] }),
    index('c2c_messages_conversation_order_idx').on(t.userA, t.userB, t.msgTime, t.msgSeq),
  ],
);

/** A user's total unread one-to-one count, as of the newest successful send to them. */
export const c2cUnreadCounts = pgTable('c2c_unread_counts', {
  userId: text('user_id').primaryKey(),
  unreadMsgNum: integer('unread_msg_num').notNull(),
  msgTime: bigint('msg_time', { mode: 'number' }).notNull(),
  msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * One row per extension key ever touched, as of its latest change. Changes are ordered by the
 * message's extension version (`changedAtSeq`, the callback's top-level Seq), which every change
 * increments; `seq` is the key's own Seq as reported. A delete stays as a tombstone so that an
 * older set arriving late cannot bring the key back.
 */
export const c2cMessageExtensionKeys = pgTable(
  'c2c_message_extension_keys',
  {
    userA: text('user_a').notNull(),
    userB: text('user_b').notNull(),
    msgKey: text('msg_key').notNull(),
    key: text('key').notNull(),
    value: text('value'),
    deleted: boolean('deleted').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    changedAtSeq: bigint('changed_at_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userA, t.userB, t.msgKey, t.key] })],
);

/** Per message: the highest extension version seen and the version of the latest clear-all. */
export const c2cMessageExtensionVersions = pgTable(
  'c2c_message_extension_versions',
  {
    userA: text('user_a').notNull(),
    userB: text('user_b').notNull(),
    msgKey: text('msg_key').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    clearedAtSeq: bigint('cleared_at_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userA, t.userB, t.msgKey] })],
);
