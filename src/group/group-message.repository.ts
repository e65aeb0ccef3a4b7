import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { combinedWrite, sqlClientOf, type Statement, type WritePart } from '../database/sql-client.js';
import { sortByKey } from '../database/write-batcher.js';
import type { GroupMessageSentEvent } from './events/group-message-sent.event.js';
import { topicKey } from './group-message-ref.js';
import { groupMessages } from './group.schema.js';

export type GroupMessageRow = typeof groupMessages.$inferSelect;

const INSERT_MESSAGES: Statement = {
  name: 'group_messages_insert',
  text: `INSERT INTO group_messages (group_id, topic_id, msg_seq, from_account, operator_account, msg_random, msg_time, msg_id, online_only, body, cloud_custom_data, event_time)
    SELECT u.group_id, u.topic_id, u.msg_seq, u.from_account, u.operator_account, u.msg_random, u.msg_time, u.msg_id, u.online_only, u.body::json, u.cloud_custom_data, u.event_time
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::boolean[], $10::text[], $11::text[], $12::bigint[])
      AS u(group_id, topic_id, msg_seq, from_account, operator_account, msg_random, msg_time, msg_id, online_only, body, cloud_custom_data, event_time)
    ON CONFLICT DO NOTHING`,
};

@Injectable()
export class GroupMessageRepository {
  private readonly inserts: WritePart<GroupMessageSentEvent>;

  constructor(@Inject(DRIZZLE) private readonly db: Database) {
    // The group family's hot path: batched with every other waiting projection write, as one-to-one messages are.
    this.inserts = combinedWrite(sqlClientOf(db), INSERT_MESSAGES, (events) => {
      // Key order, so that concurrent batches lock rows in the same order; a key twice in one batch is one row.
      const rows = sortByKey(events, (e) => [e.groupId, topicKey(e.topicId), String(e.msgSeq)]);
      const column = <T>(pick: (event: GroupMessageSentEvent) => T): T[] => rows.map(pick);
      return [
        column((e) => e.groupId),
        column((e) => topicKey(e.topicId)),
        column((e) => e.msgSeq),
        column((e) => e.from),
        column((e) => e.operator),
        column((e) => e.msgRandom),
        column((e) => e.msgTime),
        column((e) => e.msgId),
        column((e) => e.onlineOnly),
        column((e) => JSON.stringify(e.body)),
        column((e) => e.cloudCustomData),
        column((e) => e.eventTime),
      ];
    });
  }

  /** A message is a fact reported once, keyed by (group, topic, MsgSeq); a repeated report changes nothing. Batched with concurrent writes. */
  insertFromSentEvent(event: GroupMessageSentEvent): Promise<void> {
    return this.inserts.add(event);
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
