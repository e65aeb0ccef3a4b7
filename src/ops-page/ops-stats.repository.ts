import { Inject, Injectable } from '@nestjs/common';
import { and, gte, lt, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { webhookInbox, type InboxStatus } from '../webhook/inbox/inbox.schema.js';

export interface InboxCount {
  bucket: Date;
  command: string;
  status: InboxStatus;
  count: number;
}

/** What the operator's page charts: the inbox counted by time bucket, command and status. */
@Injectable()
export class OpsStatsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * Rows received in [from, to), counted per bucket of `bucketSeconds` (aligned on the epoch),
   * command and status, in one grouped query that reads only the window (the BRIN index on
   * received_at). Buckets without a row are absent.
   */
  async countsByBucket(from: Date, to: Date, bucketSeconds: number): Promise<InboxCount[]> {
    // The bucket width is one of the service's own sizes, never input: inlined, so that the select
    // and the group by are the same expression.
    const bucket = sql`date_bin(${sql.raw(`interval '${Math.trunc(bucketSeconds)} seconds'`)}, ${webhookInbox.receivedAt}, timestamptz 'epoch')`.mapWith(webhookInbox.receivedAt);
    return this.db
      .select({ bucket, command: webhookInbox.command, status: webhookInbox.status, count: sql<number>`count(*)::int` })
      .from(webhookInbox)
      .where(and(gte(webhookInbox.receivedAt, from), lt(webhookInbox.receivedAt, to)))
      .groupBy(bucket, webhookInbox.command, webhookInbox.status)
      .orderBy(bucket, webhookInbox.command, webhookInbox.status);
  }
}
