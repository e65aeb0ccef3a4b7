import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** An Official Account was destroyed (`OfficialAccount.CallbackAfterOfficialAccountDestroyed`). */
export class OfficialAccountDestroyedEvent {
  static readonly eventName = 'official-account.destroyed';

  readonly officialAccount!: string;
  /** Null when Tencent does not say. */
  readonly owner!: string | null;
  /** Null when Tencent does not say. */
  readonly name!: string | null;
  /** Milliseconds since the epoch. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof OfficialAccountDestroyedEvent]: OfficialAccountDestroyedEvent[K] }) {
    Object.assign(this, fields);
  }
}
