import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** A group was disbanded (`Group.CallbackAfterGroupDestroyed`). */
export class GroupDestroyedEvent {
  static readonly eventName = 'group.destroyed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** `Owner_Account`. */
  readonly owner!: string | null;
  readonly name!: string | null;
  /** Members at disbanding; null when not sent (Community groups). */
  readonly members!: readonly string[] | null;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupDestroyedEvent]: GroupDestroyedEvent[K] }) {
    Object.assign(this, fields);
  }
}
