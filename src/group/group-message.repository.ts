import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { GroupMessageSentEvent } from './events/group-message-sent.event.js';
import { topicKey } from './group-message-ref.js';
import { groupMessages } from './group.schema.js';

export type GroupMessageRow = typeof groupMessages.$inferSelect;

@Injectable()
export class GroupMessageRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** A message is a fact reported once, keyed by (group, topic, MsgSeq); a repeated report changes nothing. */
  async insertFromSentEvent(event: GroupMessageSentEvent): Promise<void> {
    await this.db
      .insert(groupMessages)
      .values({
        groupId: event.groupId,
        topicId: topicKey(event.topicId),
        msgSeq: event.msgSeq,
        fromAccount: event.from,
        operatorAccount: event.operator,
        msgRandom: event.msgRandom,
        msgTime: event.msgTime,
        msgId: event.msgId,
        onlineOnly: event.onlineOnly,
        body: [...event.body],
        cloudCustomData: event.cloudCustomData,
        eventTime: event.eventTime,
      })
      .onConflictDoNothing();
  }

  /** Messages of the group (or one of its topics), by MsgSeq. */
  async findInGroup(groupId: string, topicId: string, limit: number): Promise<GroupMessageRow[]> {
    const g = groupMessages;
    return this.db
      .select()
      .from(g)
      .where(and(eq(g.groupId, groupId), eq(g.topicId, topicId)))
      .orderBy(asc(g.msgSeq))
      .limit(limit);
  }

  async findOne(groupId: string, topicId: string, msgSeq: number): Promise<GroupMessageRow | undefined> {
    const g = groupMessages;
    const [row] = await this.db
      .select()
      .from(g)
      .where(and(eq(g.groupId, groupId), eq(g.topicId, topicId), eq(g.msgSeq, msgSeq)));
    return row;
  }
}
