import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap, DomainEventName } from './domain-events.js';

type Handler<K extends DomainEventName> = (event: DomainEventMap[K]) => unknown;

/**
 * `@OnEvent` for a domain event, with the payload type checked against the event name and
 * listener errors surfaced (the callback is then marked failed and retried) instead of being
 * logged and dropped, which is `@OnEvent`'s default.
 */
export function OnDomainEvent<K extends DomainEventName>(name: K) {
  const onEvent = OnEvent(name, { suppressErrors: false });
  return <T extends Handler<K>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    onEvent(target, key, descriptor);
  };
}
