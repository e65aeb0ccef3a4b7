import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { officialAccountMessageRecalls } from './official-account.schema.js';

/**
 * Recalled Official Account messages, kept apart from the messages so that a recall arriving
 * before its message applies once the message arrives. Should a message be reported recalled
 * twice, the earliest EventTime stays, whatever the arrival order.
 */
@Injectable()
export class OfficialAccountRecallRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async markRecalled(officialAccount: string, msgKeys: readonly string[], recalledAt: number): Promise<void> {
    const keys = [...new Set(msgKeys)];
    if (keys.length === 0) return;
    const r = officialAccountMessageRecalls;
    await this.db
      .insert(r)
      .values(keys.map((msgKey) => ({ officialAccount, msgKey, recalledAt })))
      .onConflictDoUpdate({
        target: [r.officialAccount, r.msgKey],
        set: { recalledAt: sql`excluded.recalled_at` },
        setWhere: sql`excluded.recalled_at < ${r.recalledAt}`,
      });
  }

  /** When each of the given messages was recalled (epoch ms), by MsgKey; absent if not recalled. */
  async findRecalledAt(officialAccount: string, msgKeys: readonly string[]): Promise<Map<string, number>> {
    if (msgKeys.length === 0) return new Map();
    const r = officialAccountMessageRecalls;
    const rows = await this.db
      .select()
      .from(r)
      .where(and(eq(r.officialAccount, officialAccount), inArray(r.msgKey, [...msgKeys])));
    return new Map(rows.map((row) => [row.msgKey, row.recalledAt]));
  }
}
