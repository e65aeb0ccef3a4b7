import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { groupMessageRecalls } from './group.schema.js';

/**
 * Recalled group messages, kept apart from the messages so that a recall arriving before its
 * message applies once the message arrives. Should a message be reported recalled twice, the
 * earliest time stays, whatever the arrival order.
 */
@Injectable()
export class GroupRecallRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async markRecalled(groupId: string, topicId: string, msgSeqs: readonly number[], recalledAt: number): Promise<void> {
    // Sorted: concurrent upserts lock rows in one order and cannot deadlock each other.
    const seqs = [...new Set(msgSeqs)].sort((a, b) => a - b);
    if (seqs.length === 0) return;
    const r = groupMessageRecalls;
    await this.db
      .insert(r)
      .values(seqs.map((msgSeq) => ({ groupId, topicId, msgSeq, recalledAt })))
      .onConflictDoUpdate({
        target: [r.groupId, r.topicId, r.msgSeq],
        set: { recalledAt: sql`excluded.recalled_at` },
        setWhere: sql`excluded.recalled_at < ${r.recalledAt}`,
      });
  }

  /** When each of the given messages was recalled (epoch ms), by MsgSeq; absent if not recalled. */
  async findRecalledAt(groupId: string, topicId: string, msgSeqs: readonly number[]): Promise<Map<number, number>> {
    if (msgSeqs.length === 0) return new Map();
    const r = groupMessageRecalls;
    const rows = await this.db
      .select()
      .from(r)
      .where(and(eq(r.groupId, groupId), eq(r.topicId, topicId), inArray(r.msgSeq, [...msgSeqs])));
    return new Map(rows.map((row) => [row.msgSeq, row.recalledAt]));
  }
}
