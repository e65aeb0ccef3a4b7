import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { MessageBody } from '../../events/message-body.js';

/** A group message was sent (`Group.CallbackAfterSendMsg`). */
export class GroupMessageSentEvent {
  static readonly eventName = 'group.message.sent';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** The Community topic; null for a message of the group itself. `MsgSeq` counts per (groupId, topicId). */
  readonly topicId!: string | null;
  /** The sender. */
  readonly from!: string;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** Identifies the message within (groupId, topicId); larger is later. */
  readonly msgSeq!: number;
  /** `Random`. */
  readonly msgRandom!: number | null;
  /** Unix seconds. */
  readonly msgTime!: number;
  /** The client's message id (TRTC Live rooms); null when not sent. */
  readonly msgId!: string | null;
  readonly onlineOnly!: boolean;
  /** `MsgBody` as received. */
  readonly body!: MessageBody;
  readonly cloudCustomData!: string | null;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMessageSentEvent]: GroupMessageSentEvent[K] }) {
    Object.assign(this, fields);
  }
}
