import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { conversationOf } from '../common/conversation.js';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { C2CMessageExtensionChangedEvent } from '../events/c2c-message-extension-changed.event.js';
import { c2cMessageExtensionKeys, c2cMessageExtensionVersions } from './c2c.schema.js';

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
    if (event.operation !== 'clear' && event.items.length > 0) {
      await this.db
        .insert(c2cMessageExtensionKeys)
        .values(
          event.items.map((item) => ({
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

  /** Current extensions of the given messages of one conversation, by MsgKey. */
  async findForMessages(user1: string, user2: string, msgKeys: string[]): Promise<Map<string, MessageExtensions>> {
    const result = new Map<string, MessageExtensions>();
    if (msgKeys.length === 0) return result;
    const { userA, userB } = conversationOf(user1, user2);
    const versions = await this.db
      .select()
      .from(c2cMessageExtensionVersions)
      .where(
        and(
          eq(c2cMessageExtensionVersions.userA, userA),
          eq(c2cMessageExtensionVersions.userB, userB),
          inArray(c2cMessageExtensionVersions.msgKey, msgKeys),
        ),
      );
    if (versions.length === 0) return result;
    const keys = await this.db
      .select()
      .from(c2cMessageExtensionKeys)
      .where(
        and(
          eq(c2cMessageExtensionKeys.userA, userA),
          eq(c2cMessageExtensionKeys.userB, userB),
          inArray(c2cMessageExtensionKeys.msgKey, versions.map((v) => v.msgKey)),
          eq(c2cMessageExtensionKeys.deleted, false),
        ),
      );
    const clearedAtSeq = new Map(versions.map((v) => [v.msgKey, v.clearedAtSeq]));
    for (const version of versions) result.set(version.msgKey, { seq: version.seq, items: [] });
    for (const row of keys) {
      // A key changed before the latest clear-all is gone, whenever its change arrived.
      if (row.changedAtSeq <= (clearedAtSeq.get(row.msgKey) ?? 0)) continue;
      result.get(row.msgKey)?.items.push({ key: row.key, value: row.value ?? '', seq: row.seq });
    }
    for (const extensions of result.values()) extensions.items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return result;
  }
}
