import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { GroupMessageReceipt } from './events/group-message-read.event.js';
import { groupMessageReceipts } from './group.schema.js';

/**
 * Read counts of group messages. ReadNum only grows, so each message keeps its greatest: receipts
 * apply in any order, twice or concurrently with the same result, and before their message.
 */
@Injectable()
export class GroupReceiptRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async recordIfGreater(groupId: string, receipts: readonly GroupMessageReceipt[]): Promise<void> {
    // One row per message: keep the greatest ReadNum of a message listed twice.
    const byMsgSeq = new Map<number, GroupMessageReceipt>();
    for (const receipt of receipts) {
      const kept = byMsgSeq.get(receipt.msgSeq);
      if (!kept || receipt.readNum > kept.readNum) byMsgSeq.set(receipt.msgSeq, receipt);
    }
    if (byMsgSeq.size === 0) return;
    const r = groupMessageReceipts;
    await this.db
      .insert(r)
      // Receipts do not exist in Community groups: never a topic.
      .values([...byMsgSeq.values()].sort((a, b) => a.msgSeq - b.msgSeq).map((receipt) => ({ groupId, topicId: '', msgSeq: receipt.msgSeq, readNum: receipt.readNum, unreadNum: receipt.unreadNum })))
      .onConflictDoUpdate({
        target: [r.groupId, r.topicId, r.msgSeq],
        set: { readNum: sql`excluded.read_num`, unreadNum: sql`excluded.unread_num` },
        setWhere: sql`excluded.read_num > ${r.readNum}`,
      });
  }

  /** ReadNum of each of the given messages, by MsgSeq; absent without a receipt. */
  async findReadCounts(groupId: string, topicId: string, msgSeqs: readonly number[]): Promise<Map<number, number>> {
    if (msgSeqs.length === 0) return new Map();
    const r = groupMessageReceipts;
    const rows = await this.db
      .select()
      .from(r)
      .where(and(eq(r.groupId, groupId), eq(r.topicId, topicId), inArray(r.msgSeq, [...msgSeqs])));
    return new Map(rows.map((row) => [row.msgSeq, row.readNum]));
  }
}
