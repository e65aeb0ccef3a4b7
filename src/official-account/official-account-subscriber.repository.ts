import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { officialAccountSubscribers } from './official-account.schema.js';

export type SubscriberRow = typeof officialAccountSubscribers.$inferSelect;

/**
 * Subscriber memberships. Each user's row moves only forward by EventTime, so a late older add
 * cannot undo a newer remove (nor the reverse); an add and a remove with the same EventTime
 * resolve to removed, whichever arrives first.
 */
@Injectable()
export class OfficialAccountSubscriberRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async recordMembership(officialAccount: string, userIds: readonly string[], subscribed: boolean, eventTime: number): Promise<void> {
    // One row per user: a user listed twice must not make the upsert touch a row twice.
    const users = [...new Set(userIds)];
    if (users.length === 0) return;
    const s = officialAccountSubscribers;
    await this.db
      .insert(s)
      .values(users.map((userId) => ({ officialAccount, userId, subscribed, eventTime })))
      .onConflictDoUpdate({
        target: [s.officialAccount, s.userId],
        set: { subscribed: sql`excluded.subscribed`, eventTime: sql`excluded.event_time` },
        setWhere: sql`excluded.event_time > ${s.eventTime} or (excluded.event_time = ${s.eventTime} and ${s.subscribed} and not excluded.subscribed)`,
      });
  }

  async countSubscribed(officialAccount: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(officialAccountSubscribers)
      .where(and(eq(officialAccountSubscribers.officialAccount, officialAccount), eq(officialAccountSubscribers.subscribed, true)));
    return row?.n ?? 0;
  }

  /** Current subscribers, longest-standing first (by the EventTime of their add, then user id). */
  async findSubscribed(officialAccount: string, limit: number): Promise<SubscriberRow[]> {
    const s = officialAccountSubscribers;
    return this.db
      .select()
      .from(s)
      .where(and(eq(s.officialAccount, officialAccount), eq(s.subscribed, true)))
      .orderBy(asc(s.eventTime), asc(s.userId))
      .limit(limit);
  }
}
