import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { UserStateChangedEvent } from './events/user-state-changed.event.js';
import { userPresence } from './presence.schema.js';

export type PresenceRow = typeof userPresence.$inferSelect;

@Injectable()
export class PresenceRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * Records the change unless a newer one (by EventTime) already did: one conditional upsert, so
   * late, repeated and concurrent changes cannot move a user's state back. Changes with the same
   * EventTime (told apart by Action, which is in their dedupe key) are ordered online first, then
   * by action and reason, so the result never depends on the order they arrived in.
   */
  async recordIfNewer(event: UserStateChangedEvent): Promise<void> {
    const p = userPresence;
    await this.db
      .insert(p)
      .values({
        userId: event.userId,
        online: event.online,
        action: event.action,
        reason: event.reason,
        kickedDevices: event.kickedDevices.map((device) => ({ platform: device.platform })),
        eventTime: event.eventTime,
      })
      .onConflictDoUpdate({
        target: p.userId,
        set: {
          online: sql`excluded.online`,
          action: sql`excluded.action`,
          reason: sql`excluded.reason`,
          kickedDevices: sql`excluded.kicked_devices`,
          eventTime: sql`excluded.event_time`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(excluded.event_time, excluded.online, excluded.action, excluded.reason) > (${p.eventTime}, ${p.online}, ${p.action}, ${p.reason})`,
      });
  }

  async findByUser(userId: string): Promise<PresenceRow | undefined> {
    const [row] = await this.db.select().from(userPresence).where(eq(userPresence.userId, userId));
    return row;
  }
}
