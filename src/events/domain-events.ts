import { C2CConversationReadEvent } from '../c2c/events/c2c-conversation-read.event.js';
import { C2CMessageEditedEvent } from '../c2c/events/c2c-message-edited.event.js';
import { C2CMessageExtensionChangedEvent } from '../c2c/events/c2c-message-extension-changed.event.js';
import { C2CMessageRecalledEvent } from '../c2c/events/c2c-message-recalled.event.js';
import { C2CMessageSendFailedEvent } from '../c2c/events/c2c-message-send-failed.event.js';
import { C2CMessageSentEvent } from '../c2c/events/c2c-message-sent.event.js';
import { OfficialAccountCreatedEvent } from '../official-account/events/official-account-created.event.js';
import { OfficialAccountDestroyedEvent } from '../official-account/events/official-account-destroyed.event.js';
import { OfficialAccountFullEvent } from '../official-account/events/official-account-full.event.js';
import { OfficialAccountMessageRecalledEvent } from '../official-account/events/official-account-message-recalled.event.js';
import { OfficialAccountMessageSentEvent } from '../official-account/events/official-account-message-sent.event.js';
import { OfficialAccountSubscribersAddedEvent, OfficialAccountSubscribersRemovedEvent } from '../official-account/events/official-account-subscribers-changed.event.js';
import { OfficialAccountUpdatedEvent } from '../official-account/events/official-account-updated.event.js';
import { UserStateChangedEvent } from '../presence/events/user-state-changed.event.js';
import { WebhookReceivedEvent } from './webhook-received.event.js';
import { WebhookUnhandledEvent } from './webhook-unhandled.event.js';

/** The one map from event name to payload class: emits and listeners are checked against it. */
export interface DomainEventMap {
  'webhook.received': WebhookReceivedEvent;
  'webhook.unhandled': WebhookUnhandledEvent;
  'c2c.message.sent': C2CMessageSentEvent;
  'c2c.message.send-failed': C2CMessageSendFailedEvent;
  'c2c.message-extension.changed': C2CMessageExtensionChangedEvent;
  'c2c.conversation.read': C2CConversationReadEvent;
  'c2c.message.recalled': C2CMessageRecalledEvent;
  'c2c.message.edited': C2CMessageEditedEvent;
  'official-account.message.sent': OfficialAccountMessageSentEvent;
  'official-account.message.recalled': OfficialAccountMessageRecalledEvent;
  'official-account.created': OfficialAccountCreatedEvent;
  'official-account.updated': OfficialAccountUpdatedEvent;
  'official-account.destroyed': OfficialAccountDestroyedEvent;
  'official-account.full': OfficialAccountFullEvent;
  'official-account.subscribers.added': OfficialAccountSubscribersAddedEvent;
  'official-account.subscribers.removed': OfficialAccountSubscribersRemovedEvent;
  'user.state.changed': UserStateChangedEvent;
}

export type DomainEventName = keyof DomainEventMap;

/** An event ready to emit: its name and the payload that name requires. */
export type DomainEvent = { [K in DomainEventName]: { name: K; payload: DomainEventMap[K] } }[DomainEventName];

const EVENT_NAMES = [
  WebhookReceivedEvent.eventName,
  WebhookUnhandledEvent.eventName,
  C2CMessageSentEvent.eventName,
  C2CMessageSendFailedEvent.eventName,
  C2CMessageExtensionChangedEvent.eventName,
  C2CConversationReadEvent.eventName,
  C2CMessageRecalledEvent.eventName,
  C2CMessageEditedEvent.eventName,
  OfficialAccountMessageSentEvent.eventName,
  OfficialAccountMessageRecalledEvent.eventName,
  OfficialAccountCreatedEvent.eventName,
  OfficialAccountUpdatedEvent.eventName,
  OfficialAccountDestroyedEvent.eventName,
  OfficialAccountFullEvent.eventName,
  OfficialAccountSubscribersAddedEvent.eventName,
  OfficialAccountSubscribersRemovedEvent.eventName,
  UserStateChangedEvent.eventName,
] as const satisfies readonly DomainEventName[];

/** Accepts the list only when it names every event of the map (a compile error otherwise). */
const everyEvent = <T extends readonly DomainEventName[]>(
  names: T & ([Exclude<DomainEventName, T[number]>] extends [never] ? unknown : { missing: Exclude<DomainEventName, T[number]> }),
): readonly DomainEventName[] => names;

/** Every domain event name, e.g. for a policy that applies to all of them. */
export const DOMAIN_EVENT_NAMES: readonly DomainEventName[] = everyEvent(EVENT_NAMES);
