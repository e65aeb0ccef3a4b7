import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { combinedWrite, sqlClientOf, type WritePart, type Statement } from '../database/sql-client.js';
import { sortByKey } from '../database/write-batcher.js';
import type { OfficialAccountMessageSentEvent } from './events/official-account-message-sent.event.js';
import { officialAccountMessages } from './official-account.schema.js';

export type OfficialAccountMessageRow = typeof officialAccountMessages.$inferSelect;

const INSERT_MESSAGES: Statement = {
  name: 'official_account_messages_insert',
  text: `INSERT INTO official_account_messages (official_account, msg_key, msg_time, online_only, body, cloud_custom_data, event_time)
    SELECT u.official_account, u.msg_key, u.msg_time, u.online_only, u.body::json, u.cloud_custom_data, u.event_time
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[], $5::text[], $6::text[], $7::bigint[])
      AS u(official_account, msg_key, msg_time, online_only, body, cloud_custom_data, event_time)
    ON CONFLICT DO NOTHING`,
};

@Injectable()
export class OfficialAccountMessageRepository {
  private readonly inserts: WritePart<OfficialAccountMessageSentEvent>;

  constructor(@Inject(DRIZZLE) private readonly db: Database) {
    const sqlClient = sqlClientOf(db);
    this.inserts = combinedWrite(sqlClient, INSERT_MESSAGES, (events) => {
      const rows = sortByKey([...events], (e) => [e.officialAccount, e.msgKey]);
      return [
        rows.map((e) => e.officialAccount),
        rows.map((e) => e.msgKey),
        rows.map((e) => e.msgTime),
        rows.map((e) => e.onlineOnly),
        rows.map((e) => JSON.stringify(e.body)),
        rows.map((e) => e.cloudCustomData),
        rows.map((e) => e.eventTime),
      ];
    });
  }

  /** A message is a fact reported once; a repeated report changes nothing. Batched with concurrent sends. */
  insertFromSentEvent(event: OfficialAccountMessageSentEvent): Promise<void> {
    return this.inserts.add(event);
  }

  async findByAccount(officialAccount: string, limit: number): Promise<OfficialAccountMessageRow[]> {
    return this.db
      .select()
      .from(officialAccountMessages)
      .where(eq(officialAccountMessages.officialAccount, officialAccount))
      .orderBy(asc(officialAccountMessages.msgTime), asc(officialAccountMessages.msgKey))
      .limit(limit);
  }

  async findOne(officialAccount: string, msgKey: string): Promise<OfficialAccountMessageRow | undefined> {
    const [row] = await this.db
      .select()
      .from(officialAccountMessages)
      .where(and(eq(officialAccountMessages.officialAccount, officialAccount), eq(officialAccountMessages.msgKey, msgKey)));
    return row;
  }
}
