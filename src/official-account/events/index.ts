// The family's events, and its part of the typed event map (DomainEventMap).
import type { OfficialAccountMessageSentEvent } from './official-account-message-sent.event.js';
import type { OfficialAccountMessageRecalledEvent } from './official-account-message-recalled.event.js';
import type { OfficialAccountCreatedEvent } from './official-account-created.event.js';
import type { OfficialAccountUpdatedEvent } from './official-account-updated.event.js';
import type { OfficialAccountDestroyedEvent } from './official-account-destroyed.event.js';
import type { OfficialAccountFullEvent } from './official-account-full.event.js';
import type { OfficialAccountSubscribersAddedEvent, OfficialAccountSubscribersRemovedEvent } from './official-account-subscribers-changed.event.js';

export * from './official-account-message-sent.event.js';
export * from './official-account-message-recalled.event.js';
export * from './official-account-created.event.js';
export * from './official-account-updated.event.js';
export * from './official-account-destroyed.event.js';
export * from './official-account-full.event.js';
export * from './official-account-subscribers-changed.event.js';

declare module '../../events/domain-events.js' {
  interface DomainEventMap {
    'official-account.message.sent': OfficialAccountMessageSentEvent;
    'official-account.message.recalled': OfficialAccountMessageRecalledEvent;
    'official-account.created': OfficialAccountCreatedEvent;
    'official-account.updated': OfficialAccountUpdatedEvent;
    'official-account.destroyed': OfficialAccountDestroyedEvent;
    'official-account.full': OfficialAccountFullEvent;
    'official-account.subscribers.added': OfficialAccountSubscribersAddedEvent;
    'official-account.subscribers.removed': OfficialAccountSubscribersRemovedEvent;
  }
}
