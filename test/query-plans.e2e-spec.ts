import pg from 'pg';
import { PROJECTION_SESSION_OPTIONS } from '../src/database/open-database.js';
import { MARK_DISPATCHED } from '../src/webhook/inbox/inbox.repository.js';
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
