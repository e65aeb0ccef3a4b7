import { WebhookReceivedEvent } from './webhook-received.event.js';
import { WebhookUnhandledEvent } from './webhook-unhandled.event.js';

/**
 * The one map from event name to payload class: emits and listeners are checked against it. The
 * webhook's own two events are here; each callback family adds its events (`declare module` in
 * its `events/index.ts`).
 */
export interface DomainEventMap {
  'webhook.received': WebhookReceivedEvent;
  'webhook.unhandled': WebhookUnhandledEvent;
}

export type DomainEventName = keyof DomainEventMap;

/** An event ready to emit: its name and the payload that name requires. */
export type DomainEvent = { [K in DomainEventName]: { name: K; payload: DomainEventMap[K] } }[DomainEventName];

/** The events of every callback, whatever its family. */
export const WEBHOOK_EVENT_NAMES = [WebhookReceivedEvent.eventName, WebhookUnhandledEvent.eventName] as const satisfies readonly DomainEventName[];
