import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { GroupCustomField } from './group-shared.js';

/** A group was created (`Group.CallbackAfterCreateGroup`). */
export class GroupCreatedEvent {
  static readonly eventName = 'group.created';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `Owner_Account`. */
  readonly owner!: string | null;
  readonly name!: string | null;
  /** The initial members (`MemberList`); empty when none were given. */
  readonly members!: readonly string[];
  /** `UserDefinedDataList`; empty unless custom fields are configured. */
  readonly customFields!: readonly GroupCustomField[];
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupCreatedEvent]: GroupCreatedEvent[K] }) {
    Object.assign(this, fields);
  }
}
