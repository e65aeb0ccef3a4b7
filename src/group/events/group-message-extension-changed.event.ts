import type { CallbackMetadata } from '../../events/callback-metadata.js';

export type GroupExtensionOperation = 'set' | 'delete' | 'clear';

export interface GroupExtensionChangeItem {
  readonly key: string;
  /** Empty for a delete. */
  readonly value: string;
  /** The key's own version after this change. */
  readonly seq: number;
}

/** A group message's extension keys changed (`Group.CallbackAfterGroupMsgExtension`). */
export class GroupMessageExtensionChangedEvent {
  static readonly eventName = 'group.message-extension.changed';

  readonly groupId!: string;
  readonly msgSeq!: number;
  readonly operation!: GroupExtensionOperation;
  /** Empty for a clear. */
  readonly items!: readonly GroupExtensionChangeItem[];
  /** The message's extension version after this change. */
  readonly seq!: number;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupMessageExtensionChangedEvent]: GroupMessageExtensionChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
