import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Fields shared by the subscriber events: who was added or removed, by whom, when. */
export abstract class OfficialAccountSubscribersEvent {
  readonly officialAccount!: string;
  /** Who made the change (`Operator_Account`); null when Tencent does not say. */
  readonly operator!: string | null;
  /** The users added or removed (`SubscribeAccountList[].Subscriber_Account`), in the callback's order. */
  readonly subscribers!: readonly string[];
  /** Milliseconds since the epoch. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: OfficialAccountSubscribersFields) {
    Object.assign(this, fields);
  }
}

export type OfficialAccountSubscribersFields = { [K in keyof OfficialAccountSubscribersEvent]: OfficialAccountSubscribersEvent[K] };

/** Users subscribed to an Official Account (`OfficialAccount.CallbackAfterAddSubscriber`). */
export class OfficialAccountSubscribersAddedEvent extends OfficialAccountSubscribersEvent {
  static readonly eventName = 'official-account.subscribers.added';
}

/** Users unsubscribed or were removed (`OfficialAccount.CallbackAfterDeleteSubscriber`). */
export class OfficialAccountSubscribersRemovedEvent extends OfficialAccountSubscribersEvent {
  static readonly eventName = 'official-account.subscribers.removed';
}
