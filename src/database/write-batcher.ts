export interface WriteBatcherOptions {
  /** Most items in one write. */
  readonly maxBatchSize?: number;
  /** Writes in flight at once: past this, new items wait and go together in the next write. */
  readonly maxConcurrentWrites?: number;
}

interface Pending<Item, Result> {
  readonly item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

// SQLSTATE classes where one item can fail the whole statement (bad data, a constraint, a row hit
// twice) or where the statement may simply be run again (deadlock, serialization failure).
const ITEM_LEVEL_FAILURE = /^(21|22|23|40)/;

/**
 * Group commit for one kind of write. Callers add one item each and await its own result; items
 * added while earlier writes are in flight go together in one statement. Under light load a
 * write holds one item and costs one event-loop turn of delay; under load, one round trip, one
 * plan and one commit serve many callbacks. Each caller still learns whether its own item was
 * written: a write that fails on its data is retried item by item, so one bad item fails alone.
 */
export class WriteBatcher<Item, Result> {
  private readonly maxBatchSize: number;
  private readonly maxConcurrentWrites: number;
  private queue: Pending<Item, Result>[] = [];
  private writesInFlight = 0;
  private flushScheduled = false;

  /** `write` gets the items in the order added and returns one result per item, in that order. */
  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    options: WriteBatcherOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxConcurrentWrites = options.maxConcurrentWrites ?? 2;
  }

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.queue.length === 0 || this.writesInFlight >= this.maxConcurrentWrites) return;
    this.flushScheduled = true;
    // After the current I/O phase: every request that arrived in it joins this write.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.writesInFlight < this.maxConcurrentWrites) {
      const batch = this.queue.length <= this.maxBatchSize ? this.queue : this.queue.slice(0, this.maxBatchSize);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatchSize);
      this.writesInFlight += 1;
      void this.writeBatch(batch).finally(() => {
        this.writesInFlight -= 1;
        this.scheduleFlush();
      });
    }
  }

  private async writeBatch(batch: Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((pending) => pending.item));
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (!isItemLevelFailure(error)) {
        // The database itself failed (lost, hung past the query timeout): the items waiting for a
        // free slot would only wait as long again before failing the same way, past Tencent's
        // 2 s. They fail now, with this error.
        const waiting = this.queue;
        this.queue = [];
        for (const pending of [...batch, ...waiting]) pending.reject(error);
        return;
      }
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) {
        try {
          const [result] = await this.write([pending.item]);
          pending.resolve(result!);
        } catch (itemError) {
          pending.reject(itemError);
        }
      }
    }
  }
}

function isItemLevelFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ITEM_LEVEL_FAILURE.test(code);
}

/**
 * Orders a batch's rows by their key. Concurrent multi-row upserts that lock rows in one global
 * order cannot deadlock each other.
 */
export function sortByKey<T>(rows: T[], keyOf: (row: T) => readonly string[]): T[] {
  return rows.sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i]! < kb[i]!) return -1;
      if (ka[i]! > kb[i]!) return 1;
    }
    return 0;
  });
}
