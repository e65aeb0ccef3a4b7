import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { GroupProfileChanges } from './group-shared.js';

/** A topic's name, introduction, notification or avatar changed (`Group.CallbackAfterTopicInfoChanged`). */
export class GroupTopicUpdatedEvent {
  static readonly eventName = 'group.topic.updated';

  readonly groupId!: string;
  /** Not documented: null unless Tencent sends it, and then which topic changed is unknown. */
  readonly topicId!: string | null;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** The fields sent, with their new values. */
  readonly changes!: GroupProfileChanges;
  /** `EventTime` when sent (not documented), else the receipt time. */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupTopicUpdatedEvent]: GroupTopicUpdatedEvent[K] }) {
    Object.assign(this, fields);
  }
}
