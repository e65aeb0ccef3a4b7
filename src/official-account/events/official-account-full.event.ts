import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** An Official Account reached its subscriber limit (`OfficialAccount.CallbackAfterOfficialAccountFull`). */
export class OfficialAccountFullEvent {
  static readonly eventName = 'official-account.full';

  readonly officialAccount!: string;
  /** Milliseconds since the epoch. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof OfficialAccountFullEvent]: OfficialAccountFullEvent[K] }) {
    Object.assign(this, fields);
  }
}
