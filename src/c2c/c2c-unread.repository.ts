import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { c2cUnreadCounts } from './c2c.schema.js';

export type UnreadCountRow = typeof c2cUnreadCounts.$inferSelect;

@Injectable()
export class C2CUnreadRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * Records the recipient's unread total unless a newer send (by MsgTime, then MsgSeq) already
   * did: one conditional upsert, so concurrent and late callbacks cannot overwrite a newer value.
   */
  async recordIfNewer(userId: string, unreadMsgNum: number, msgTime: number, msgSeq: number): Promise<void> {
    await this.db
      .insert(c2cUnreadCounts)
      .values({ userId, unreadMsgNum, msgTime, msgSeq })
      .onConflictDoUpdate({
        target: c2cUnreadCounts.userId,
        set: {
          unreadMsgNum: sql`excluded.unread_msg_num`,
          msgTime: sql`excluded.msg_time`,
          msgSeq: sql`excluded.msg_seq`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(excluded.msg_time, excluded.msg_seq) > (${c2cUnreadCounts.msgTime}, ${c2cUnreadCounts.msgSeq})`,
      });
  }

  async findByUser(userId: string): Promise<UnreadCountRow | undefined> {
    const [row] = await this.db.select().from(c2cUnreadCounts).where(eq(c2cUnreadCounts.userId, userId));
    return row;
  }
}
