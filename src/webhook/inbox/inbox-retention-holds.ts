import { Injectable } from '@nestjs/common';
import { describeError } from '../../common/describe-error.js';

/** The lowest inbox id a holder still needs; undefined: it needs none now. */
export type LowestNeededInboxId = () => number | undefined | Promise<number | undefined>;

/**
 * What keeps inbox rows from retention besides their status and age: a reader that still needs
 * rows (the event relay, which has not published them yet; a projection rebuild, which reads them)
 * holds every row from the lowest id it needs. Retention never deletes a row at or above the lowest
 * of all holds, asked again before every batch.
 */
@Injectable()
export class InboxRetentionHolds {
  private readonly holds = new Map<symbol, { name: string; lowestNeededInboxId: LowestNeededInboxId }>();

  /** Registers a hold; call the returned function to release it. */
  hold(name: string, lowestNeededInboxId: LowestNeededInboxId): () => void {
    const key = Symbol(name);
    this.holds.set(key, { name, lowestNeededInboxId });
    return () => void this.holds.delete(key);
  }

  /** The lowest id any hold needs (rows from it on are kept); undefined when nothing is held. */
  async lowestNeededInboxId(): Promise<number | undefined> {
    const ids = await Promise.all(
      [...this.holds.values()].map(async (hold) => {
        try {
          return await hold.lowestNeededInboxId();
        } catch (error) {
          // A hold that cannot answer keeps everything: the pass fails and deletes nothing.
          throw new Error(`retention hold ${hold.name} failed: ${describeError(error)}`, { cause: error });
        }
      }),
    );
    const needed = ids.filter((id): id is number => id !== undefined);
    return needed.length === 0 ? undefined : Math.min(...needed);
  }
}
