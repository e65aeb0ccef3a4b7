import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { conversationOf } from '../common/conversation.js';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { combinedWrite, sqlClientOf, type WritePart, type Statement } from '../database/sql-client.js';
import { sortByKey } from '../database/write-batcher.js';
import type { C2CMessageEvent } from './events/c2c-message-sent.event.js';
import { c2cMessages } from './c2c.schema.js';

export type C2CMessageRow = typeof c2cMessages.$inferSelect;

const INSERT_MESSAGES: Statement = {
  name: 'c2c_messages_insert',
  text: `INSERT INTO c2c_messages (user_a, user_b, msg_key, from_account, to_account, msg_seq, msg_random, msg_time, msg_id, online_only, send_msg_result, error_info, unread_msg_num, body, cloud_custom_data)
    SELECT u.user_a, u.user_b, u.msg_key, u.from_account, u.to_account, u.msg_seq, u.msg_random, u.msg_time, u.msg_id, u.online_only, u.send_msg_result, u.error_info, u.unread_msg_num, u.body::json, u.cloud_custom_data
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::boolean[], $11::int[], $12::text[], $13::int[], $14::text[], $15::text[])
      AS u(user_a, user_b, msg_key, from_account, to_account, msg_seq, msg_random, msg_time, msg_id, online_only, send_msg_result, error_info, unread_msg_num, body, cloud_custom_data)
    ON CONFLICT DO NOTHING`,
};

@Injectable()
export class C2CMessageRepository {
  private readonly inserts: WritePart<C2CMessageEvent>;

  constructor(@Inject(DRIZZLE) private readonly db: Database) {
    const sqlClient = sqlClientOf(db);
    this.inserts = combinedWrite(sqlClient, INSERT_MESSAGES, (events) => {
      const rows = sortByKey(
        events.map((event) => ({ ...conversationOf(event.from, event.to), event })),
        (row) => [row.userA, row.userB, row.event.msgKey],
      );
      const column = <T>(pick: (event: C2CMessageEvent) => T): T[] => rows.map((row) => pick(row.event));
      return [
        rows.map((row) => row.userA),
        rows.map((row) => row.userB),
        column((e) => e.msgKey),
        column((e) => e.from),
        column((e) => e.to),
        column((e) => e.msgSeq),
        column((e) => e.msgRandom),
        column((e) => e.msgTime),
        column((e) => e.msgId),
        column((e) => e.onlineOnly),
        column((e) => e.sendMsgResult),
        column((e) => e.errorInfo),
        column((e) => e.unreadMsgNum),
        column((e) => JSON.stringify(e.body)),
        column((e) => e.cloudCustomData),
      ];
    });
  }

  /** A message is a fact reported once; a repeated report changes nothing. Batched with concurrent sends. */
  insertFromSendEvent(event: C2CMessageEvent): Promise<void> {
    return this.inserts.add(event);
  }

  async findInConversation(user1: string, user2: string, limit: number): Promise<C2CMessageRow[]> {
    const { userA, userB } = conversationOf(user1, user2);
    return this.db
      .select()
      .from(c2cMessages)
      .where(and(eq(c2cMessages.userA, userA), eq(c2cMessages.userB, userB)))
      .orderBy(asc(c2cMessages.msgTime), asc(c2cMessages.msgSeq), asc(c2cMessages.msgKey))
      .limit(limit);
  }

  async findOne(user1: string, user2: string, msgKey: string): Promise<C2CMessageRow | undefined> {
    const { userA, userB } = conversationOf(user1, user2);
    const [row] = await this.db
      .select()
      .from(c2cMessages)
      .where(and(eq(c2cMessages.userA, userA), eq(c2cMessages.userB, userB), eq(c2cMessages.msgKey, msgKey)));
    return row;
  }
}
