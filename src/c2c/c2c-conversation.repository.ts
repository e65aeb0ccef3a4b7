import { Inject, Injectable } from '@nestjs/common';
import { and, count, desc, eq, gt, inArray, isNull, notExists, or, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { c2cMessageRecalls, c2cMessages, c2cReadWatermarks } from './c2c.schema.js';
import type { C2CMessageRow } from './c2c-message.repository.js';

/** Read-side queries over a user's conversations: messages joined with read watermarks and recalls. */
@Injectable()
export class C2CConversationRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * The newest message (by MsgTime, then MsgSeq, whatever its send result) of each conversation
   * the user has a message in, newest conversation first.
   */
  async findLatestMessages(userId: string, limit: number): Promise<C2CMessageRow[]> {
    const latest = this.db
      .selectDistinctOn([c2cMessages.userA, c2cMessages.userB])
      .from(c2cMessages)
      .where(or(eq(c2cMessages.userA, userId), eq(c2cMessages.userB, userId)))
      .orderBy(c2cMessages.userA, c2cMessages.userB, desc(c2cMessages.msgTime), desc(c2cMessages.msgSeq), desc(c2cMessages.msgKey))
      .as('latest');
    return this.db
      .select()
      .from(latest)
      .orderBy(desc(latest.msgTime), desc(latest.msgSeq), latest.userA, latest.userB)
      .limit(limit);
  }

  /**
   * Per peer, how many of the peer's successful sends to the user are unread: sent after the
   * user's watermark in that conversation (all of them without one), and not recalled.
   */
  async countUnreadFromPeers(userId: string, peers: readonly string[]): Promise<Map<string, number>> {
    if (peers.length === 0) return new Map();
    const m = c2cMessages;
    const rows = await this.db
      .select({ peer: m.fromAccount, unread: count() })
      .from(m)
      .leftJoin(c2cReadWatermarks, and(eq(c2cReadWatermarks.reader, userId), eq(c2cReadWatermarks.peer, m.fromAccount)))
      .where(
        and(
          eq(m.toAccount, userId),
          inArray(m.fromAccount, [...peers]),
          eq(m.sendMsgResult, 0),
          or(isNull(c2cReadWatermarks.lastReadTime), gt(m.msgTime, c2cReadWatermarks.lastReadTime)),
          notExists(
            this.db
              .select({ one: sql`1` })
              .from(c2cMessageRecalls)
              .where(and(eq(c2cMessageRecalls.userA, m.userA), eq(c2cMessageRecalls.userB, m.userB), eq(c2cMessageRecalls.msgKey, m.msgKey))),
          ),
        ),
      )
      .groupBy(m.fromAccount);
    return new Map(rows.map((row) => [row.peer, row.unread]));
  }
}
