import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEvent, DomainEventMap, DomainEventName } from './domain-events.js';

/**
 * Typed emit over the Nest event emitter. `emit` awaits every listener and rejects with the
 * first listener error: callbacks are only marked processed once all their listeners succeeded.
 */
@Injectable()
export class DomainEventEmitter {
  constructor(private readonly emitter: EventEmitter2) {}

  async emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }

  async emitEvent(event: DomainEvent): Promise<void> {
    await this.emitter.emitAsync(event.name, event.payload);
  }
}
