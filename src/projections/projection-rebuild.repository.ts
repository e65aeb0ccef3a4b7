import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableName, gt, inArray, lte, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { webhookInbox, type InboxRow, type InboxStatus } from '../webhook/inbox/inbox.schema.js';
import { projectionRebuilds, type ProjectionRebuildRow } from './projection-rebuilds.schema.js';

/**
 * The stored callbacks a rebuild feeds: every one that reached (or may yet reach) the listeners.
 * Not rejected (invalid), decided ("before" callbacks) or unhandled (no listener of a family).
 */
export const FED_STATUSES: InboxStatus[] = ['received', 'processed', 'failed', 'dead'];

export interface RebuildProgress {
  readonly processed: number;
  readonly failed: number;
  readonly ratePerSecond: number;
  readonly cursorInboxId: number;
  readonly lastError: string | null;
}

@Injectable()
export class ProjectionRebuildRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * Records a running rebuild of `families`, or throws ConflictException when one of an overlapping
   * family runs. The table lock makes check-and-insert atomic across instances and processes; a
   * running row whose heartbeat is older than the lease (its instance stopped) is failed first.
   */
  async begin(family: string, families: string[], withListeners: boolean, leaseSeconds: number): Promise<ProjectionRebuildRow> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`LOCK TABLE projection_rebuilds IN SHARE ROW EXCLUSIVE MODE`);
      await tx
        .update(projectionRebuilds)
        .set(abandoned())
        .where(and(eq(projectionRebuilds.state, 'running'), sql`${projectionRebuilds.heartbeatAt} < now() - make_interval(secs => ${leaseSeconds})`));
      const [running] = await tx
        .select({ id: projectionRebuilds.id, families: projectionRebuilds.families })
        .from(projectionRebuilds)
        .where(and(eq(projectionRebuilds.state, 'running'), sql`${projectionRebuilds.families} && ${sql.param(families)}::text[]`))
        .limit(1);
      if (running) throw new ConflictException(`rebuild ${running.id} of ${running.families.join(', ')} is running; wait for it (GET /ops/rebuilds/${running.id})`);
      const [row] = await tx.insert(projectionRebuilds).values({ family, families, withListeners, state: 'running' }).returning();
      return row!;
    });
  }

  /**
   * The lowest inbox id a running rebuild, in any instance or process, still has to read (its
   * persisted cursor lags the real one, which only keeps more); undefined when none runs. A row left
   * running by a stopped instance holds nothing once its lease is over.
   */
  async lowestNeededInboxId(leaseSeconds: number): Promise<number | undefined> {
    const [row] = await this.db
      .select({ lowest: sql<string | null>`min(${projectionRebuilds.cursorInboxId}) + 1` })
      .from(projectionRebuilds)
      .where(and(eq(projectionRebuilds.state, 'running'), sql`${projectionRebuilds.heartbeatAt} >= now() - make_interval(secs => ${leaseSeconds})`));
    return row?.lowest == null ? undefined : Number(row.lowest);
  }

  /** Fails the running rebuilds whose instance stopped without finishing them (no heartbeat within the lease). */
  async failAbandoned(leaseSeconds: number): Promise<number> {
    const rows = await this.db
      .update(projectionRebuilds)
      .set(abandoned())
      .where(and(eq(projectionRebuilds.state, 'running'), sql`${projectionRebuilds.heartbeatAt} < now() - make_interval(secs => ${leaseSeconds})`))
      .returning({ id: projectionRebuilds.id });
    return rows.length;
  }

  /**
   * Empties the tables in one statement, so in one transaction: TRUNCATE waits for the writes in
   * flight, and no reader ever sees one table emptied and another not. Then reads the newest
   * inbox row: every callback stored before the truncate committed is at or below it.
   */
  async emptyTables(tables: readonly PgTable[]): Promise<number> {
    const names = sql.join(
      tables.map((table) => sql.identifier(getTableName(table))),
      sql`, `,
    );
    await this.db.execute(sql`TRUNCATE TABLE ${names}`);
    const [newest] = await this.db.select({ id: sql<string | null>`max(${webhookInbox.id})` }).from(webhookInbox);
    return Number(newest?.id ?? 0);
  }

  async countToFeed(commands: string[], highWaterInboxId: number): Promise<number> {
    const [row] = await this.db.select({ count: sql<string>`count(*)` }).from(webhookInbox).where(this.toFeed(commands, 0, highWaterInboxId));
    return Number(row?.count ?? 0);
  }

  /** The next rows to feed after `afterId`, in inbox order. */
  async pageToFeed(commands: string[], afterId: number, highWaterInboxId: number, limit: number): Promise<InboxRow[]> {
    return this.db.select().from(webhookInbox).where(this.toFeed(commands, afterId, highWaterInboxId)).orderBy(asc(webhookInbox.id)).limit(limit);
  }

  async recordStart(id: number, highWaterInboxId: number, total: number): Promise<void> {
    await this.db.update(projectionRebuilds).set({ highWaterInboxId, total, heartbeatAt: sql`now()` }).where(eq(projectionRebuilds.id, id));
  }

  async recordProgress(id: number, progress: RebuildProgress): Promise<void> {
    await this.db
      .update(projectionRebuilds)
      .set({ ...progress, heartbeatAt: sql`now()` })
      .where(and(eq(projectionRebuilds.id, id), eq(projectionRebuilds.state, 'running')));
  }

  async finish(id: number, state: 'done' | 'failed', progress: RebuildProgress): Promise<void> {
    await this.db
      .update(projectionRebuilds)
      .set({ ...progress, state, heartbeatAt: sql`now()`, finishedAt: sql`now()` })
      .where(eq(projectionRebuilds.id, id));
  }

  async find(id: number): Promise<ProjectionRebuildRow | undefined> {
    const [row] = await this.db.select().from(projectionRebuilds).where(eq(projectionRebuilds.id, id));
    return row;
  }

  async listNewestFirst(limit: number): Promise<ProjectionRebuildRow[]> {
    return this.db.select().from(projectionRebuilds).orderBy(desc(projectionRebuilds.id)).limit(limit);
  }

  private toFeed(commands: string[], afterId: number, highWaterInboxId: number) {
    return and(inArray(webhookInbox.command, commands), inArray(webhookInbox.status, FED_STATUSES), gt(webhookInbox.id, afterId), lte(webhookInbox.id, highWaterInboxId));
  }
}

const abandoned = () => ({
  state: 'failed' as const,
  lastError: 'interrupted: the instance running it stopped (no progress within the lease)',
  finishedAt: sql`now()`,
});
