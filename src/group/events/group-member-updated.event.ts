import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** A member's role or name card changed (`Group.CallbackAfterMemberFieldChanged`). */
export class GroupMemberUpdatedEvent {
  static readonly eventName = 'group.member.updated';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** The member (`Member_Account`, or `Modified_Account` as the Java SDK names it). */
  readonly userId!: string;
  /** The new role (`Admin`, `Member`); null when it did not change. */
  readonly role!: string | null;
  /** The new name card; null when it did not change. */
  readonly nameCard!: string | null;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMemberUpdatedEvent]: GroupMemberUpdatedEvent[K] }) {
    Object.assign(this, fields);
  }
}
