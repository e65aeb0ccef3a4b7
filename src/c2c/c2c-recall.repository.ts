import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { c2cMessageRecalls } from './c2c.schema.js';
import { inRefs, refKey, type MessageRef } from './message-ref.js';

/**
 * Recalls, kept apart from the messages: a recall that arrives before its message applies once
 * the message arrives. A message is recalled once; should it be reported twice, the earliest time
 * stays, whatever the arrival order.
 */
@Injectable()
export class C2CRecallRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async markRecalled(message: MessageRef, recalledAt: number): Promise<void> {
    await this.db
      .insert(c2cMessageRecalls)
      .values({ userA: message.userA, userB: message.userB, msgKey: message.msgKey, recalledAt })
      .onConflictDoUpdate({
        target: [c2cMessageRecalls.userA, c2cMessageRecalls.userB, c2cMessageRecalls.msgKey],
        set: { recalledAt: sql`excluded.recalled_at` },
        setWhere: sql`excluded.recalled_at < ${c2cMessageRecalls.recalledAt}`,
      });
  }

  /** When each of the given messages was recalled (epoch ms), by refKey; absent if not recalled. */
  async findRecalledAt(refs: readonly MessageRef[]): Promise<Map<string, number>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db.select().from(c2cMessageRecalls).where(inRefs(c2cMessageRecalls, refs));
    return new Map(rows.map((row) => [refKey(row), row.recalledAt]));
  }
}
