import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap, DomainEventName } from './domain-events.js';

type Handler<K extends DomainEventName> = (event: DomainEventMap[K]) => unknown;

/** Where each class records its `@OnDomainEvent` methods: event name, method name. */
const DOMAIN_EVENT_HANDLERS = Symbol('domain-event-handlers');

interface HandlerEntry {
  readonly event: string;
  readonly method: string | symbol;
}

/**
 * `@OnEvent` for a domain event, with the payload type checked against the event name and
 * listener errors surfaced (the callback is then marked failed and retried) instead of being
 * logged and dropped, which is `@OnEvent`'s default. The method is also recorded in our own
 * metadata, so that one listener's handlers can be called alone (a projection rebuild) without
 * reading @nestjs/event-emitter's private metadata.
 */
export function OnDomainEvent<K extends DomainEventName>(name: K) {
  const onEvent = OnEvent(name, { suppressErrors: false });
  return <T extends Handler<K>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    onEvent(target, key, descriptor);
    const own = (Reflect.getOwnMetadata(DOMAIN_EVENT_HANDLERS, target) as HandlerEntry[] | undefined) ?? [];
    Reflect.defineMetadata(DOMAIN_EVENT_HANDLERS, [...own, { event: name, method: key }], target);
  };
}

/**
 * The methods of `listener` declared with `@OnDomainEvent(event)`, bound to it (inherited ones
 * included, an overriding method counted once).
 */
export function domainEventHandlersOf(listener: object, event: string): ((payload: unknown) => unknown)[] {
  const methods = new Set<string | symbol>();
  for (let prototype = Object.getPrototypeOf(listener) as object | null; prototype && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype) as object | null) {
    for (const entry of (Reflect.getOwnMetadata(DOMAIN_EVENT_HANDLERS, prototype) as HandlerEntry[] | undefined) ?? []) {
      if (entry.event === event) methods.add(entry.method);
    }
  }
  return [...methods].map((method) => {
    const handler = (listener as Record<string | symbol, unknown>)[method];
    if (typeof handler !== 'function') throw new Error(`${String(method)} of ${listener.constructor.name} is not a method`);
    return (payload: unknown) => (handler as (payload: unknown) => unknown).call(listener, payload);
  });
}
