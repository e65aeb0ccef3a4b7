import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { combinedWrite, sqlClientOf, type WritePart, type Statement } from '../database/sql-client.js';
import { sortByKey } from '../database/write-batcher.js';
import { c2cUnreadCounts } from './c2c.schema.js';

export type UnreadCountRow = typeof c2cUnreadCounts.$inferSelect;

interface UnreadReport {
  userId: string;
  unreadMsgNum: number;
  msgTime: number;
  msgSeq: number;
}

const RECORD_IF_NEWER: Statement = {
  name: 'c2c_unread_record_if_newer',
  text: `INSERT INTO c2c_unread_counts (user_id, unread_msg_num, msg_time, msg_seq)
    SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])
    ON CONFLICT (user_id) DO UPDATE
      SET unread_msg_num = excluded.unread_msg_num, msg_time = excluded.msg_time, msg_seq = excluded.msg_seq, updated_at = now()
      WHERE (excluded.msg_time, excluded.msg_seq) > (c2c_unread_counts.msg_time, c2c_unread_counts.msg_seq)`,
};

@Injectable()
export class C2CUnreadRepository {
  private readonly reports: WritePart<UnreadReport>;

  constructor(@Inject(DRIZZLE) private readonly db: Database) {
    const sqlClient = sqlClientOf(db);
    this.reports = combinedWrite(sqlClient, RECORD_IF_NEWER, (batch) => {
      // One row per user (an upsert may not touch a row twice): the newest report, the first of equals.
      const newest = new Map<string, UnreadReport>();
      for (const report of batch) {
        const kept = newest.get(report.userId);
        if (!kept || report.msgTime > kept.msgTime || (report.msgTime === kept.msgTime && report.msgSeq > kept.msgSeq)) {
          newest.set(report.userId, report);
        }
      }
      const rows = sortByKey([...newest.values()], (row) => [row.userId]);
      return [
        rows.map((r) => r.userId),
        rows.map((r) => r.unreadMsgNum),
        rows.map((r) => r.msgTime),
        rows.map((r) => r.msgSeq),
      ];
    });
  }

  /**
   * Records the recipient's unread total unless a newer send (by MsgTime, then MsgSeq) already
   * did: one conditional upsert, so concurrent and late callbacks cannot overwrite a newer value.
   */
  recordIfNewer(userId: string, unreadMsgNum: number, msgTime: number, msgSeq: number): Promise<void> {
    return this.reports.add({ userId, unreadMsgNum, msgTime, msgSeq });
  }

  async findByUser(userId: string): Promise<UnreadCountRow | undefined> {
    const [row] = await this.db.select().from(c2cUnreadCounts).where(eq(c2cUnreadCounts.userId, userId));
    return row;
  }
}
