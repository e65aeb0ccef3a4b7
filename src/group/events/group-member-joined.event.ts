import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Users joined a group (`Group.CallbackAfterNewMemberJoin`). */
export class GroupMemberJoinedEvent {
  static readonly eventName = 'group.member.joined';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** `Apply` or `Invited`. */
  readonly joinType!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `NewMemberList`. */
  readonly members!: readonly string[];
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMemberJoinedEvent]: GroupMemberJoinedEvent[K] }) {
    Object.assign(this, fields);
  }
}
