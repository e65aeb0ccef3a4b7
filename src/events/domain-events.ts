import { C2CMessageExtensionChangedEvent } from './c2c-message-extension-changed.event.js';
import { C2CMessageSendFailedEvent } from './c2c-message-send-failed.event.js';
import { C2CMessageSentEvent } from './c2c-message-sent.event.js';
import { OfficialAccountMessageSentEvent } from './official-account-message-sent.event.js';
import { WebhookReceivedEvent } from './webhook-received.event.js';
import { WebhookUnhandledEvent } from './webhook-unhandled.event.js';

/** The one map from event name to payload class: emits and listeners are checked against it. */
export interface DomainEventMap {
  'webhook.received': WebhookReceivedEvent;
  'webhook.unhandled': WebhookUnhandledEvent;
  'c2c.message.sent': C2CMessageSentEvent;
  'c2c.message.send-failed': C2CMessageSendFailedEvent;
  'c2c.message-extension.changed': C2CMessageExtensionChangedEvent;
  'official-account.message.sent': OfficialAccountMessageSentEvent;
}

export type DomainEventName = keyof DomainEventMap;

/** An event ready to emit: its name and the payload that name requires. */
export type DomainEvent = { [K in DomainEventName]: { name: K; payload: DomainEventMap[K] } }[DomainEventName];

export const DOMAIN_EVENT_NAMES: readonly DomainEventName[] = [
  WebhookReceivedEvent.eventName,
  WebhookUnhandledEvent.eventName,
  C2CMessageSentEvent.eventName,
  C2CMessageSendFailedEvent.eventName,
  C2CMessageExtensionChangedEvent.eventName,
  OfficialAccountMessageSentEvent.eventName,
] as const satisfies readonly DomainEventName[];
