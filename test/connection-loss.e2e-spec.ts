import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { DatabaseConnection } from '../src/database/database.types.js';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';
import { until } from './utils/wait.js';

/** What node-postgres answers to a query (this suite runs on PostgreSQL only). */
type Rows<Row> = { rows: Row[] };

const onPostgres = process.env.TEST_DRIVER === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

/**
 * A pool client that is checked out (inside a transaction, between two statements) when the server
 * ends its connection has no query to fail: node-postgres then emits 'error' on the client, and
 * pg-pool listens for that only while the client is idle. Without a listener of our own the event
 * throws and ends the process. The recovery poll's claim is such a transaction, once a second: a
 * database restart at the wrong moment killed the service (seen in CI, test/database-outage).
 */
describeOnPostgres(`connection loss${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: a checked-out client whose server goes away`, () => {
  let database: TestDatabase | undefined;
  let connection: DatabaseConnection | undefined;
  let admin: pg.Client | undefined;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown): void => {
    uncaught.push(error);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    connection = await database.open();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    process.on('uncaughtException', onUncaught);
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await admin?.end();
    await connection?.close();
    await database?.drop();
  });

  it.each(['db', 'durableDb'] as const)('%s: the transaction fails, the process does not, and the pool serves the next query', async (which) => {
    const db = connection![which];
    // The pool client the transaction checks out, watched without an 'error' listener of the test's own
    // (one would keep the process up by itself): 'end' comes once the client has handled the loss.
    const pool = (db as unknown as { $client: pg.Pool }).$client;
    let clientEnded = false;
    pool.once('acquire', (client) => client.once('end', () => (clientEnded = true)));
    const transaction = db.transaction(async (tx) => {
      const { rows: [session] } = (await tx.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as Rows<{ pid: number }>;
      const pid = session!.pid;
      // Between two statements, as in the recovery poll: the server ends this session.
      await admin!.query('SELECT pg_terminate_backend($1)', [pid]);
      // The client learns that its server is gone, between two statements: its connection ends (or,
      // without the service's listener, the 'error' it emits on the way goes uncaught).
      await until(() => clientEnded || uncaught.length > 0, 5_000, { what: 'the pool client seeing its backend terminated' });
      await tx.execute(sql`SELECT 1`);
    });

    await expect(transaction).rejects.toThrow();
    expect(uncaught).toEqual([]);
    const { rows } = (await db.execute(sql`SELECT 1 AS one`)) as unknown as Rows<{ one: number }>;
    expect(rows).toEqual([{ one: 1 }]);
  });
});
