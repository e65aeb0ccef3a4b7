import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { GroupCustomField } from './group-shared.js';

/** A Community topic was created (`Group.CallbackAfterCreateTopic`). */
export class GroupTopicCreatedEvent {
  static readonly eventName = 'group.topic.created';

  readonly groupId!: string;
  readonly topicId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** The group's owner. */
  readonly owner!: string | null;
  readonly name!: string | null;
  /** Topic custom fields; empty when not sent. */
  readonly customFields!: readonly GroupCustomField[];
  /** `EventTime` when sent (not documented for topics), else the receipt time. */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupTopicCreatedEvent]: GroupTopicCreatedEvent[K] }) {
    Object.assign(this, fields);
  }
}
