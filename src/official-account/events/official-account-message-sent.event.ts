import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { MessageBody } from '../../events/message-body.js';

/** An Official Account broadcast was delivered (`OfficialAccount.CallbackAfterSendMsg`). */
export class OfficialAccountMessageSentEvent {
  static readonly eventName = 'official-account.message.sent';

  readonly officialAccount!: string;
  readonly msgKey!: string;
  /** Unix seconds. */
  readonly msgTime!: number;
  readonly onlineOnly!: boolean;
  readonly body!: MessageBody;
  readonly cloudCustomData!: string | null;
  /** Milliseconds; null when Tencent did not send it. */
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof OfficialAccountMessageSentEvent]: OfficialAccountMessageSentEvent[K] }) {
    Object.assign(this, fields);
  }
}
