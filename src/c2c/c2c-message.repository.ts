import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { conversationOf } from '../common/conversation.js';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { C2CMessageEvent } from '../events/c2c-message-sent.event.js';
import { c2cMessages } from './c2c.schema.js';

export type C2CMessageRow = typeof c2cMessages.$inferSelect;

@Injectable()
export class C2CMessageRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** A message is a fact reported once; a repeated report changes nothing. */
  async insertFromSendEvent(event: C2CMessageEvent): Promise<void> {
    await this.db
      .insert(c2cMessages)
      .values({
        ...conversationOf(event.from, event.to),
        msgKey: event.msgKey,
        fromAccount: event.from,
        toAccount: event.to,
        msgSeq: event.msgSeq,
        msgRandom: event.msgRandom,
        msgTime: event.msgTime,
        msgId: event.msgId,
        onlineOnly: event.onlineOnly,
        sendMsgResult: event.sendMsgResult,
        errorInfo: event.errorInfo,
        unreadMsgNum: event.unreadMsgNum,
        body: event.body,
        cloudCustomData: event.cloudCustomData,
      })
      .onConflictDoNothing();
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
