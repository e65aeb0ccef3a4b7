import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** A join filled a group, or failed because it was full (`Group.CallbackAfterGroupFull`): an alert, which may repeat. */
export class GroupFullEvent {
  static readonly eventName = 'group.full';

  readonly groupId!: string;
  /** Milliseconds since the epoch (`EventTime`, or the receipt time when absent: see `metadata.timedByReceipt`). */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupFullEvent]: GroupFullEvent[K] }) {
    Object.assign(this, fields);
  }
}
