import { Inject, Injectable, Optional } from '@nestjs/common';
import { and, desc, eq, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { DRIZZLE, DURABLE_DRIZZLE, type Database } from '../../database/database.types.js';
import type { CallbackSource } from '../incoming-callback.js';
import { webhookInbox, type InboxRow, type InboxStatus } from './inbox.schema.js';

export interface NewInboxEntry {
  command: string;
  dedupeKey: string;
  rawText: string;
  source: CallbackSource;
}

export interface InboxListFilter {
  status?: InboxStatus;
  command?: string;
  /** Rows older than this id (the previous page's last id). */
  beforeId?: number;
  limit: number;
}

export type FailureOutcome = { dead: true } | { dead: false; delayMs: number };

const MAX_ERROR_LENGTH = 4000;

/** What dispatching needs of a row: not its payload, which the caller already holds. */
const DISPATCH_COLUMNS = {
  id: webhookInbox.id,
  command: webhookInbox.command,
  dedupeKey: webhookInbox.dedupeKey,
  sdkAppId: webhookInbox.sdkAppId,
  clientIp: webhookInbox.clientIp,
  optPlatform: webhookInbox.optPlatform,
  receivedAt: webhookInbox.receivedAt,
  attempts: webhookInbox.attempts,
};
export type DispatchRow = Pick<InboxRow, keyof typeof DISPATCH_COLUMNS>;
const PENDING: InboxStatus[] = ['received', 'failed'];

const leaseFor = (seconds: number): SQL => sql`now() + make_interval(secs => ${seconds})`;

@Injectable()
export class InboxRepository {
  private readonly durable: Database;

  constructor(@Inject(DRIZZLE) private readonly db: Database, @Optional() @Inject(DURABLE_DRIZZLE) durable?: Database) {
    this.durable = durable ?? db;
  }

  /**
   * Commits a new callback, leased to the caller who is about to dispatch it; undefined when one
   * with the same dedupe key is already stored.
   */
  async insertIfNew(entry: NewInboxEntry, leaseSeconds: number): Promise<DispatchRow | undefined> {
    const [row] = await this.durable
      .insert(webhookInbox)
      .values({ ...this.columnsOf(entry), dedupeKey: entry.dedupeKey, status: 'received', leaseUntil: leaseFor(leaseSeconds) })
      .onConflictDoNothing({ target: webhookInbox.dedupeKey })
      .returning(DISPATCH_COLUMNS);
    return row;
  }

  /** Keeps a callback that failed validation, so it can be inspected and replayed once fixed. */
  async insertRejected(entry: Omit<NewInboxEntry, 'dedupeKey'>, reason: string): Promise<InboxRow> {
    const [row] = await this.durable
      .insert(webhookInbox)
      .values({ ...this.columnsOf(entry), dedupeKey: null, status: 'rejected', lastError: truncate(reason) })
      .returning();
    return row!;
  }

  /** Keeps "before" callbacks with the decisions they were answered with (audit; never re-dispatched), in one insert. */
  async insertDecided(decided: { entry: Omit<NewInboxEntry, 'dedupeKey'>; decision: Record<string, unknown> }[]): Promise<{ id: number }[]> {
    if (decided.length === 0) return [];
    return this.db
      .insert(webhookInbox)
      .values(
        decided.map(({ entry, decision }) => ({
          ...this.columnsOf(entry),
          dedupeKey: null,
          status: 'decided' as const,
          decision,
          attempts: 1,
          processedAt: sql`now()`,
        })),
      )
      .returning({ id: webhookInbox.id });
  }

  /**
   * Takes up to `limit` callbacks that are due (never dispatched, or failed and past their backoff)
   * and not held by a live lease, and leases them. SKIP LOCKED: concurrent claimers (other
   * instances) get disjoint rows and never wait on each other.
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<InboxRow[]> {
    const due = this.db
      .select({ id: webhookInbox.id })
      .from(webhookInbox)
      .where(
        and(
          inArray(webhookInbox.status, PENDING),
          or(isNull(webhookInbox.nextAttemptAt), lte(webhookInbox.nextAttemptAt, sql`now()`)),
          or(isNull(webhookInbox.leaseUntil), lt(webhookInbox.leaseUntil, sql`now()`)),
        ),
      )
      .orderBy(webhookInbox.id)
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.db.update(webhookInbox).set({ leaseUntil: leaseFor(leaseSeconds) }).where(inArray(webhookInbox.id, due)).returning();
  }

  /** Leases one row for a replay; undefined when it does not exist or a dispatch holds it now. */
  async claimForReplay(id: number, leaseSeconds: number): Promise<InboxRow | undefined> {
    const [row] = await this.db
      .update(webhookInbox)
      .set({ leaseUntil: leaseFor(leaseSeconds) })
      .where(and(eq(webhookInbox.id, id), or(isNull(webhookInbox.leaseUntil), lt(webhookInbox.leaseUntil, sql`now()`))))
      .returning();
    return row;
  }

  /** A rejected callback that now validates becomes an ordinary pending one, with its dedupe key. */
  async acceptRejected(id: number, dedupeKey: string, leaseSeconds: number): Promise<InboxRow | undefined> {
    const [row] = await this.db
      .update(webhookInbox)
      .set({ status: 'received', dedupeKey, lastError: null, leaseUntil: leaseFor(leaseSeconds), updatedAt: sql`now()` })
      .where(and(eq(webhookInbox.id, id), eq(webhookInbox.status, 'rejected')))
      .returning();
    return row;
  }

  async findByDedupeKey(dedupeKey: string): Promise<InboxRow | undefined> {
    const [row] = await this.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, dedupeKey));
    return row;
  }

  async markDispatched(id: number, status: Extract<InboxStatus, 'processed' | 'unhandled'>): Promise<void> {
    await this.db
      .update(webhookInbox)
      .set({
        status,
        attempts: sql`${webhookInbox.attempts} + 1`,
        lastError: null,
        processedAt: sql`now()`,
        nextAttemptAt: null,
        leaseUntil: null,
        updatedAt: sql`now()`,
      })
      .where(eq(webhookInbox.id, id));
  }

  async markFailed(id: number, error: string, outcome: FailureOutcome): Promise<void> {
    await this.db
      .update(webhookInbox)
      .set({
        status: outcome.dead ? 'dead' : 'failed',
        attempts: sql`${webhookInbox.attempts} + 1`,
        lastError: truncate(error),
        nextAttemptAt: outcome.dead ? null : sql`now() + make_interval(secs => ${outcome.delayMs / 1000})`,
        leaseUntil: null,
        updatedAt: sql`now()`,
      })
      .where(eq(webhookInbox.id, id));
  }

  /** A rejected callback that still fails validation on replay: keep the newest reason. */
  async recordRejection(id: number, reason: string): Promise<void> {
    await this.db.update(webhookInbox).set({ lastError: truncate(reason), updatedAt: sql`now()` }).where(eq(webhookInbox.id, id));
  }

  async findById(id: number): Promise<InboxRow | undefined> {
    const [row] = await this.db.select().from(webhookInbox).where(eq(webhookInbox.id, id));
    return row;
  }

  /** How many rows are in each status (metrics, health). */
  async countByStatus(): Promise<Partial<Record<InboxStatus, number>>> {
    const rows = await this.db
      .select({ status: webhookInbox.status, count: sql<number>`count(*)::int` })
      .from(webhookInbox)
      .groupBy(webhookInbox.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
  }

  /** Newest first. */
  async list(filter: InboxListFilter): Promise<InboxRow[]> {
    return this.db
      .select()
      .from(webhookInbox)
      .where(
        and(
          filter.status ? eq(webhookInbox.status, filter.status) : undefined,
          filter.command ? eq(webhookInbox.command, filter.command) : undefined,
          filter.beforeId !== undefined ? lt(webhookInbox.id, filter.beforeId) : undefined,
        ),
      )
      .orderBy(desc(webhookInbox.id))
      .limit(filter.limit);
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

/** PostgreSQL's unique_violation, whichever driver (and Drizzle's wrapping) reports it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error || (typeof e === 'object' && e !== null); e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
    if (!(e as { cause?: unknown }).cause) break;
  }
  return false;
}
