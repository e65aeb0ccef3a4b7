import type { CallbackMetadata } from './callback-metadata.js';

/** An authenticated callback whose command this project does not model (yet): kept, answered OK. */
export class WebhookUnhandledEvent {
  static readonly eventName = 'webhook.unhandled';

  constructor(
    readonly metadata: CallbackMetadata,
    readonly payload: Record<string, unknown>,
  ) {}
}
