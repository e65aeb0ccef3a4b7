import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { GroupAttribute } from './group-shared.js';

/** A group's custom attributes were set, modified, cleared or deleted (`Group.CallbackAfterGroupAttrChanged`). */
export class GroupAttributesChangedEvent {
  static readonly eventName = 'group.attributes.changed';

  readonly groupId!: string;
  /** Group type as sent (`Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`, `Live`, ...); null when not sent. */
  readonly type!: string | null;
  /** Who acted (`Operator_Account`); null when not sent. */
  readonly operator!: string | null;
  /** `OptionType` as sent: `set` (replace all), `modify`, `clear`, `delete`; null when not sent. */
  readonly operation!: string | null;
  /** `GroupAttr` as sent (whether the whole set or the touched keys is not documented); empty when not sent. */
  readonly attributes!: readonly GroupAttribute[];
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupAttributesChangedEvent]: GroupAttributesChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
