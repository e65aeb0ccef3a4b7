import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** AVChatRoom members went offline or came back (`Group.CallbackOnMemberStateChange`). High volume: emitted only, not projected. */
export class GroupMemberPresenceChangedEvent {
  static readonly eventName = 'group.member.presence-changed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** `EventType`: `Online` or `Offline`. */
  readonly state!: string;
  /** True for `Online`. */
  readonly online!: boolean;
  /** `EventCause` (2025 page): `HeartbeatInterrupt`, `HeartbeatRecover`, `Join`, `Quit`; null when not sent. */
  readonly cause!: string | null;
  /** `MemberList`. */
  readonly members!: readonly string[];
  /** `EventTime` when sent (not documented), else the receipt time (`metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMemberPresenceChangedEvent]: GroupMemberPresenceChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
