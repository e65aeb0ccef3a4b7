import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { C2CConversationReadEvent } from './events/c2c-conversation-read.event.js';
import { c2cReadWatermarks } from './c2c.schema.js';

export type ReadWatermarkRow = typeof c2cReadWatermarks.$inferSelect;

/** Read reports: each reader's watermark per conversation, as of the newest report (LastReadTime). */
@Injectable()
export class C2CReadRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * Records the report unless a newer one (by LastReadTime) already did: one conditional upsert,
   * so late, repeated and concurrent reports cannot move a watermark back. A report with the same
   * LastReadTime has the same dedupe key and never gets here twice.
   */
  async recordIfNewer(event: C2CConversationReadEvent): Promise<void> {
    await this.db
      .insert(c2cReadWatermarks)
      .values({ reader: event.reader, peer: event.peer, lastReadTime: event.lastReadTime, unreadMsgNum: event.unreadMsgNum })
      .onConflictDoUpdate({
        target: [c2cReadWatermarks.reader, c2cReadWatermarks.peer],
        set: {
          lastReadTime: sql`excluded.last_read_time`,
          unreadMsgNum: sql`excluded.unread_msg_num`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`excluded.last_read_time > ${c2cReadWatermarks.lastReadTime}`,
      });
  }

  /** The reader's watermark (Unix seconds) in each conversation with the given peers, by peer. */
  async findWatermarks(reader: string, peers: readonly string[]): Promise<Map<string, number>> {
    if (peers.length === 0) return new Map();
    const rows = await this.db
      .select({ peer: c2cReadWatermarks.peer, lastReadTime: c2cReadWatermarks.lastReadTime })
      .from(c2cReadWatermarks)
      .where(and(eq(c2cReadWatermarks.reader, reader), inArray(c2cReadWatermarks.peer, [...peers])));
    return new Map(rows.map((row) => [row.peer, row.lastReadTime]));
  }

  /**
   * The reader's newest report in any conversation (by LastReadTime). Two reports in the same
   * second (different conversations) are told apart by the smaller unread total: reading only
   * lowers it, so that is the later one in all but rare cases, and the choice never depends on
   * the order the reports arrived in.
   */
  async findNewestOfReader(reader: string): Promise<ReadWatermarkRow | undefined> {
    const [row] = await this.db
      .select()
      .from(c2cReadWatermarks)
      .where(eq(c2cReadWatermarks.reader, reader))
      .orderBy(desc(c2cReadWatermarks.lastReadTime), asc(c2cReadWatermarks.unreadMsgNum), asc(c2cReadWatermarks.peer))
      .limit(1);
    return row;
  }
}
