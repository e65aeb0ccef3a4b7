import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { GroupAttribute } from './events/group-shared.js';
import { groupAttributes } from './group.schema.js';

/**
 * Group custom attributes, one row per key, each moving forward by EventTime (a tie goes to a
 * delete, then to the greater value). `set` and `clear` also move the group's
 * attributes_cleared_event_time (GroupProfileRepository), which hides every older key.
 */
@Injectable()
export class GroupAttributeRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyKeys(groupId: string, attributes: readonly GroupAttribute[], deleted: boolean, eventTime: number): Promise<void> {
    // One row per key: a key listed twice must not make the upsert touch a row twice (the last wins).
    // Sorted: concurrent upserts lock rows in one order and cannot deadlock each other.
    const keys = [...new Map(attributes.map((a) => [a.key, a])).values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    if (keys.length === 0) return;
    const a = groupAttributes;
    await this.db
      .insert(a)
      .values(keys.map((attr) => ({ groupId, key: attr.key, value: deleted ? null : attr.value, deleted, eventTime })))
      .onConflictDoUpdate({
        target: [a.groupId, a.key],
        set: { value: sql`excluded.value`, deleted: sql`excluded.deleted`, eventTime: sql`excluded.event_time` },
        setWhere: sql`(excluded.event_time, excluded.deleted, coalesce(excluded.value, '')) > (${a.eventTime}, ${a.deleted}, coalesce(${a.value}, ''))`,
      });
  }

  /** The attributes that hold a value, set at or after the latest clear (epoch ms; null: never cleared). */
  async findCurrent(groupId: string, clearedAt: number | null): Promise<Record<string, string>> {
    const a = groupAttributes;
    const rows = await this.db
      .select()
      .from(a)
      .where(and(eq(a.groupId, groupId), eq(a.deleted, false), clearedAt === null ? undefined : gte(a.eventTime, clearedAt)))
      .orderBy(asc(a.key));
    return Object.fromEntries(rows.map((row) => [row.key, row.value ?? '']));
  }
}
