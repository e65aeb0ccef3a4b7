import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEventEmitter } from './domain-event-emitter.js';
import type { DomainEventMap } from './domain-events.js';

const payload = {} as DomainEventMap['c2c.message.sent'];

describe('DomainEventEmitter.emit', () => {
  it('rejects with a failing listener only after the other listeners have finished', async () => {
    const emitter = new EventEmitter2();
    const finished: string[] = [];
    // Listeners return promises (emitAsync awaits them); EventEmitter2's types say void.
    const failing = (): Promise<void> => Promise.reject(new Error('CRM is down'));
    const slow = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished.push('projection');
    };
    emitter.on('c2c.message.sent', failing as () => void);
    emitter.on('c2c.message.sent', slow as () => void);

    await expect(new DomainEventEmitter(emitter).emit('c2c.message.sent', payload)).rejects.toThrow('CRM is down');
    expect(finished).toEqual(['projection']);
  });

  it('rejects with a listener that throws synchronously, and still calls the others', async () => {
    const emitter = new EventEmitter2();
    const seen: unknown[] = [];
    emitter.on('c2c.message.sent', () => {
      throw new Error('sync failure');
    });
    emitter.on('c2c.message.sent', (event: unknown) => seen.push(event));

    await expect(new DomainEventEmitter(emitter).emit('c2c.message.sent', payload)).rejects.toThrow('sync failure');
    expect(seen).toEqual([payload]);
  });

  it('calls catch-all listeners with the name, then the event listeners, and resolves when all succeed', async () => {
    const emitter = new EventEmitter2();
    const calls: unknown[][] = [];
    emitter.onAny((name: string | string[], event: unknown) => calls.push(['any', name, event]));
    emitter.on('c2c.message.sent', (event: unknown) => calls.push(['own', event]));

    await new DomainEventEmitter(emitter).emit('c2c.message.sent', payload);
    expect(calls).toEqual([
      ['any', 'c2c.message.sent', payload],
      ['own', payload],
    ]);
  });
});
