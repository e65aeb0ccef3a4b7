import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { GroupMessageExtensionChangedEvent } from './events/group-message-extension-changed.event.js';
import { groupMessageExtensionKeys, groupMessageExtensionVersions } from './group.schema.js';

export interface GroupExtensionItem {
  key: string;
  value: string;
  seq: number;
}

export interface GroupMessageExtensions {
  seq: number;
  items: GroupExtensionItem[];
}

export const NO_GROUP_EXTENSIONS: Readonly<GroupMessageExtensions> = Object.freeze({ seq: 0, items: [] });

/**
 * Group message extensions as Tencent holds them after applying every change in Seq order, by the
 * one-to-one rule: each key keeps its change with the highest message extension version (Seq), a
 * delete is a tombstone, and a clear-all hides every key changed at or before its Seq. Both upserts
 * only move state forward by Seq, so changes can arrive in any order, twice, concurrently, and
 * before their message. Extensions do not exist in Community groups: the topic is always ''.
 */
@Injectable()
export class GroupExtensionRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyChange(event: GroupMessageExtensionChangedEvent): Promise<void> {
    const message = { groupId: event.groupId, topicId: '', msgSeq: event.msgSeq };
    const v = groupMessageExtensionVersions;
    await this.db
      .insert(v)
      .values({ ...message, seq: event.seq, clearedAtSeq: event.operation === 'clear' ? event.seq : 0 })
      .onConflictDoUpdate({
        target: [v.groupId, v.topicId, v.msgSeq],
        set: { seq: sql`greatest(${v.seq}, excluded.seq)`, clearedAtSeq: sql`greatest(${v.clearedAtSeq}, excluded.cleared_at_seq)` },
      });
    // One row per key: a key listed twice in one change (the last one wins).
    // Sorted: concurrent upserts lock rows in one order and cannot deadlock each other.
    const items = [...new Map(event.items.map((item) => [item.key, item])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (event.operation === 'clear' || items.length === 0) return;
    const k = groupMessageExtensionKeys;
    await this.db
      .insert(k)
      .values(
        items.map((item) => ({
          ...message,
          key: item.key,
          value: event.operation === 'set' ? item.value : null,
          deleted: event.operation === 'delete',
          seq: item.seq,
          changedAtSeq: event.seq,
        })),
      )
      .onConflictDoUpdate({
        target: [k.groupId, k.topicId, k.msgSeq, k.key],
        set: { value: sql`excluded.value`, deleted: sql`excluded.deleted`, seq: sql`excluded.seq`, changedAtSeq: sql`excluded.changed_at_seq` },
        setWhere: sql`excluded.changed_at_seq > ${k.changedAtSeq}`,
      });
  }

  /** Current extensions of the given messages of one group and topic, by MsgSeq; absent for a message that has none. */
  async findForMessages(groupId: string, topicId: string, msgSeqs: readonly number[]): Promise<Map<number, GroupMessageExtensions>> {
    const result = new Map<number, GroupMessageExtensions>();
    if (msgSeqs.length === 0) return result;
    const v = groupMessageExtensionVersions;
    const k = groupMessageExtensionKeys;
    const versions = await this.db
      .select()
      .from(v)
      .where(and(eq(v.groupId, groupId), eq(v.topicId, topicId), inArray(v.msgSeq, [...msgSeqs])));
    if (versions.length === 0) return result;
    const keys = await this.db
      .select()
      .from(k)
      .where(and(eq(k.groupId, groupId), eq(k.topicId, topicId), inArray(k.msgSeq, versions.map((row) => row.msgSeq)), eq(k.deleted, false)));
    const clearedAtSeq = new Map(versions.map((row) => [row.msgSeq, row.clearedAtSeq]));
    for (const version of versions) result.set(version.msgSeq, { seq: version.seq, items: [] });
    for (const row of keys) {
      // A key changed before the latest clear-all is gone, whenever its change arrived.
      if (row.changedAtSeq <= (clearedAtSeq.get(row.msgSeq) ?? 0)) continue;
      result.get(row.msgSeq)?.items.push({ key: row.key, value: row.value ?? '', seq: row.seq });
    }
    for (const extensions of result.values()) extensions.items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return result;
  }
}
