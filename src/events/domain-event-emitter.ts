import { Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEvent, DomainEventMap, DomainEventName } from './domain-events.js';

type Listener = (...args: unknown[]) => unknown;

/**
 * Typed emit over the Nest event emitter. `emit` waits until every listener has finished, then
 * rejects with the first listener error: callbacks are only marked processed once all their
 * listeners succeeded, and never answered or marked failed while a listener is still writing.
 * (EventEmitter2's `emitAsync` rejects at the first error while the others still run.)
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
      await this.callEveryListener(name, payload);
      this.metrics?.observeDispatch(name, 'ok', (performance.now() - started) / 1000);
    } catch (error) {
      this.metrics?.observeDispatch(name, 'error', (performance.now() - started) / 1000);
      throw error;
    }
  }

  async emitEvent(event: DomainEvent): Promise<void> {
    await this.emit(event.name, event.payload);
  }

  /** What emitAsync calls (catch-all listeners with the name, then the event's own; no wildcards here, see EventsModule), settled together. */
  private async callEveryListener(name: string, payload: unknown): Promise<void> {
    const calls: Promise<unknown>[] = [];
    const call = (listener: Listener, args: unknown[]): void => {
      try {
        calls.push(Promise.resolve(listener.apply(this.emitter, args)));
      } catch (error) {
        calls.push(Promise.reject(error));
      }
    };
    for (const listener of this.emitter.listenersAny() as Listener[]) call(listener, [name, payload]);
    for (const listener of this.emitter.listeners(name) as Listener[]) call(listener, [payload]);
    if (calls.length === 0) return;
    const results = await Promise.allSettled(calls);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
