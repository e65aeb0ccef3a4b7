import { Injectable } from '@nestjs/common';

/**
 * How many "after" callbacks this instance is handling right now (stored, not yet answered).
 * Background work (a bulk replay) waits for a gap in them before each step, so that it takes the
 * database and the listeners when Tencent does not.
 */
@Injectable()
export class LiveCallbacks {
  private count = 0;
  private readonly quietWaiters = new Set<() => void>();

  get inFlight(): number {
    return this.count;
  }

  /** Counts `handling` while it runs. */
  async track<T>(handling: Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await handling;
    } finally {
      this.count -= 1;
      if (this.count === 0) for (const wake of [...this.quietWaiters]) wake();
    }
  }

  /** Resolves when no callback is in flight, or after `maxWaitMs` at the latest (so that the waiter still moves under steady traffic). */
  quiet(maxWaitMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.quietWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, maxWaitMs);
      this.quietWaiters.add(wake);
    });
  }
}
