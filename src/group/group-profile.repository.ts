import { Inject, Injectable } from '@nestjs/common';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { groups } from './group.schema.js';

export type GroupRow = typeof groups.$inferSelect;

/** The profile fields; each has a column `<field>EventTime` with the EventTime that set it. */
const PROFILE_FIELDS = ['name', 'ownerAccount', 'introduction', 'notification', 'faceUrl'] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];
const timeOf = <F extends ProfileField>(field: F): `${F}EventTime` => `${field}EventTime`;

export type GroupProfileFields = Partial<Record<ProfileField, string | null>>;

/** What one group callback tells about the group: field values and lifecycle times, at its EventTime. */
export interface GroupFacts {
  groupId: string;
  eventTime: number;
  type?: string | null;
  /** Only the fields present (and not null) are applied. */
  fields?: GroupProfileFields;
  created?: boolean;
  destroyed?: boolean;
  full?: boolean;
  memberLeft?: boolean;
  attributesCleared?: boolean;
}

const excluded = (column: PgColumn): SQL => sql.raw(`excluded."${column.name}"`);

/**
 * Group profiles. Every callback is one upsert in which each field only moves forward: a profile
 * field takes the value of the newest callback (by EventTime) that carried it (a tie goes to the
 * greater value, so the result never depends on arrival order); lifecycle times keep the newest.
 */
@Injectable()
export class GroupProfileRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyFacts(facts: GroupFacts): Promise<void> {
    const g = groups;
    const values: typeof groups.$inferInsert = { groupId: facts.groupId, type: facts.type ?? null };
    for (const field of PROFILE_FIELDS) {
      const value = facts.fields?.[field];
      if (value === undefined || value === null) continue;
      values[field] = value;
      values[timeOf(field)] = facts.eventTime;
    }
    if (facts.created) values.createdEventTime = facts.eventTime;
    if (facts.destroyed) values.destroyedEventTime = facts.eventTime;
    if (facts.full) values.fullEventTime = facts.eventTime;
    if (facts.memberLeft) values.memberLeftEventTime = facts.eventTime;
    if (facts.attributesCleared) values.attributesClearedEventTime = facts.eventTime;

    const set: Partial<Record<keyof typeof values, SQL>> = {};
    for (const field of PROFILE_FIELDS) {
      const value = g[field];
      const time = g[timeOf(field)];
      const newer = sql`${excluded(time)} is not null and (${time} is null or (${excluded(time)}, ${excluded(value)}) > (${time}, ${value}))`;
      set[field] = sql`case when ${newer} then ${excluded(value)} else ${value} end`;
      set[timeOf(field)] = sql`case when ${newer} then ${excluded(time)} else ${time} end`;
    }
    // The type does not change; the first callback that carries it sets it.
    set.type = sql`coalesce(${g.type}, ${excluded(g.type)})`;
    // greatest ignores nulls: a callback that does not carry a time leaves it as it was.
    for (const column of ['createdEventTime', 'destroyedEventTime', 'fullEventTime', 'memberLeftEventTime', 'attributesClearedEventTime'] as const) {
      set[column] = sql`greatest(${g[column]}, ${excluded(g[column])})`;
    }
    set.updatedAt = sql`now()`;

    await this.db.insert(g).values(values).onConflictDoUpdate({ target: g.groupId, set });
  }

  async findOne(groupId: string): Promise<GroupRow | undefined> {
    const [row] = await this.db.select().from(groups).where(eq(groups.groupId, groupId));
    return row;
  }
}
