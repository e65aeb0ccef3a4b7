import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { webhookInbox, type InboxRow } from '../webhook/inbox/inbox.schema.js';
import { eventRelayFailures, eventRelayState, type EventRelayFailure } from './relay.schema.js';

/** Where the relay stands: every event of the inbox rows up to here (processing order) is in the stream. */
export interface RelayCursor {
  readonly txid: number;
  readonly id: number;
}

/** What the relay reads of a processed callback. */
export type RelayRow = Pick<
  InboxRow,
  'id' | 'command' | 'payload' | 'payloadAsReceived' | 'sdkAppId' | 'clientIp' | 'optPlatform' | 'receivedAt' | 'processedAt' | 'attempts' | 'processedTxid'
>;

export interface NewRelayFailure {
  inboxId: number;
  eventId: string;
  eventName: string | null;
  eventIndex: number | null;
  error: string;
}

const MAX_ERROR_LENGTH = 4000;

/**
 * The oldest transaction id still running anywhere on the server: every row whose processing
 * transaction is older is committed (or rolled back, and then invisible), and every transaction
 * still to commit has an id at least this. Reading only below it, in (processed_txid, id) order,
 * means a cursor never passes a row that commits later: the classic outbox gap (a sequence value
 * taken by a transaction that commits after a later one) cannot lose an event.
 */
const VISIBLE_HORIZON = sql`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

@Injectable()
export class RelayRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  /**
   * Takes or renews the relay's lease for `stream` and returns the cursor; undefined while another
   * live instance holds it. One row per stream, so instances on one database elect one publisher.
   */
  async holdLease(stream: string, holder: string, leaseSeconds: number): Promise<RelayCursor | undefined> {
    await this.db.insert(eventRelayState).values({ stream }).onConflictDoNothing();
    const [row] = await this.db
      .update(eventRelayState)
      .set({ holder, leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})`, updatedAt: sql`now()` })
      .where(and(eq(eventRelayState.stream, stream), or(eq(eventRelayState.holder, holder), isNull(eventRelayState.holder), lt(eventRelayState.leaseUntil, sql`now()`))))
      .returning({ txid: eventRelayState.cursorTxid, id: eventRelayState.cursorId });
    return row;
  }

  /** Lets another instance take over at once (on shutdown). */
  async releaseLease(stream: string, holder: string): Promise<void> {
    await this.db
      .update(eventRelayState)
      .set({ holder: null, leaseUntil: null, updatedAt: sql`now()` })
      .where(and(eq(eventRelayState.stream, stream), eq(eventRelayState.holder, holder)));
  }

  /** Processed callbacks after the cursor, in processing order, that every snapshot already sees. */
  async readAfter(cursor: RelayCursor, limit: number): Promise<RelayRow[]> {
    const t = webhookInbox;
    return this.db
      .select({
        id: t.id,
        command: t.command,
        payload: t.payload,
        payloadAsReceived: t.payloadAsReceived,
        sdkAppId: t.sdkAppId,
        clientIp: t.clientIp,
        optPlatform: t.optPlatform,
        receivedAt: t.receivedAt,
        processedAt: t.processedAt,
        attempts: t.attempts,
        processedTxid: t.processedTxid,
      })
      .from(t)
      .where(
        and(
          isNotNull(t.processedTxid),
          sql`(${t.processedTxid}, ${t.id}) > (${cursor.txid}::bigint, ${cursor.id}::bigint)`,
          sql`${t.processedTxid} < ${VISIBLE_HORIZON}`,
          inArray(t.status, ['processed', 'unhandled']),
        ),
      )
      .orderBy(t.processedTxid, t.id)
      .limit(limit);
  }

  /**
   * Moves the cursor past rows whose events JetStream acknowledged (and records the poison events
   * skipped among them), in one transaction fenced by the lease: false when another instance has
   * taken the lease meanwhile (nothing is written; what was published is deduplicated by id).
   */
  async advance(stream: string, holder: string, to: RelayCursor, published: number, failures: NewRelayFailure[], leaseSeconds: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const moved = await tx
        .update(eventRelayState)
        .set({
          cursorTxid: to.txid,
          cursorId: to.id,
          published: sql`${eventRelayState.published} + ${published}`,
          leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(eventRelayState.stream, stream), eq(eventRelayState.holder, holder)))
        .returning({ stream: eventRelayState.stream });
      if (moved.length === 0) return false;
      if (failures.length > 0) {
        await tx.insert(eventRelayFailures).values(failures.map((f) => ({ ...f, stream, error: truncate(f.error) })));
      }
      return true;
    });
  }

  async state(stream: string): Promise<{ cursor: RelayCursor; published: number; holder: string | null; leaseUntil: Date | null } | undefined> {
    const [row] = await this.db.select().from(eventRelayState).where(eq(eventRelayState.stream, stream));
    return row && { cursor: { txid: row.cursorTxid, id: row.cursorId }, published: row.published, holder: row.holder, leaseUntil: row.leaseUntil };
  }

  /** Processed callbacks not yet relayed, and when the oldest of them was processed. */
  async backlog(cursor: RelayCursor): Promise<{ rows: number; oldestProcessedAt: Date | null }> {
    const t = webhookInbox;
    const [row] = await this.db
      .select({ rows: sql<number>`count(*)::int`, oldest: sql<Date | string | null>`min(${t.processedAt})` })
      .from(t)
      .where(unpublished(cursor));
    const oldest = row?.oldest ?? null;
    return { rows: Number(row?.rows ?? 0), oldestProcessedAt: oldest === null ? null : new Date(oldest) };
  }

  /** The lowest inbox id among processed callbacks not yet relayed (what retention must keep); undefined: none. */
  async lowestUnpublishedId(cursor: RelayCursor): Promise<number | undefined> {
    const t = webhookInbox;
    const [row] = await this.db
      .select({ id: sql<string | number | null>`min(${t.id})` })
      .from(t)
      .where(unpublished(cursor));
    return row?.id === null || row?.id === undefined ? undefined : Number(row.id);
  }

  /** Newest first. */
  async failures(stream: string, limit: number): Promise<EventRelayFailure[]> {
    return this.db.select().from(eventRelayFailures).where(eq(eventRelayFailures.stream, stream)).orderBy(desc(eventRelayFailures.id)).limit(limit);
  }

  async failureCount(stream: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(eventRelayFailures).where(eq(eventRelayFailures.stream, stream));
    return Number(row?.n ?? 0);
  }
}

const truncate = (text: string): string => (text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text).replaceAll('\u0000', '');

/** Processed callbacks past the relay's cursor: their events are not in the stream yet. */
function unpublished(cursor: RelayCursor): SQL | undefined {
  const t = webhookInbox;
  return and(
    isNotNull(t.processedTxid),
    sql`(${t.processedTxid}, ${t.id}) > (${cursor.txid}::bigint, ${cursor.id}::bigint)`,
    inArray(t.status, ['processed', 'unhandled']),
  );
}
