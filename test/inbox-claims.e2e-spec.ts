/**
 * Claims never overlap: two independent connections to one PostgreSQL database (two pools, as two
 * instances have), each with its own InboxRepository, race claimDue over the same pending rows.
 * Every row must be claimed exactly once, by one side, and a live lease must keep a row from being
 * claimed while an expired one must not. PostgreSQL only: PGlite is one connection, so it cannot
 * race itself.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import type { DatabaseConnection } from '../src/database/database.types.js';
import { webhookInbox } from '../src/database/schema.js';
import { InboxRepository } from '../src/webhook/inbox/inbox.repository.js';
import type { InboxStatus } from '../src/webhook/inbox/inbox.schema.js';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';

const ROUNDS = 6;
const ROWS_PER_ROUND = 300;
/** Concurrent claim loops on each connection (each pool has 10 connections). */
const LOOPS_PER_SIDE = 4;
const BATCH = 7;
/** Long enough that nothing claimed in a round can expire and be claimed again within it. */
const LEASE_SECONDS = 120;

const onPostgres = process.env.TEST_DRIVER === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

interface PendingRow {
  status?: InboxStatus;
  /** Seconds from now (negative: in the past); null: no lease. */
  leaseInSeconds?: number | null;
  nextAttemptInSeconds?: number | null;
}

describeOnPostgres(`inbox claims${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: two connections, SKIP LOCKED, leases`, () => {
  let database: TestDatabase | undefined;
  let first: DatabaseConnection | undefined;
  let second: DatabaseConnection | undefined;
  let one: InboxRepository;
  let two: InboxRepository;
  let serial = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await database.open(); // migrates
    second = await database.open(); // its own pool on the same database
    one = new InboxRepository(first.db);
    two = new InboxRepository(second.db);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await first!.db.delete(webhookInbox);
  });

  /** Inserts pending rows directly (insertIfNew would lease them to the caller); returns their ids. */
  async function insertPending(rows: PendingRow[]): Promise<number[]> {
    const at = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : sql`now() + make_interval(secs => ${seconds})`);
    const inserted = await first!.db
      .insert(webhookInbox)
      .values(
        rows.map((row) => {
          serial += 1;
          return {
            command: 'C2C.CallbackAfterSendMsg',
            dedupeKey: `claims-test-${serial}`,
            status: row.status ?? 'received',
            payload: '{}',
            query: {},
            sdkAppId: '1400000000',
            leaseUntil: at(row.leaseInSeconds),
            nextAttemptAt: at(row.nextAttemptInSeconds),
          };
        }),
      )
      .returning({ id: webhookInbox.id });
    return inserted.map((row) => row.id);
  }

  /** `loops` concurrent claim loops on `repository`, each until claimDue finds nothing; every batch claimed. */
  async function claimUntilEmpty(repository: InboxRepository, loops: number): Promise<number[][]> {
    const batches: number[][] = [];
    await Promise.all(
      Array.from({ length: loops }, async () => {
        for (;;) {
          const rows = await repository.claimDue(BATCH, LEASE_SECONDS);
          if (rows.length === 0) return;
          batches.push(rows.map((row) => row.id));
        }
      }),
    );
    return batches;
  }

  it(`${ROUNDS} rounds of ${ROWS_PER_ROUND} pending rows: claims from both connections are disjoint and cover every row`, async () => {
    const figures: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await first!.db.delete(webhookInbox);
      const ids = await insertPending(Array.from({ length: ROWS_PER_ROUND }, () => ({})));
      const [byOne, byTwo] = await Promise.all([claimUntilEmpty(one, LOOPS_PER_SIDE), claimUntilEmpty(two, LOOPS_PER_SIDE)]);
      const claimedByOne = byOne.flat();
      const claimedByTwo = byTwo.flat();
      const all = [...claimedByOne, ...claimedByTwo];
      const counts = new Map<number, number>();
      for (const id of all) counts.set(id, (counts.get(id) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      const setOne = new Set(claimedByOne);
      const overlap = claimedByTwo.filter((id) => setOne.has(id));
      const missing = ids.filter((id) => !counts.has(id));
      const oversized = [...byOne, ...byTwo].filter((batch) => batch.length > BATCH).map((batch) => batch.length);
      figures.push(`round ${round}: first=${claimedByOne.length} (${byOne.length} batches) second=${claimedByTwo.length} (${byTwo.length} batches)`);

      expect({ round, twice: twice.slice(0, 10), overlap: overlap.slice(0, 10), missing: missing.slice(0, 10), oversized }).toEqual({
        round,
        twice: [],
        overlap: [],
        missing: [],
        oversized: [],
      });
      expect(all).toHaveLength(ROWS_PER_ROUND);
      expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));

      // Every claimed row now holds a live lease: neither side can take any of them again.
      const [againOne, againTwo] = await Promise.all([one.claimDue(ROWS_PER_ROUND, LEASE_SECONDS), two.claimDue(ROWS_PER_ROUND, LEASE_SECONDS)]);
      expect([...againOne, ...againTwo]).toEqual([]);
    }
    process.stdout.write(`inbox-claims: ${ROUNDS} rounds x ${ROWS_PER_ROUND} rows, ${LOOPS_PER_SIDE} loops per connection, batch ${BATCH}: ${figures.join('; ')}\n`);
  });

  it('a live lease keeps a row from being claimed; an expired lease, no lease, or a failed row past its backoff is claimed', async () => {
    // Not due: a live lease, a backoff still running (with or without a lease), done or dead rows.
    const [live, expired, none, failedDue] = await insertPending([
      { leaseInSeconds: 30 },
      { leaseInSeconds: -1 },
      { leaseInSeconds: null },
      { status: 'failed', nextAttemptInSeconds: -1 },
      { status: 'failed', nextAttemptInSeconds: 30 },
      { status: 'failed', nextAttemptInSeconds: -1, leaseInSeconds: 30 },
      { status: 'processed' },
      { status: 'dead' },
    ]);

    const claimed = (await two.claimDue(100, 30)).map((row) => row.id).sort((a, b) => a - b);
    expect(claimed).toEqual([expired!, none!, failedDue!].sort((a, b) => a - b));
    // They are leased now, by the second connection: the first gets nothing, whatever it asks.
    expect(await one.claimDue(100, 30)).toEqual([]);
    // A replay respects leases too.
    expect(await one.claimForReplay(live!, 30)).toBeUndefined();
    expect(await one.claimForReplay(expired!, 30)).toBeUndefined(); // leased by the claim above

    // Once a lease lapses the row is taken over (a crashed holder's row).
    await first!.db.update(webhookInbox).set({ leaseUntil: sql`now() - interval '1 second'` }).where(inArray(webhookInbox.id, [live!, expired!]));
    expect((await one.claimDue(100, 30)).map((row) => row.id).sort((a, b) => a - b)).toEqual([live!, expired!].sort((a, b) => a - b));
    expect(await two.claimDue(100, 30)).toEqual([]);
  });

  it('claims never-dispatched rows first, oldest first, then failed rows by when they fell due', async () => {
    const [failedLater, receivedOld, failedEarlier, receivedNew] = await insertPending([
      { status: 'failed', nextAttemptInSeconds: -5 },
      { leaseInSeconds: null },
      { status: 'failed', nextAttemptInSeconds: -60 },
      { leaseInSeconds: -1 },
    ]);
    const order: number[] = [];
    for (let claim = 0; claim < 5; claim++) order.push(...(await one.claimDue(1, 30)).map((row) => row.id));
    expect(order).toEqual([receivedOld, receivedNew, failedEarlier, failedLater]);
  });

  it('a callback committed by the request path is leased to its instance: another one starting up does not take it', async () => {
    const entry = (n: number) => ({
      command: 'C2C.CallbackAfterSendMsg',
      dedupeKey: `claims-request-path-${n}`,
      rawText: '{}',
      source: { query: {}, sdkAppId: '1400000000', clientIp: null, optPlatform: null, receivedAt: new Date(), report: () => undefined },
    });
    const stored = await one.insertIfNew(entry(1), 2);
    // What is in the database: one row for the callback, the one insertIfNew answered with, received and leased.
    const rowsOfTheCallback = () =>
      first!.db
        .select({ id: webhookInbox.id, status: webhookInbox.status, attempts: webhookInbox.attempts, leased: sql<boolean>`${webhookInbox.leaseUntil} > now()` })
        .from(webhookInbox)
        .where(eq(webhookInbox.dedupeKey, 'claims-request-path-1'));
    const held = await rowsOfTheCallback();
    expect(held).toEqual([{ id: stored?.id, status: 'received', attempts: 0, leased: true }]);
    // The same callback delivered to the other instance at the same time: stored once.
    expect(await two.insertIfNew(entry(1), 2)).toBeUndefined();
    expect(await rowsOfTheCallback()).toEqual(held);
    // The other instance's start-up recovery (claimDue) leaves it alone while the lease is live...
    expect(await two.claimDue(100, 2)).toEqual([]);
    // ...and takes it over once the holder is gone and the lease has run out.
    await first!.db.update(webhookInbox).set({ leaseUntil: sql`now() - interval '1 millisecond'` }).where(inArray(webhookInbox.id, [held[0]!.id]));
    expect((await two.claimDue(100, 2)).map((row) => row.id)).toEqual([held[0]!.id]);
  });

  it('a row locked by another transaction is skipped at once, not waited for; a lease committed by it keeps the row out', async () => {
    const [held, free] = await insertPending([{}, {}]);
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      // What a concurrent claimer's statement holds while it runs: the row lock, and its new lease.
      await client.query("UPDATE webhook_inbox SET lease_until = now() + interval '30 seconds' WHERE id = $1", [held]);
      const started = Date.now();
      const claimed = await two.claimDue(100, 30);
      const tookMs = Date.now() - started;
      expect(claimed.map((row) => row.id)).toEqual([free]);
      // SKIP LOCKED does not wait: the pool's 1.5 s query timeout would have failed the claim otherwise.
      expect(tookMs).toBeLessThan(1_000);
      await client.query('COMMIT');
      // Committed with a live lease: still not claimable by anyone.
      expect(await one.claimDue(100, 30)).toEqual([]);
      expect(await two.claimDue(100, 30)).toEqual([]);

      // The same with a holder that rolls back: the row was never leased, so it is claimable after.
      await first!.db.update(webhookInbox).set({ leaseUntil: null }).where(inArray(webhookInbox.id, [held!]));
      await client.query('BEGIN');
      await client.query('SELECT id FROM webhook_inbox WHERE id = $1 FOR UPDATE', [held]);
      expect(await one.claimDue(100, 30)).toEqual([]);
      await client.query('ROLLBACK');
      expect((await one.claimDue(100, 30)).map((row) => row.id)).toEqual([held]);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  });
});
