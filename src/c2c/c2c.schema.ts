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
    // A user's conversations: the primary key serves user_a, this serves user_b.
    index('c2c_messages_user_b_idx').on(t.userB),
    // Unread messages of a user, per sender, after a read watermark.
    index('c2c_messages_recipient_idx').on(t.toAccount, t.fromAccount, t.msgTime),
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

/**
 * A reader's read position in one conversation (`C2C.CallbackAfterMsgReport`): everything up to
 * `lastReadTime` (Unix seconds) is read. Kept as of the newest report (by LastReadTime), with the
 * reader's total unread count that report gave. Directed: (reader, peer), not the unordered pair.
 */
export const c2cReadWatermarks = pgTable(
  'c2c_read_watermarks',
  {
    reader: text('reader').notNull(),
    peer: text('peer').notNull(),
    lastReadTime: bigint('last_read_time', { mode: 'number' }).notNull(),
    unreadMsgNum: integer('unread_msg_num').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reader, t.peer] })],
);

/**
 * Recalled messages (`C2C.CallbackAfterMsgWithDraw`), apart from the messages so that a recall
 * arriving before its message applies once the message arrives. `recalledAt`: epoch milliseconds.
 */
export const c2cMessageRecalls = pgTable(
  'c2c_message_recalls',
  {
    userA: text('user_a').notNull(),
    userB: text('user_b').notNull(),
    msgKey: text('msg_key').notNull(),
    recalledAt: bigint('recalled_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userA, t.userB, t.msgKey] })],
);

/**
 * The newest edit of each edited message (`C2C.CallbackAfterModifyMsg`, by EventTime), apart from
 * the messages so that an edit arriving before its message applies once the message arrives, and
 * an older edit arriving late never replaces a newer one.
 */
export const c2cMessageEdits = pgTable(
  'c2c_message_edits',
  {
    userA: text('user_a').notNull(),
    userB: text('user_b').notNull(),
    msgKey: text('msg_key').notNull(),
    operatorAccount: text('operator_account'),
    body: jsonValue<unknown[]>('body').notNull(),
    cloudCustomData: text('cloud_custom_data'),
    /** Epoch milliseconds of the edit. */
    eventTime: bigint('event_time', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userA, t.userB, t.msgKey] })],
);
