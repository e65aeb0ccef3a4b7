import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** The profile fields an info change carries: only those that changed are present. */
export interface OfficialAccountProfileChanges {
  readonly name?: string;
  readonly faceUrl?: string;
  readonly introduction?: string;
  readonly organization?: string;
}

/** An Official Account's profile changed (`OfficialAccount.CallbackAfterOfficialAccountInfoChanged`). */
export class OfficialAccountUpdatedEvent {
  static readonly eventName = 'official-account.updated';

  readonly officialAccount!: string;
  /** Who changed it (`Operator_Account`); null when Tencent does not say. */
  readonly operator!: string | null;
  /** The changed fields with their new values; a field that did not change is absent. */
  readonly changes!: OfficialAccountProfileChanges;
  /** Milliseconds since the epoch. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof OfficialAccountUpdatedEvent]: OfficialAccountUpdatedEvent[K] }) {
    Object.assign(this, fields);
  }
}
