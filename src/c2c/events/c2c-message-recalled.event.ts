import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** A one-to-one message was recalled (`C2C.CallbackAfterMsgWithDraw`). */
export class C2CMessageRecalledEvent {
  static readonly eventName = 'c2c.message.recalled';

  /** The sender of the recalled message. */
  readonly from!: string;
  readonly to!: string;
  /** The recalled message. */
  readonly msgKey!: string;
  /** Tencent's unread count sent with the recall (To_Account's total one-to-one unread). */
  readonly unreadMsgNum!: number | null;
  /**
   * Milliseconds since the epoch: the callback's `EventTime` when Tencent sends one, else the time
   * the callback was received (the command's field table has no time of its own).
   */
  readonly recalledAt!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof C2CMessageRecalledEvent]: C2CMessageRecalledEvent[K] }) {
    Object.assign(this, fields);
  }
}
