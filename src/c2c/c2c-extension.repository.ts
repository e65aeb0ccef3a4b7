import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { conversationOf } from '../common/conversation.js';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { combinedWrite, sqlClientOf, type WritePart, type Statement } from '../database/sql-client.js';
import { sortByKey } from '../database/write-batcher.js';
import type { C2CMessageExtensionChangedEvent } from './events/c2c-message-extension-changed.event.js';
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

interface KeyChange {
  userA: string;
  userB: string;
  msgKey: string;
  key: string;
  value: string | null;
  deleted: boolean;
  seq: number;
  changedAtSeq: number;
}

interface VersionChange {
  userA: string;
  userB: string;
  msgKey: string;
  seq: number;
  clearedAtSeq: number;
}

const UPSERT_KEYS: Statement = {
  name: 'c2c_extension_keys_upsert',
  text: `INSERT INTO c2c_message_extension_keys (user_a, user_b, msg_key, key, value, deleted, seq, changed_at_seq)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::bigint[], $8::bigint[])
    ON CONFLICT (user_a, user_b, msg_key, key) DO UPDATE
      SET value = excluded.value, deleted = excluded.deleted, seq = excluded.seq, changed_at_seq = excluded.changed_at_seq
      WHERE excluded.changed_at_seq > c2c_message_extension_keys.changed_at_seq`,
};

const UPSERT_VERSIONS: Statement = {
  name: 'c2c_extension_versions_upsert',
  text: `INSERT INTO c2c_message_extension_versions (user_a, user_b, msg_key, seq, cleared_at_seq)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
    ON CONFLICT (user_a, user_b, msg_key) DO UPDATE
      SET seq = greatest(c2c_message_extension_versions.seq, excluded.seq),
          cleared_at_seq = greatest(c2c_message_extension_versions.cleared_at_seq, excluded.cleared_at_seq)`,
};

/**
 * Message extensions as Tencent holds them after applying every change in Seq order. Each
 * statement only moves state forward by Seq, so changes can arrive in any order, twice, or
 * concurrently, and before their message, with the same result. Concurrent changes are written
 * together (an upsert may not touch a row twice, so each batch first keeps, per row, what the
 * statement would have kept).
 */
@Injectable()
export class C2CExtensionRepository {
  private readonly keyChanges: WritePart<KeyChange[]>;
  private readonly versionChanges: WritePart<VersionChange>;

  constructor(@Inject(DRIZZLE) private readonly db: Database) {
    const sqlClient = sqlClientOf(db);
    this.keyChanges = combinedWrite(sqlClient, UPSERT_KEYS, (batch) => {
      const newest = new Map<string, KeyChange>();
      for (const change of batch.flat()) {
        const id = JSON.stringify([change.userA, change.userB, change.msgKey, change.key]);
        const kept = newest.get(id);
        if (!kept || change.changedAtSeq > kept.changedAtSeq) newest.set(id, change);
      }
      const rows = sortByKey([...newest.values()], (r) => [r.userA, r.userB, r.msgKey, r.key]);
      return [
        rows.map((r) => r.userA),
        rows.map((r) => r.userB),
        rows.map((r) => r.msgKey),
        rows.map((r) => r.key),
        rows.map((r) => r.value),
        rows.map((r) => r.deleted),
        rows.map((r) => r.seq),
        rows.map((r) => r.changedAtSeq),
      ];
    });
    this.versionChanges = combinedWrite(sqlClient, UPSERT_VERSIONS, (batch) => {
      const merged = new Map<string, VersionChange>();
      for (const change of batch) {
        const id = refKey(change);
        const kept = merged.get(id);
        merged.set(
          id,
          kept ? { ...kept, seq: Math.max(kept.seq, change.seq), clearedAtSeq: Math.max(kept.clearedAtSeq, change.clearedAtSeq) } : change,
        );
      }
      const rows = sortByKey([...merged.values()], (r) => [r.userA, r.userB, r.msgKey]);
      return [
        rows.map((r) => r.userA),
        rows.map((r) => r.userB),
        rows.map((r) => r.msgKey),
        rows.map((r) => r.seq),
        rows.map((r) => r.clearedAtSeq),
      ];
    });
  }

  async applyChange(event: C2CMessageExtensionChangedEvent): Promise<void> {
    const message = { ...conversationOf(event.from, event.to), msgKey: event.msgKey };
    // One row per key: a key listed twice in one change (the last one wins).
    const items = [...new Map(event.items.map((item) => [item.key, item])).values()];
    const writes: Promise<void>[] = [
      this.versionChanges.add({ ...message, seq: event.seq, clearedAtSeq: event.operation === 'clear' ? event.seq : 0 }),
    ];
    if (event.operation !== 'clear' && items.length > 0) {
      writes.push(
        this.keyChanges.add(
          items.map((item) => ({
            ...message,
            key: item.key,
            value: event.operation === 'set' ? item.value : null,
            deleted: event.operation === 'delete',
            seq: item.seq,
            changedAtSeq: event.seq,
          })),
        ),
      );
    }
    await Promise.all(writes);
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
