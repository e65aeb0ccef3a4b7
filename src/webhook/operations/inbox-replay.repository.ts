import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../../database/database.types.js';
import { isUniqueViolation } from '../inbox/inbox.repository.js';
import { inboxReplays, type InboxReplayRow, type StoredReplayFilter } from './inbox-replay.schema.js';

/** What a job has done since its last saved progress, added to the stored counts. */
export interface ReplayProgress {
  cursorId: number;
  processed: number;
  failed: number;
  dead: number;
  unhandled: number;
  conflict: number;
  invalid: number;
}

const MAX_ERROR_LENGTH = 4000;

@Injectable()
export class InboxReplayRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /** A new running job held by `holder`; undefined when another job is running (on any instance). */
  async start(job: { filter: StoredReplayFilter; uptoId: number; total: number; holder: string }): Promise<InboxReplayRow | undefined> {
    try {
      const [row] = await this.db.insert(inboxReplays).values({ ...job, state: 'running' }).returning();
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async findById(id: number): Promise<InboxReplayRow | undefined> {
    const [row] = await this.db.select().from(inboxReplays).where(eq(inboxReplays.id, id));
    return row;
  }

  async running(): Promise<InboxReplayRow | undefined> {
    const [row] = await this.db.select().from(inboxReplays).where(eq(inboxReplays.state, 'running'));
    return row;
  }

  /** Newest first. */
  async list(limit: number): Promise<InboxReplayRow[]> {
    return this.db.select().from(inboxReplays).orderBy(desc(inboxReplays.id)).limit(limit);
  }

  /**
   * Adds progress and renews the heartbeat, fenced by the holder: returns whether the job is still
   * this holder's running job, and whether a cancel was asked for. False: someone declared it dead.
   */
  async saveProgress(id: number, holder: string, progress: ReplayProgress): Promise<{ running: boolean; cancelRequested: boolean }> {
    const t = inboxReplays;
    const added = progress.processed + progress.failed + progress.dead + progress.unhandled + progress.conflict + progress.invalid;
    const [row] = await this.db
      .update(t)
      .set({
        cursorId: progress.cursorId,
        replayed: sql`${t.replayed} + ${added}`,
        processed: sql`${t.processed} + ${progress.processed}`,
        failed: sql`${t.failed} + ${progress.failed}`,
        dead: sql`${t.dead} + ${progress.dead}`,
        unhandled: sql`${t.unhandled} + ${progress.unhandled}`,
        conflict: sql`${t.conflict} + ${progress.conflict}`,
        invalid: sql`${t.invalid} + ${progress.invalid}`,
        heartbeatAt: sql`now()`,
      })
      .where(and(eq(t.id, id), eq(t.holder, holder), eq(t.state, 'running')))
      .returning({ cancelRequested: t.cancelRequested });
    return { running: row !== undefined, cancelRequested: row?.cancelRequested ?? false };
  }

  async finish(id: number, holder: string, state: 'done' | 'failed' | 'cancelled', error?: string): Promise<void> {
    await this.db
      .update(inboxReplays)
      .set({ state, lastError: error === undefined ? null : truncate(error), finishedAt: sql`now()`, heartbeatAt: sql`now()` })
      .where(and(eq(inboxReplays.id, id), eq(inboxReplays.holder, holder), eq(inboxReplays.state, 'running')));
  }

  /** Asks a running job to stop after its current callback; the job row as it stands, undefined when missing. */
  async requestCancel(id: number): Promise<InboxReplayRow | undefined> {
    await this.db.update(inboxReplays).set({ cancelRequested: true }).where(and(eq(inboxReplays.id, id), eq(inboxReplays.state, 'running')));
    return this.findById(id);
  }

  /**
   * Marks failed the running jobs whose instance stopped renewing their heartbeat (it crashed, or
   * was killed before it could mark them itself).
   */
  async failAbandoned(staleAfterSeconds: number): Promise<number> {
    const rows = await this.db
      .update(inboxReplays)
      .set({
        state: 'failed',
        lastError: sql`'interrupted: the instance running it (' || ${inboxReplays.holder} || ') stopped renewing it; start a new replay for what is left'`,
        finishedAt: sql`now()`,
      })
      .where(and(eq(inboxReplays.state, 'running'), lt(inboxReplays.heartbeatAt, sql`now() - make_interval(secs => ${staleAfterSeconds})`)))
      .returning({ id: inboxReplays.id });
    return rows.length;
  }
}

const truncate = (text: string): string => (text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text);
