import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Official Account messages were recalled (`OfficialAccount.CallbackAfterMsgWithDraw`). */
export class OfficialAccountMessageRecalledEvent {
  static readonly eventName = 'official-account.message.recalled';

  readonly officialAccount!: string;
  /** The recalled messages (`WithdrawMsgList[].MsgKey`), in the callback's order. */
  readonly msgKeys!: readonly string[];
  /** Milliseconds since the epoch: when they were recalled. */
  readonly eventTime!: number;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof OfficialAccountMessageRecalledEvent]: OfficialAccountMessageRecalledEvent[K] }) {
    Object.assign(this, fields);
  }
}
