// The family's events, and its part of the typed event map (DomainEventMap).
import type { UserStateChangedEvent } from './user-state-changed.event.js';

export * from './user-state-changed.event.js';

declare module '../../events/domain-events.js' {
  interface DomainEventMap {
    'user.state.changed': UserStateChangedEvent;
  }
}
