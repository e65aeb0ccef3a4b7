import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { GroupProfileChanges } from './group-shared.js';

/** A group's name, introduction, notification or avatar changed (`Group.CallbackAfterGroupInfoChanged`). */
export class GroupInfoChangedEvent {
  static readonly eventName = 'group.info.changed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** The changed fields with their new values; a field that did not change is absent. */
  readonly changes!: GroupProfileChanges;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupInfoChangedEvent]: GroupInfoChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
