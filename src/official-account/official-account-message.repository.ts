import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import type { OfficialAccountMessageSentEvent } from '../events/official-account-message-sent.event.js';
import { officialAccountMessages } from './official-account.schema.js';

export type OfficialAccountMessageRow = typeof officialAccountMessages.$inferSelect;

@Injectable()
export class OfficialAccountMessageRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async insertFromSentEvent(event: OfficialAccountMessageSentEvent): Promise<void> {
    await this.db
      .insert(officialAccountMessages)
      .values({
        officialAccount: event.officialAccount,
        msgKey: event.msgKey,
        msgTime: event.msgTime,
        onlineOnly: event.onlineOnly,
        body: event.body,
        cloudCustomData: event.cloudCustomData,
        eventTime: event.eventTime,
      })
      .onConflictDoNothing();
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
