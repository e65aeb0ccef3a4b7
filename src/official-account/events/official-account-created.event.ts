import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** An Official Account was created (`OfficialAccount.CallbackAfterCreateOfficialAccount`). */
export class OfficialAccountCreatedEvent {
  static readonly eventName = 'official-account.created';

  readonly officialAccount!: string;
  /** Who created it (`Operator_Account`); null when Tencent does not say. */
  readonly operator!: string | null;
  readonly owner!: string;
  readonly name!: string;
  /** Milliseconds since the epoch. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof OfficialAccountCreatedEvent]: OfficialAccountCreatedEvent[K] }) {
    Object.assign(this, fields);
  }
}
