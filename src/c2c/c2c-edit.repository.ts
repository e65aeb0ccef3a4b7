import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { C2CMessageEditedEvent } from './events/c2c-message-edited.event.js';
import { c2cMessageEdits } from './c2c.schema.js';
import { inRefs, messageRefOf, refKey, type MessageRef } from './message-ref.js';

export type MessageEditRow = typeof c2cMessageEdits.$inferSelect;

/**
 * The newest edit of each message, kept apart from the messages so that an edit arriving before
 * its message applies once it arrives. One conditional upsert by EventTime: edits apply in any
 * order, twice or concurrently with the same result, and an older edit arriving late never wins.
 */
@Injectable()
export class C2CEditRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async applyIfNewer(event: C2CMessageEditedEvent): Promise<void> {
    await this.db
      .insert(c2cMessageEdits)
      .values({
        ...messageRefOf(event.from, event.to, event.msgKey),
        operatorAccount: event.operator,
        body: event.body,
        cloudCustomData: event.cloudCustomData,
        eventTime: event.eventTime,
      })
      .onConflictDoUpdate({
        target: [c2cMessageEdits.userA, c2cMessageEdits.userB, c2cMessageEdits.msgKey],
        set: {
          operatorAccount: sql`excluded.operator_account`,
          body: sql`excluded.body`,
          cloudCustomData: sql`excluded.cloud_custom_data`,
          eventTime: sql`excluded.event_time`,
        },
        // Two edits of one message with the same EventTime share a dedupe key: only one is applied.
        setWhere: sql`excluded.event_time > ${c2cMessageEdits.eventTime}`,
      });
  }

  /** The newest edit of each of the given messages, by refKey; absent if never edited. */
  async findNewest(refs: readonly MessageRef[]): Promise<Map<string, MessageEditRow>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db.select().from(c2cMessageEdits).where(inRefs(c2cMessageEdits, refs));
    return new Map(rows.map((row) => [refKey(row), row]));
  }
}
