import type { CallbackMetadata } from './callback-metadata.js';

/** Every accepted callback, raw, before its own domain event. */
export class WebhookReceivedEvent {
  static readonly eventName = 'webhook.received';

  constructor(
    readonly metadata: CallbackMetadata,
    /** The JSON body as Tencent sent it (parsed). */
    readonly payload: Record<string, unknown>,
  ) {}
}
