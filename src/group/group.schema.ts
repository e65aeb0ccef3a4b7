import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { jsonValue } from '../database/raw-json.column.js';

// Group projections. Times are epoch milliseconds (EventTime, or the receipt time where Tencent
// sends none) except `msg_time` (Tencent's Unix seconds). Every table moves only forward, so
// callbacks apply in any order, twice, or concurrently with the same result.

/**
 * A group's profile. Each field carries the EventTime of the callback that last set it and only a
 * newer one replaces it (a tie goes to the greater value). A row exists once any callback about the
 * group arrived. Member counts are not here: no group callback carries one.
 */
export const groups = pgTable('groups', {
  groupId: text('group_id').primaryKey(),
  type: text('type'),
  name: text('name'),
  nameEventTime: bigint('name_event_time', { mode: 'number' }),
  ownerAccount: text('owner_account'),
  ownerAccountEventTime: bigint('owner_account_event_time', { mode: 'number' }),
  introduction: text('introduction'),
  introductionEventTime: bigint('introduction_event_time', { mode: 'number' }),
  notification: text('notification'),
  notificationEventTime: bigint('notification_event_time', { mode: 'number' }),
  faceUrl: text('face_url'),
  faceUrlEventTime: bigint('face_url_event_time', { mode: 'number' }),
  /** The newest creation: a custom GroupId can be created again after it was disbanded. */
  createdEventTime: bigint('created_event_time', { mode: 'number' }),
  /** The newest disbanding; the group is destroyed when it is not older than the newest creation. */
  destroyedEventTime: bigint('destroyed_event_time', { mode: 'number' }),
  /** The newest Group.CallbackAfterGroupFull. */
  fullEventTime: bigint('full_event_time', { mode: 'number' }),
  /** The newest member exit: after it, the group is no longer known to be full. */
  memberLeftEventTime: bigint('member_left_event_time', { mode: 'number' }),
  /** The newest attribute change that replaced or cleared every attribute (`set`, `clear`). */
  attributesClearedEventTime: bigint('attributes_cleared_event_time', { mode: 'number' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Group custom attributes (Group.CallbackAfterGroupAttrChanged), one row per key as of its newest
 * change (by EventTime); a deleted key stays as a tombstone so that an older set arriving late
 * cannot bring it back. A key older than the group's `attributes_cleared_event_time` is gone.
 */
export const groupAttributes = pgTable(
  'group_attributes',
  {
    groupId: text('group_id').notNull(),
    key: text('key').notNull(),
    value: text('value'),
    deleted: boolean('deleted').notNull(),
    eventTime: bigint('event_time', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.key] })],
);

/**
 * Each user's membership of a group as of its newest join or exit (by EventTime): a late older
 * join cannot undo a newer exit. Former members stay as rows with `member` false. Role and name
 * card move forward by their own EventTime, independently of membership.
 */
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: text('group_id').notNull(),
    userId: text('user_id').notNull(),
    member: boolean('member').notNull(),
    /** EventTime of the join or exit that decided `member`. */
    membershipEventTime: bigint('membership_event_time', { mode: 'number' }).notNull(),
    /** `JoinType` of the deciding join (`Apply`, `Invited`); null for initial members and exits. */
    joinType: text('join_type'),
    /** `ExitType` of the deciding exit (`Kicked`, `Quit`); null while a member. */
    exitType: text('exit_type'),
    /** `Operator_Account` of the deciding join or exit. */
    operatorAccount: text('operator_account'),
    role: text('role'),
    roleEventTime: bigint('role_event_time', { mode: 'number' }),
    nameCard: text('name_card'),
    nameCardEventTime: bigint('name_card_event_time', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index('group_members_current_idx').on(t.groupId, t.member, t.userId),
  ],
);

/**
 * Group messages (Group.CallbackAfterSendMsg), keyed by (group, topic or '', MsgSeq): MsgSeq counts
 * per group, and per topic in a Community. A message is a fact reported once.
 */
export const groupMessages = pgTable(
  'group_messages',
  {
    groupId: text('group_id').notNull(),
    /** '' for a message of the group itself. */
    topicId: text('topic_id').notNull(),
    msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
    fromAccount: text('from_account').notNull(),
    operatorAccount: text('operator_account'),
    msgRandom: bigint('msg_random', { mode: 'number' }),
    msgTime: bigint('msg_time', { mode: 'number' }).notNull(),
    msgId: text('msg_id'),
    onlineOnly: boolean('online_only').notNull(),
    body: jsonValue<unknown[]>('body').notNull(),
    cloudCustomData: text('cloud_custom_data'),
    eventTime: bigint('event_time', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId, t.msgSeq] })],
);

/** Recalls, apart from the messages: a recall may arrive before its message. The earliest time stays. */
export const groupMessageRecalls = pgTable(
  'group_message_recalls',
  {
    groupId: text('group_id').notNull(),
    topicId: text('topic_id').notNull(),
    msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
    recalledAt: bigint('recalled_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId, t.msgSeq] })],
);

/**
 * Read-receipt counts (Group.CallbackAfterReadReceipt): ReadNum only grows, so the greatest stays.
 * Receipts do not exist in Community groups, so `topic_id` is always ''.
 */
export const groupMessageReceipts = pgTable(
  'group_message_receipts',
  {
    groupId: text('group_id').notNull(),
    topicId: text('topic_id').notNull(),
    msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
    readNum: integer('read_num').notNull(),
    /** UnreadNum reported with the greatest ReadNum. */
    unreadNum: integer('unread_num'),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId, t.msgSeq] })],
);

/**
 * Extension keys of group messages, as c2c_message_extension_keys: one row per key as of the
 * change with the highest message extension version (`changed_at_seq`); a delete is a tombstone.
 * Extensions do not exist in Community groups, so `topic_id` is always ''.
 */
export const groupMessageExtensionKeys = pgTable(
  'group_message_extension_keys',
  {
    groupId: text('group_id').notNull(),
    topicId: text('topic_id').notNull(),
    msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
    key: text('key').notNull(),
    value: text('value'),
    deleted: boolean('deleted').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    changedAtSeq: bigint('changed_at_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId, t.msgSeq, t.key] })],
);

/** Per group message: the highest extension version seen and the version of the latest clear-all. */
export const groupMessageExtensionVersions = pgTable(
  'group_message_extension_versions',
  {
    groupId: text('group_id').notNull(),
    topicId: text('topic_id').notNull(),
    msgSeq: bigint('msg_seq', { mode: 'number' }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    clearedAtSeq: bigint('cleared_at_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId, t.msgSeq] })],
);

/**
 * Failed sends (Group.CallbackSendMsgException): no MsgSeq, so keyed by the send (sender, Random)
 * and why it failed, as its dedupe key. Kept for inspection; the read API lists sent messages only.
 */
export const groupMessageFailures = pgTable(
  'group_message_failures',
  {
    groupId: text('group_id').notNull(),
    topicId: text('topic_id').notNull(),
    fromAccount: text('from_account').notNull(),
    msgRandom: bigint('msg_random', { mode: 'number' }).notNull(),
    errorCode: integer('error_code').notNull(),
    errorInfo: text('error_info'),
    onlineOnly: boolean('online_only').notNull(),
    body: jsonValue<unknown[]>('body'),
    cloudCustomData: text('cloud_custom_data'),
    eventTime: bigint('event_time', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId, t.fromAccount, t.msgRandom, t.errorCode] })],
);

/**
 * Community topics. Topic callbacks document no EventTime (the receipt time stands in), so
 * destruction is terminal: a receipt order cannot tell a late creation from a re-creation.
 */
export const groupTopics = pgTable(
  'group_topics',
  {
    groupId: text('group_id').notNull(),
    topicId: text('topic_id').notNull(),
    name: text('name'),
    nameEventTime: bigint('name_event_time', { mode: 'number' }),
    createdEventTime: bigint('created_event_time', { mode: 'number' }),
    destroyedEventTime: bigint('destroyed_event_time', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topicId] })],
);
