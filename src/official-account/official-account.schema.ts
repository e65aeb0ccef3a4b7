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

/**
 * An Official Account's profile. Every profile field carries the EventTime (ms) of the callback
 * that last set it and only a newer one replaces it, so callbacks apply in any order; an info
 * change only touches the fields it carries. A row exists once any profile or subscriber callback
 * of the account arrived.
 */
export const officialAccounts = pgTable('official_accounts', {
  officialAccount: text('official_account').primaryKey(),
  name: text('name'),
  nameEventTime: bigint('name_event_time', { mode: 'number' }),
  ownerAccount: text('owner_account'),
  ownerAccountEventTime: bigint('owner_account_event_time', { mode: 'number' }),
  faceUrl: text('face_url'),
  faceUrlEventTime: bigint('face_url_event_time', { mode: 'number' }),
  introduction: text('introduction'),
  introductionEventTime: bigint('introduction_event_time', { mode: 'number' }),
  organization: text('organization'),
  organizationEventTime: bigint('organization_event_time', { mode: 'number' }),
  createdEventTime: bigint('created_event_time', { mode: 'number' }),
  destroyedEventTime: bigint('destroyed_event_time', { mode: 'number' }),
  /** The newest OfficialAccountFull callback. */
  fullEventTime: bigint('full_event_time', { mode: 'number' }),
  /** The newest subscriber removal: after it, the account is no longer known to be full. */
  subscriberRemovedEventTime: bigint('subscriber_removed_event_time', { mode: 'number' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Each user's membership of an account as of its newest add or remove (by EventTime), so a late
 * older add cannot undo a newer remove. Removed members stay as rows with `subscribed` false.
 */
export const officialAccountSubscribers = pgTable(
  'official_account_subscribers',
  {
    officialAccount: text('official_account').notNull(),
    userId: text('user_id').notNull(),
    subscribed: boolean('subscribed').notNull(),
    /** Epoch milliseconds of the add or remove that decided `subscribed`. */
    eventTime: bigint('event_time', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.officialAccount, t.userId] }),
    index('official_account_subscribers_list_idx').on(t.officialAccount, t.subscribed, t.eventTime, t.userId),
  ],
);

/** Recalled Official Account messages, apart from the messages: a recall may arrive first. */
export const officialAccountMessageRecalls = pgTable(
  'official_account_message_recalls',
  {
    officialAccount: text('official_account').notNull(),
    msgKey: text('msg_key').notNull(),
    /** Epoch milliseconds (the callback's EventTime). */
    recalledAt: bigint('recalled_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.officialAccount, t.msgKey] })],
);
