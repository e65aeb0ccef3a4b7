import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { MessageBody } from '../../events/message-body.js';

/** A group message could not be sent (`Group.CallbackSendMsgException`). */
export class GroupMessageSendFailedEvent {
  static readonly eventName = 'group.message.send-failed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  readonly topicId!: string | null;
  /** The sender. */
  readonly from!: string;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `Random`. */
  readonly msgRandom!: number;
  readonly onlineOnly!: boolean;
  /** The failed `MsgBody`; null when not sent. */
  readonly body!: MessageBody | null;
  readonly cloudCustomData!: string | null;
  /** Why it failed: the Chat error code in the body (not the answer envelope). */
  readonly errorCode!: number;
  readonly errorInfo!: string | null;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMessageSendFailedEvent]: GroupMessageSendFailedEvent[K] }) {
    Object.assign(this, fields);
  }
}
