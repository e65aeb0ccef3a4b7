import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Group messages were recalled (`Group.CallbackAfterRecallMsg`). */
export class GroupMessageRecalledEvent {
  static readonly eventName = 'group.message.recalled';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  readonly topicId!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `MsgSeqList`: the recalled messages. */
  readonly msgSeqs!: readonly number[];
  /** Milliseconds (`EventTime`, or the receipt time when absent). */
  readonly recalledAt!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMessageRecalledEvent]: GroupMessageRecalledEvent[K] }) {
    Object.assign(this, fields);
  }
}
