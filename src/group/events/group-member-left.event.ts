import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Members quit or were removed (`Group.CallbackAfterMemberExit`). */
export class GroupMemberLeftEvent {
  static readonly eventName = 'group.member.left';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** `Kicked` or `Quit`. */
  readonly exitType!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `ExitMemberList`. */
  readonly members!: readonly string[];
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMemberLeftEvent]: GroupMemberLeftEvent[K] }) {
    Object.assign(this, fields);
  }
}
