import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Community topics were destroyed (`Group.CallbackAfterTopicDestroyed`). */
export class GroupTopicDestroyedEvent {
  static readonly eventName = 'group.topic.destroyed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** `TopicIdList`. */
  readonly topicIds!: readonly string[];
  /** `EventTime` when sent (not documented), else the receipt time. */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupTopicDestroyedEvent]: GroupTopicDestroyedEvent[K] }) {
    Object.assign(this, fields);
  }
}
