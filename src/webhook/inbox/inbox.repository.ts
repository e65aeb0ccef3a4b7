import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../../database/database.types.js';
import type { CallbackSource } from '../incoming-callback.js';
import { webhookInbox, type InboxRow, type InboxStatus } from './inbox.schema.js';

export interface NewInboxEntry {
  command: string;
  dedupeKey: string;
  rawText: string;
  source: CallbackSource;
}

const MAX_ERROR_LENGTH = 4000;

@Injectable()
export class InboxRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** Commits a new callback; undefined when one with the same dedupe key is already stored. */
  async insertIfNew(entry: NewInboxEntry): Promise<InboxRow | undefined> {
    const [row] = await this.db
      .insert(webhookInbox)
      .values({ ...this.columnsOf(entry), dedupeKey: entry.dedupeKey, status: 'received' })
      .onConflictDoNothing({ target: webhookInbox.dedupeKey })
      .returning();
    return row;
  }

  /** Keeps a callback that failed validation, so it can be inspected and replayed once fixed. */
  async insertRejected(entry: Omit<NewInboxEntry, 'dedupeKey'>, reason: string): Promise<InboxRow> {
    const [row] = await this.db
      .insert(webhookInbox)
      .values({ ...this.columnsOf(entry), dedupeKey: null, status: 'rejected', lastError: truncate(reason) })
      .returning();
    return row!;
  }

  async markDispatched(id: number, status: Extract<InboxStatus, 'processed' | 'unhandled'>): Promise<void> {
    await this.db
      .update(webhookInbox)
      .set({ status, attempts: sql`${webhookInbox.attempts} + 1`, lastError: null, processedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(webhookInbox.id, id));
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db
      .update(webhookInbox)
      .set({ status: 'failed', attempts: sql`${webhookInbox.attempts} + 1`, lastError: truncate(error), updatedAt: sql`now()` })
      .where(eq(webhookInbox.id, id));
  }

  async findById(id: number): Promise<InboxRow | undefined> {
    const [row] = await this.db.select().from(webhookInbox).where(eq(webhookInbox.id, id));
    return row;
  }

  private columnsOf(entry: Omit<NewInboxEntry, 'dedupeKey'>) {
    return {
      command: entry.command,
      payload: entry.rawText,
      query: entry.source.query,
      sdkAppId: entry.source.sdkAppId,
      clientIp: entry.source.clientIp,
      optPlatform: entry.source.optPlatform,
      receivedAt: entry.source.receivedAt,
    };
  }
}

const truncate = (text: string): string => (text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text).replaceAll('\u0000', '');
