import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import request from 'supertest';
import { eventRelayState, projectionRebuilds, webhookInbox } from '../src/database/schema.js';
import { InboxRetentionHolds } from '../src/webhook/inbox/inbox-retention-holds.js';
import { InboxRetentionService } from '../src/webhook/inbox/inbox-retention.service.js';
import type { InboxStatus } from '../src/webhook/inbox/inbox.schema.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { createTestDatabase, testDriver, type TestDatabase } from './utils/test-database.js';
import { until } from './utils/wait.js';

const DAYS = 30;
const OLD = sql`now() - interval '40 days'`;
const RECENT = sql`now() - interval '1 day'`;

interface RowSpec {
  status: InboxStatus;
  receivedAt?: SQL;
  /**
   * Default: when it was received, whatever the status (a processed row replayed and now failed
   * keeps its old processed_at): only the status keeps a failed, dead... row.
   */
  processedAt?: SQL | null;
  leaseUntil?: SQL;
  processedTxid?: number;
}

let serial = 0;

/** Hand-made inbox rows (as if received long ago); returns their ids, by label. */
async function insertRows<L extends string>(t: TestApp, rows: Record<L, RowSpec>): Promise<Record<L, number>> {
  const labels = Object.keys(rows) as L[];
  const inserted = await t.db
    .insert(webhookInbox)
    .values(
      labels.map((label) => {
        const row: RowSpec = rows[label];
        const receivedAt = row.receivedAt ?? OLD;
        const dispatched = ['processed', 'unhandled'].includes(row.status);
        return {
          command: 'C2C.CallbackAfterSendMsg',
          dedupeKey: row.status === 'rejected' || row.status === 'decided' ? null : `retention-${++serial}-${label}`,
          status: row.status,
          payload: `{"label":"${label}"}`,
          query: {},
          sdkAppId: '1400000000',
          receivedAt,
          processedAt: row.processedAt === undefined ? receivedAt : row.processedAt,
          leaseUntil: row.leaseUntil ?? null,
          processedTxid: row.processedTxid ?? (dispatched ? 1 : null),
        };
      }),
    )
    .returning({ id: webhookInbox.id });
  return Object.fromEntries(labels.map((label, i) => [label, inserted[i]!.id])) as Record<L, number>;
}

/** Which of `ids` are still stored, by label. */
async function stillStored<L extends string>(t: TestApp, ids: Record<L, number>): Promise<L[]> {
  const stored = new Set((await t.db.select({ id: webhookInbox.id }).from(webhookInbox)).map((row) => row.id));
  return (Object.keys(ids) as L[]).filter((label) => stored.has(ids[label]));
}

const retention = (t: TestApp): InboxRetentionService => t.app.get(InboxRetentionService);

describe('inbox retention (INBOX_RETENTION_DAYS=30)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Batches of 2: every pass below takes several batches.
    t = await createTestApp({ database, env: { INBOX_RETENTION_DAYS: String(DAYS), INBOX_RETENTION_BATCH_SIZE: '2', INBOX_RETENTION_PAUSE_MS: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await t.db.delete(webhookInbox);
  });

  it('deletes old processed and unhandled rows, and keeps failed, dead, rejected, pending, decided, recent and replaying ones', async () => {
    const ids = await insertRows(t, {
      oldProcessed1: { status: 'processed' },
      oldProcessed2: { status: 'processed' },
      oldProcessed3: { status: 'processed' },
      oldUnhandled1: { status: 'unhandled' },
      oldUnhandled2: { status: 'unhandled' },
      oldFailed: { status: 'failed' },
      oldDead: { status: 'dead' },
      oldRejected: { status: 'rejected' },
      oldReceived: { status: 'received' },
      oldDecided: { status: 'decided' },
      recentProcessed: { status: 'processed', receivedAt: RECENT },
      recentUnhandled: { status: 'unhandled', receivedAt: RECENT },
      // Received long ago, processed just now (a retry that succeeded, a replay): its result is kept for the window.
      oldRetriedToday: { status: 'processed', processedAt: sql`now()` },
      // A replay holds it right now.
      oldBeingReplayed: { status: 'processed', leaseUntil: sql`now() + interval '30 seconds'` },
    });

    const pass = await retention(t).purgeOnce();

    expect(pass).toMatchObject({ deleted: 5, interrupted: false });
    expect(await stillStored(t, ids)).toEqual(['oldFailed', 'oldDead', 'oldRejected', 'oldReceived', 'oldDecided', 'recentProcessed', 'recentUnhandled', 'oldRetriedToday', 'oldBeingReplayed']);
    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^tcw_inbox_retention_deleted_total 5$/m);
    expect(metrics).toMatch(/^tcw_inbox_retention_last_pass_seconds [0-9.e-]+$/m);
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 0 });
  });

  it('keeps every row from the lowest id a hold still needs, and deletes them once it is released', async () => {
    const ids = await insertRows(t, { first: { status: 'processed' }, second: { status: 'processed' }, third: { status: 'unhandled' }, fourth: { status: 'processed' } });
    const holds = t.app.get(InboxRetentionHolds);
    const release = holds.hold('a rebuild reading from the second row', () => ids.second);
    const releaseOther = holds.hold('a reader needing nothing now', async () => undefined);
    try {
      expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 1 });
      expect(await stillStored(t, ids)).toEqual(['second', 'third', 'fourth']);
    } finally {
      release();
      releaseOther();
    }
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 3 });
    expect(await stillStored(t, ids)).toEqual([]);
  });

  it('keeps the rows a projection rebuild running in another process has still to read, and not for one whose process stopped', async () => {
    const ids = await insertRows(t, { fed: { status: 'processed' }, next: { status: 'processed' }, last: { status: 'unhandled' } });
    // As the CLI's rebuild records itself: a running row, its cursor at the last row it read.
    const [rebuild] = await t.db
      .insert(projectionRebuilds)
      .values({ family: 'c2c', families: ['c2c'], withListeners: false, state: 'running', cursorInboxId: ids.fed })
      .returning({ id: projectionRebuilds.id });
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 1 });
    expect(await stillStored(t, ids)).toEqual(['next', 'last']);

    // No heartbeat for longer than its lease: the process is gone, it holds nothing.
    await t.db.update(projectionRebuilds).set({ heartbeatAt: sql`now() - interval '2 minutes'` }).where(sql`${projectionRebuilds.id} = ${rebuild!.id}`);
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 2 });
    expect(await stillStored(t, ids)).toEqual([]);
    await t.db.delete(projectionRebuilds);
  });

  it('deletes nothing while a hold cannot say what it needs', async () => {
    const ids = await insertRows(t, { old: { status: 'processed' } });
    const release = t.app.get(InboxRetentionHolds).hold('a broken reader', () => Promise.reject(new Error('database away')));
    try {
      await expect(retention(t).purgeOnce()).rejects.toThrow('retention hold a broken reader failed: database away');
    } finally {
      release();
    }
    expect(await stillStored(t, ids)).toEqual(['old']);
  });

  // PGlite is one connection in one process: no other transaction can hold a row lock there.
  (testDriver() === 'postgres' ? it : it.skip)('skips a row another transaction has locked instead of waiting for it, and deletes it at the next pass', async () => {
    const ids = await insertRows(t, { locked: { status: 'processed' }, free1: { status: 'processed' }, free2: { status: 'unhandled' } });
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM webhook_inbox WHERE id = $1 FOR UPDATE', [ids.locked]);
      const started = Date.now();
      // Waiting on the lock would hang until the test times out; a statement_timeout would be an error.
      expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 2 });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await stillStored(t, ids)).toEqual(['locked']);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 1 });
    expect(await stillStored(t, ids)).toEqual([]);
  });
});

describe('inbox retention with the event relay on', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No broker answers there: nothing gets published, the relay's cursor is what the test writes.
    t = await createTestApp({ env: { INBOX_RETENTION_DAYS: String(DAYS), INBOX_RETENTION_PAUSE_MS: '0', EVENT_RELAY_URL: 'nats://127.0.0.1:1', EVENT_RELAY_STREAM: 'RETENTION_TEST' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps processed rows whose events the relay has not published yet', async () => {
    const ids = await insertRows(t, {
      published: { status: 'processed', processedTxid: 5 },
      unpublished: { status: 'processed', processedTxid: 7 },
      unpublishedUnhandled: { status: 'unhandled', processedTxid: 9 },
    });
    // Never published anything: every processed row is still needed.
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 0 });
    expect(await stillStored(t, ids)).toEqual(['published', 'unpublished', 'unpublishedUnhandled']);

    await t.db.insert(eventRelayState).values({ stream: 'RETENTION_TEST', cursorTxid: 5, cursorId: ids.published });
    expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 1 });
    expect(await stillStored(t, ids)).toEqual(['unpublished', 'unpublishedUnhandled']);
  });
});

describe('inbox retention without INBOX_RETENTION_DAYS', () => {
  it('deletes nothing', async () => {
    const t = await createTestApp();
    try {
      const ids = await insertRows(t, { veryOld: { status: 'processed', receivedAt: sql`now() - interval '3000 days'` }, old: { status: 'unhandled' } });
      expect(await retention(t).purgeOnce()).toMatchObject({ deleted: 0 });
      expect(await stillStored(t, ids)).toEqual(['veryOld', 'old']);
    } finally {
      await t.close();
    }
  });
});

describe('inbox retention at shutdown', () => {
  it('stops a pass in progress between two batches when the application closes', async () => {
    const t = await createTestApp({ env: { INBOX_RETENTION_DAYS: String(DAYS), INBOX_RETENTION_BATCH_SIZE: '1', INBOX_RETENTION_PAUSE_MS: '60000' } });
    let closed = false;
    try {
      await insertRows(t, { a: { status: 'processed' }, b: { status: 'processed' }, c: { status: 'processed' } });
      const pass = retention(t).purgeOnce();
      // The first batch is deleted, then the pass pauses a minute before the next one.
      const metricDeleted = async () => /^tcw_inbox_retention_deleted_total (\d+)$/m.exec((await request(t.server).get('/metrics')).text)?.[1];
      await until(async () => (await metricDeleted()) === '1', 5000, { what: 'the first batch deleted' });
      const closing = Date.now();
      await t.close();
      closed = true;
      expect(await pass).toMatchObject({ deleted: 1, interrupted: true });
      expect(Date.now() - closing).toBeLessThan(10_000);
    } finally {
      if (!closed) await t.close();
    }
  });
});
