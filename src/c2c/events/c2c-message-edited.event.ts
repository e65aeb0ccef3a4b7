import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { MessageBody } from '../../events/message-body.js';

/** A one-to-one message was edited (`C2C.CallbackAfterModifyMsg`): its new body and CloudCustomData. */
export class C2CMessageEditedEvent {
  static readonly eventName = 'c2c.message.edited';

  /** Who edited it (`Operator_Account`); null when Tencent does not say. */
  readonly operator!: string | null;
  /** The sender of the message. */
  readonly from!: string;
  readonly to!: string;
  readonly msgKey!: string;
  readonly msgSeq!: number;
  readonly msgRandom!: number;
  /** Unix seconds: when the message was sent (not edited). */
  readonly msgTime!: number;
  /** The new `MsgBody`. */
  readonly body!: MessageBody;
  /** The new `CloudCustomData`; null when the edited message has none. */
  readonly cloudCustomData!: string | null;
  /** Milliseconds since the epoch: when the edit happened; a newer edit wins. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof C2CMessageEditedEvent]: C2CMessageEditedEvent[K] }) {
    Object.assign(this, fields);
  }
}
