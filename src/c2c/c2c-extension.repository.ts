import { Inject, Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { conversationOf } from '../common/conversation.js';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { C2CMessageExtensionChangedEvent } from '../events/c2c-message-extension-changed.event.js';
import { c2cMessageExtensionKeys, c2cMessageExtensionVersions } from './c2c.schema.js';
import { inRefs, refKey, type MessageRef } from './message-ref.js';

export interface ExtensionItem {
  key: string;
  value: string;
  seq: number;
}

export interface MessageExtensions {
  seq: number;
  items: ExtensionItem[];
}

export const NO_EXTENSIONS: Readonly<MessageExtensions> = Object.freeze({ seq: 0, items: [] });

/**
 * Message extensions as Tencent holds them after applying every change in Seq order. Each
 * statement only moves state forward by Seq, so changes can arrive in any order, twice, or
 * concurrently, and before their message, with the same result.
 */
@Injectable()
export class C2CExtensionRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyChange(event: C2CMessageExtensionChangedEvent): Promise<void> {
    const message = { ...conversationOf(event.from, event.to), msgKey: event.msgKey };
    // One row per key: a key listed twice in one change (the last one wins) must not make the
    // upsert touch a row twice, which PostgreSQL refuses.
    const items = [...new Map(event.items.map((item) => [item.key, item])).values()];
    if (event.operation !== 'clear' && items.length > 0) {
      await this.db
        .insert(c2cMessageExtensionKeys)
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
          target: [c2cMessageExtensionKeys.userA, c2cMessageExtensionKeys.userB, c2cMessageExtensionKeys.msgKey, c2cMessageExtensionKeys.key],
          set: {
            value: sql`excluded.value`,
            deleted: sql`excluded.deleted`,
            seq: sql`excluded.seq`,
            changedAtSeq: sql`excluded.changed_at_seq`,
          },
          setWhere: sql`excluded.changed_at_seq > ${c2cMessageExtensionKeys.changedAtSeq}`,
        });
    }
    const clearedAtSeq = event.operation === 'clear' ? event.seq : 0;
    await this.db
      .insert(c2cMessageExtensionVersions)
      .values({ ...message, seq: event.seq, clearedAtSeq })
      .onConflictDoUpdate({
        target: [c2cMessageExtensionVersions.userA, c2cMessageExtensionVersions.userB, c2cMessageExtensionVersions.msgKey],
        set: {
          seq: sql`greatest(${c2cMessageExtensionVersions.seq}, excluded.seq)`,
          clearedAtSeq: sql`greatest(${c2cMessageExtensionVersions.clearedAtSeq}, excluded.cleared_at_seq)`,
        },
      });
  }

  /** Current extensions of the given messages, by refKey; absent for a message that has none. */
  async findForMessages(refs: readonly MessageRef[]): Promise<Map<string, MessageExtensions>> {
    const result = new Map<string, MessageExtensions>();
    if (refs.length === 0) return result;
    const versions = await this.db.select().from(c2cMessageExtensionVersions).where(inRefs(c2cMessageExtensionVersions, refs));
    if (versions.length === 0) return result;
    const keys = await this.db
      .select()
      .from(c2cMessageExtensionKeys)
      .where(and(inRefs(c2cMessageExtensionKeys, versions), eq(c2cMessageExtensionKeys.deleted, false)));
    const clearedAtSeq = new Map(versions.map((v) => [refKey(v), v.clearedAtSeq]));
    for (const version of versions) result.set(refKey(version), { seq: version.seq, items: [] });
    for (const row of keys) {
      // A key changed before the latest clear-all is gone, whenever its change arrived.
      if (row.changedAtSeq <= (clearedAtSeq.get(refKey(row)) ?? 0)) continue;
      result.get(refKey(row))?.items.push({ key: row.key, value: row.value ?? '', seq: row.seq });
    }
    for (const extensions of result.values()) extensions.items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return result;
  }
}
