import type { CallbackMetadata } from '../../events/callback-metadata.js';

export interface GroupMessageReceipt {
  readonly msgSeq: number;
  /** Members who have read it; only grows. */
  readonly readNum: number;
  readonly unreadNum: number | null;
  /** Who read it, in this callback. */
  readonly readers: readonly string[];
}

/** Group messages were read (`Group.CallbackAfterReadReceipt`). */
export class GroupMessageReadEvent {
  static readonly eventName = 'group.message.read';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** `GroupMsgReceiptList`, one per message. */
  readonly receipts!: readonly GroupMessageReceipt[];
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMessageReadEvent]: GroupMessageReadEvent[K] }) {
    Object.assign(this, fields);
  }
}
