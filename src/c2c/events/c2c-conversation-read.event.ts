import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** A user read a one-to-one conversation up to a time (`C2C.CallbackAfterMsgReport`). */
export class C2CConversationReadEvent {
  static readonly eventName = 'c2c.conversation.read';

  /** Who read (`Report_Account`). */
  readonly reader!: string;
  /** The other user of the conversation (`Peer_Account`). */
  readonly peer!: string;
  /** Unix seconds: every message of the conversation up to this time is read. */
  readonly lastReadTime!: number;
  /** The reader's total unread one-to-one count after this read. */
  readonly unreadMsgNum!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof C2CConversationReadEvent]: C2CConversationReadEvent[K] }) {
    Object.assign(this, fields);
  }
}
