import { Inject, Injectable } from '@nestjs/common';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { officialAccounts } from './official-account.schema.js';

export type OfficialAccountRow = typeof officialAccounts.$inferSelect;

/** The profile fields; each has a column `<field>EventTime` with the EventTime that set it. */
const PROFILE_FIELDS = ['name', 'ownerAccount', 'faceUrl', 'introduction', 'organization'] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];
const timeOf = <F extends ProfileField>(field: F): `${F}EventTime` => `${field}EventTime`;

export type ProfileFields = Partial<Record<ProfileField, string>>;

/** What one profile callback tells: field values, and the account's lifecycle times. */
export interface ProfileFacts {
  officialAccount: string;
  eventTime: number;
  fields?: ProfileFields;
  created?: boolean;
  destroyed?: boolean;
  full?: boolean;
  subscriberRemoved?: boolean;
}

const excluded = (column: PgColumn): SQL => sql.raw(`excluded."${column.name}"`);

/**
 * Official Account profiles. Every callback is one upsert in which each field only moves forward:
 * a profile field takes the value of the newest callback (by EventTime) that carried it (a tie
 * goes to the greater value, so the result never depends on arrival order); lifecycle times keep
 * the first creation and destruction and the latest "full" and subscriber removal.
 */
@Injectable()
export class OfficialAccountProfileRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyFacts(facts: ProfileFacts): Promise<void> {
    const values: typeof officialAccounts.$inferInsert = { officialAccount: facts.officialAccount };
    for (const field of PROFILE_FIELDS) {
      const value = facts.fields?.[field];
      if (value === undefined) continue;
      values[field] = value;
      values[timeOf(field)] = facts.eventTime;
    }
    if (facts.created) values.createdEventTime = facts.eventTime;
    if (facts.destroyed) values.destroyedEventTime = facts.eventTime;
    if (facts.full) values.fullEventTime = facts.eventTime;
    if (facts.subscriberRemoved) values.subscriberRemovedEventTime = facts.eventTime;

    const set: Partial<Record<keyof typeof values, SQL>> = {};
    for (const field of PROFILE_FIELDS) {
      const value = officialAccounts[field];
      const time = officialAccounts[timeOf(field)];
      const newer = sql`${excluded(time)} is not null and (${time} is null or (${excluded(time)}, ${excluded(value)}) > (${time}, ${value}))`;
      set[field] = sql`case when ${newer} then ${excluded(value)} else ${value} end`;
      set[timeOf(field)] = sql`case when ${newer} then ${excluded(time)} else ${time} end`;
    }
    // least / greatest ignore nulls: a callback that does not carry a time leaves it as it was.
    set.createdEventTime = sql`least(${officialAccounts.createdEventTime}, ${excluded(officialAccounts.createdEventTime)})`;
    set.destroyedEventTime = sql`least(${officialAccounts.destroyedEventTime}, ${excluded(officialAccounts.destroyedEventTime)})`;
    set.fullEventTime = sql`greatest(${officialAccounts.fullEventTime}, ${excluded(officialAccounts.fullEventTime)})`;
    set.subscriberRemovedEventTime = sql`greatest(${officialAccounts.subscriberRemovedEventTime}, ${excluded(officialAccounts.subscriberRemovedEventTime)})`;
    set.updatedAt = sql`now()`;

    await this.db.insert(officialAccounts).values(values).onConflictDoUpdate({ target: officialAccounts.officialAccount, set });
  }

  /** Makes the account known (a subscriber callback about it arrived) without changing anything. */
  async ensureKnown(officialAccount: string): Promise<void> {
    await this.db.insert(officialAccounts).values({ officialAccount }).onConflictDoNothing();
  }

  async findOne(officialAccount: string): Promise<OfficialAccountRow | undefined> {
    const [row] = await this.db.select().from(officialAccounts).where(eq(officialAccounts.officialAccount, officialAccount));
    return row;
  }
}
