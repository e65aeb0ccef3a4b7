import { Inject, Injectable } from '@nestjs/common';
import { asc, eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { groupTopics } from './group.schema.js';

export type GroupTopicRow = typeof groupTopics.$inferSelect;

/** What one topic callback tells about one topic, at its EventTime (the receipt time when absent). */
export interface TopicFacts {
  groupId: string;
  topicId: string;
  eventTime: number;
  name?: string | null;
  created?: boolean;
  destroyed?: boolean;
}

/**
 * Community topics. The name moves forward by EventTime (a tie goes to the greater value); the
 * earliest creation and destruction stay, and destruction is terminal.
 */
@Injectable()
export class GroupTopicRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyFacts(facts: TopicFacts): Promise<void> {
    const t = groupTopics;
    const name = facts.name ?? null;
    const nameNewer = sql`excluded.name_event_time is not null and (${t.nameEventTime} is null or (excluded.name_event_time, excluded.name) > (${t.nameEventTime}, ${t.name}))`;
    await this.db
      .insert(t)
      .values({
        groupId: facts.groupId,
        topicId: facts.topicId,
        name,
        nameEventTime: name === null ? null : facts.eventTime,
        createdEventTime: facts.created ? facts.eventTime : null,
        destroyedEventTime: facts.destroyed ? facts.eventTime : null,
      })
      .onConflictDoUpdate({
        target: [t.groupId, t.topicId],
        set: {
          name: sql`case when ${nameNewer} then excluded.name else ${t.name} end`,
          nameEventTime: sql`case when ${nameNewer} then excluded.name_event_time else ${t.nameEventTime} end`,
          // least ignores nulls: a callback that does not carry a time leaves it as it was.
          createdEventTime: sql`least(${t.createdEventTime}, excluded.created_event_time)`,
          destroyedEventTime: sql`least(${t.destroyedEventTime}, excluded.destroyed_event_time)`,
        },
      });
  }

  /** Known topics of the group (destroyed ones included), by topic id. */
  async findInGroup(groupId: string, limit: number): Promise<GroupTopicRow[]> {
    return this.db.select().from(groupTopics).where(eq(groupTopics.groupId, groupId)).orderBy(asc(groupTopics.topicId)).limit(limit);
  }
}
