import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database } from '../src/database/database.types.js';
import { PROJECTION_SESSION_OPTIONS } from '../src/database/open-database.js';
import * as schema from '../src/database/schema.js';
import { CLAIM_SCAN_SETTINGS, claimDueQuery, MARK_DISPATCHED } from '../src/webhook/inbox/inbox.repository.js';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';

const onPostgres = process.env.TEST_DRIVER === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

/** PostgreSQL keeps a generic plan for a named statement from its sixth run on. */
const RUNS_BEFORE_GENERIC_PLAN = 6;
const GROWN_INBOX = 30_000;

/**
 * The processed mark is a named statement (prepared once per connection) that joins the inbox with
 * the batch's ids. A service that starts on an empty inbox runs it while the table is tiny; a plan
 * kept from then seq-scans the whole inbox for every later mark. Checked on a session of the
 * projection pool (its options), and, as a control, on a session with PostgreSQL's default.
 */
describeOnPostgres(`query plans${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: the processed mark as the inbox grows from empty`, () => {
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const connection = await database.open(); // migrates
    await connection.close();
  });

  afterAll(async () => {
    await database?.drop();
  });

  /** The plan the session runs the mark with after it ran while the inbox was small and the inbox then grew. */
  async function markPlanAfterGrowth(sessionOptions: string): Promise<string> {
    const client = new pg.Client({ connectionString: database!.url, options: sessionOptions });
    await client.connect();
    try {
      await client.query('TRUNCATE webhook_inbox');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO webhook_inbox (command, payload, query, sdk_app_id, dedupe_key, status)
         SELECT 'C2C.CallbackAfterSendMsg', '{}', '{}', '1400000000', 'small-' || n, 'received' FROM generate_series(1, $1::int) AS n
         RETURNING id::text AS id`,
        [RUNS_BEFORE_GENERIC_PLAN + 2],
      );
      for (const { id } of rows) {
        await client.query({ name: MARK_DISPATCHED.name, text: MARK_DISPATCHED.text, values: [[id], ['processed']] });
      }
      await client.query(
        `INSERT INTO webhook_inbox (command, payload, query, sdk_app_id, dedupe_key, status)
         SELECT 'C2C.CallbackAfterSendMsg', '{}', '{}', '1400000000', 'grown-' || n, 'processed' FROM generate_series(1, $1::int) AS n`,
        [GROWN_INBOX],
      );
      // The statement prepared by the runs above, as the next mark would run it.
      const plan = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE ${MARK_DISPATCHED.name}('{${rows[0]!.id}}'::bigint[], '{processed}'::text[])`);
      return JSON.stringify(plan.rows[0]!['QUERY PLAN']);
    } finally {
      await client.end();
    }
  }

  it('finds the marked rows by primary key on the projection pool\'s sessions', async () => {
    const plan = await markPlanAfterGrowth(PROJECTION_SESSION_OPTIONS);
    expect(plan).toContain('webhook_inbox_pkey');
    expect(plan).not.toContain('"Seq Scan"');
  });

  it('(control) would seq-scan the grown inbox for every mark with PostgreSQL\'s default plan cache', async () => {
    const plan = await markPlanAfterGrowth('-c synchronous_commit=off');
    expect(plan).toContain('"Seq Scan"');
    expect(plan).not.toContain('webhook_inbox_pkey');
  });
});

interface ExplainedPlan {
  Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number };
}

/** What the planner knows of the inbox when the poll runs. */
type Statistics = 'never analyzed' | 'analyzed during a backlog' | 'analyzed after it cleared';

/**
 * The recovery poll (InboxRepository.claimDue: CLAIM_SCAN_SETTINGS, then claimDueQuery, in one
 * transaction), once a second, after 30,000 callbacks went from received to processed: each left a
 * dead 'received' version in the claim's index, there until a vacuum. Autovacuum is off for the
 * table, so nothing cleans or analyzes it meanwhile; each case has a database of its own, so that
 * no statistics carry over.
 */
describeOnPostgres(`query plans${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: the recovery poll after many callbacks were processed`, () => {
  /** The second of two polls: its plan and the pages it read. */
  async function secondPoll(statistics: Statistics, withScanSettings: boolean): Promise<{ plan: string; pages: number }> {
    const database = await createTestDatabase();
    await (await database.open()).close(); // migrates
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE webhook_inbox SET (autovacuum_enabled = false)');
      await client.query(
        `INSERT INTO webhook_inbox (command, payload, query, sdk_app_id, dedupe_key, status, lease_until)
         SELECT 'C2C.CallbackAfterSendMsg', '{}', '{}', '1400000000', 'callback-' || n, 'received', now() + interval '30 seconds'
         FROM generate_series(1, $1::int) AS n`,
        [GROWN_INBOX],
      );
      if (statistics === 'analyzed during a backlog') await client.query('ANALYZE webhook_inbox');
      await client.query(`UPDATE webhook_inbox SET status = 'processed', attempts = 1, processed_at = now(), lease_until = NULL`);
      if (statistics === 'analyzed after it cleared') await client.query('ANALYZE webhook_inbox');

      const db = drizzle(client, { schema }) as unknown as Database;
      const poll = () =>
        db.transaction(async (tx) => {
          if (withScanSettings) await tx.execute(CLAIM_SCAN_SETTINGS);
          const claim = claimDueQuery(tx, 100, 30).toSQL();
          const { rows } = await client.query<{ 'QUERY PLAN': ExplainedPlan[] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${claim.sql}`, claim.params);
          return rows[0]!['QUERY PLAN'][0]!;
        });
      await poll();
      const second = await poll();
      return { plan: JSON.stringify(second.Plan), pages: second.Plan['Shared Hit Blocks'] + second.Plan['Shared Read Blocks'] };
    } finally {
      await client.end();
      await database.drop();
    }
  }

  // The inbox's heap is about 400 pages here. The first poll visits each dead version once and marks
  // its index entry dead; a later poll steps over the marked entries, a few index pages.
  it.each<Statistics>(['never analyzed', 'analyzed during a backlog', 'analyzed after it cleared'])(
    'statistics %s: the poll scans the claim index in order, and the next poll skips what the first one passed',
    async (statistics) => {
      const { plan, pages } = await secondPoll(statistics, true);
      expect(plan).toContain('webhook_inbox_claim_idx');
      expect(plan).not.toContain('Bitmap Heap Scan');
      expect(plan).not.toContain('"Seq Scan"');
      expect(pages).toBeLessThan(200);
    },
  );

  it("(control) never analyzed, without the scan settings: a bitmap scan, which reads every dead version's page on every poll", async () => {
    const { plan, pages } = await secondPoll('never analyzed', false);
    expect(plan).toContain('Bitmap Heap Scan');
    expect(pages).toBeGreaterThan(400);
  });
});
