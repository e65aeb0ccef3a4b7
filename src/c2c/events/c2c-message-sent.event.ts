import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { MessageBody } from '../../events/message-body.js';

/** Fields of a one-to-one message as `C2C.CallbackAfterSendMsg` reports it, in camelCase. */
export abstract class C2CMessageEvent {
  readonly from!: string;
  readonly to!: string;
  /** `MsgSeq_MsgRandom_MsgTime`; unique within the conversation. */
  readonly msgKey!: string;
  readonly msgSeq!: number;
  readonly msgRandom!: number;
  /** Unix seconds. */
  readonly msgTime!: number;
  /** The sending client's own id, when it gave one. */
  readonly msgId!: string | null;
  readonly onlineOnly!: boolean;
  /** 0 when delivered, else Tencent's error code. */
  readonly sendMsgResult!: number;
  readonly errorInfo!: string | null;
  /** The recipient's total unread one-to-one count; -1 when the send failed. */
  readonly unreadMsgNum!: number;
  readonly body!: MessageBody;
  readonly cloudCustomData!: string | null;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: C2CMessageFields) {
    Object.assign(this, fields);
  }
}

export type C2CMessageFields = { [K in keyof C2CMessageEvent]: C2CMessageEvent[K] };

/** A one-to-one message was delivered (`C2C.CallbackAfterSendMsg`, SendMsgResult 0). */
export class C2CMessageSentEvent extends C2CMessageEvent {
  static readonly eventName = 'c2c.message.sent';
}
