import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** A group's ownership was transferred (`Group.CallbackAfterChangeGroupOwner`). */
export class GroupOwnerChangedEvent {
  static readonly eventName = 'group.owner.changed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `OldOwner_Account`. */
  readonly oldOwner!: string | null;
  /** `NewOwner_Account`. */
  readonly newOwner!: string;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupOwnerChangedEvent]: GroupOwnerChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
