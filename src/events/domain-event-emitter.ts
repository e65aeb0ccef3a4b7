import { Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEvent, DomainEventMap, DomainEventName } from './domain-events.js';

/**
 * Typed emit over the Nest event emitter. `emit` awaits every listener and rejects with the
 * first listener error: callbacks are only marked processed once all their listeners succeeded.
 */
@Injectable()
export class DomainEventEmitter {
  constructor(
    private readonly emitter: EventEmitter2,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): Promise<void> {
    const started = performance.now();
    try {
      await this.emitter.emitAsync(name, payload);
      this.metrics?.observeDispatch(name, 'ok', (performance.now() - started) / 1000);
    } catch (error) {
      this.metrics?.observeDispatch(name, 'error', (performance.now() - started) / 1000);
      throw error;
    }
  }

  async emitEvent(event: DomainEvent): Promise<void> {
    await this.emit(event.name, event.payload);
  }
}
