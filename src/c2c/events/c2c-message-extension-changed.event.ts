import type { CallbackMetadata } from '../../events/callback-metadata.js';

export type ExtensionOperation = 'set' | 'delete' | 'clear';

export interface ExtensionChangeItem {
  readonly key: string;
  /** Empty for a delete. */
  readonly value: string;
  /** The key's own version after this change. */
  readonly seq: number;
}

/** A message's extension keys changed (`C2C.CallbackAfterC2CMsgExtension`). */
export class C2CMessageExtensionChangedEvent {
  static readonly eventName = 'c2c.message-extension.changed';

  /** Who made the change. */
  readonly from!: string;
  readonly to!: string;
  readonly msgKey!: string;
  readonly operation!: ExtensionOperation;
  readonly items!: readonly ExtensionChangeItem[];
  /** The message's extension version after this change. */
  readonly seq!: number;
  /** Milliseconds. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof C2CMessageExtensionChangedEvent]: C2CMessageExtensionChangedEvent[K] }) {
    Object.assign(this, fields);
  }
}
