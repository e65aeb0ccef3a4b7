import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger, Module, type LoggerService } from '@nestjs/common';
import { eq, sql, type SQL } from 'drizzle-orm';
import { conversationOf } from '../src/common/conversation.js';
import { webhookInbox, type InboxRow } from '../src/database/schema.js';
import { C2CMessageSentEvent, OnDomainEvent } from '../src/events/index.js';
import { dedupeKeyOf } from '../src/webhook/commands/callback-command.js';
import { InboxRecoveryService } from '../src/webhook/inbox/inbox-recovery.service.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';

const SEND = 'C2C.CallbackAfterSendMsg';

/** A CRM the user's listener calls: down for the next `failuresLeft` deliveries, then up. */
@Injectable()
class FlakyCrm {
  failuresLeft = 0;
  /** event.metadata.attempt of every delivery the listener saw, in order. */
  readonly attempts: number[] = [];

  @OnDomainEvent('c2c.message.sent')
  handleMessageSent(event: C2CMessageSentEvent): void {
    this.attempts.push(event.metadata.attempt);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error(`CRM is down (attempt ${event.metadata.attempt})`);
    }
  }

  reset(failures: number): void {
    this.failuresLeft = failures;
    this.attempts.length = 0;
  }
}
@Module({ providers: [FlakyCrm] })
class FlakyCrmModule {}

/** The seed send with its own MsgSeq / MsgKey, so several can live in one database. */
function sendMsg(seq: number): Record<string, unknown> {
  return { ...fixture('c2c-after-send-msg'), MsgSeq: seq, MsgKey: `${seq}_2837546_1557481126` };
}

/** The dedupe key the registry gives a send from jared to Jonh (the same as a real delivery's). */
function sendDedupeKey(msgKey: string): string {
  const { userA, userB } = conversationOf('jared', 'Jonh');
  return dedupeKeyOf(SEND, userA, userB, msgKey);
}

async function rowsOf(t: TestApp): Promise<InboxRow[]> {
  return t.db.select().from(webhookInbox).orderBy(webhookInbox.id);
}

async function onlyRow(t: TestApp): Promise<InboxRow> {
  const rows = await rowsOf(t);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function rowById(t: TestApp, id: number): Promise<InboxRow> {
  const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.id, id));
  return row!;
}

/** Makes a failed row due now, as if its backoff had passed. */
async function makeDue(t: TestApp, id: number): Promise<void> {
  await t.db.update(webhookInbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(eq(webhookInbox.id, id));
}

type InboxInsert = typeof webhookInbox.$inferInsert;
/** Column values for a hand-made inbox row; times may be SQL (`now() + interval ...`). */
type InboxColumns = { [K in keyof InboxInsert]?: InboxInsert[K] | SQL };

const recovery = (t: TestApp): InboxRecoveryService => t.app.get(InboxRecoveryService);

const sentAttempts = (t: TestApp): number[] => t.events.of('c2c.message.sent').map((e) => e.metadata.attempt);

describe('Inbox retry with the default backoff (WEBHOOK_RETRY_BASE_DELAY_MS 1000)', () => {
  let t: TestApp;
  let crm: FlakyCrm;

  beforeAll(async () => {
    t = await createTestApp({ imports: [FlakyCrmModule] });
    crm = t.app.get(FlakyCrm);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.delete(webhookInbox);
    t.events.clear();
  });

  it('acknowledges a callback whose listener fails, and keeps it failed with the error, due again after 0.5 to 1 s', async () => {
    crm.reset(1);

    const answer = await postCallback(t, sendMsg(101));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(OK);
    const row = await onlyRow(t);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Error: CRM is down (attempt 1)', processedAt: null, leaseUntil: null });
    expect(row.dedupeKey).toBe(sendDedupeKey('101_2837546_1557481126'));
    // Backoff of the first retry: base 1000 ms, jitter in [delay/2, delay), counted from the failure.
    expect(row.nextAttemptAt).toBeInstanceOf(Date);
    const delayMs = row.nextAttemptAt!.getTime() - row.updatedAt.getTime();
    expect(delayMs).toBeGreaterThanOrEqual(500);
    expect(delayMs).toBeLessThanOrEqual(1000);
    expect(crm.attempts).toEqual([1]);
  });

  it('does not retry a failed callback before its backoff has passed', async () => {
    crm.reset(1);
    await postCallback(t, sendMsg(102));
    const before = await onlyRow(t);

    expect(await recovery(t).runOnce()).toBe(0);

    expect(await onlyRow(t)).toEqual(before);
    expect(crm.attempts).toEqual([1]);
  });

  it('retries it once due: processed on attempt 2, projected, and the listener sees the attempt number', async () => {
    crm.reset(1);
    expect((await postCallback(t, sendMsg(103))).body).toEqual(OK);
    const failed = await onlyRow(t);
    await makeDue(t, failed.id);

    expect(await recovery(t).runOnce()).toBe(1);

    const row = await onlyRow(t);
    expect(row).toMatchObject({ id: failed.id, status: 'processed', attempts: 2, lastError: null, nextAttemptAt: null, leaseUntil: null });
    expect(row.processedAt).toBeInstanceOf(Date);
    expect(crm.attempts).toEqual([1, 2]);
    expect(sentAttempts(t)).toEqual([1, 2]);
    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/103_2837546_1557481126');
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ msgKey: '103_2837546_1557481126', msgSeq: 103, from: 'jared', to: 'Jonh' });
    // Nothing left to do.
    expect(await recovery(t).runOnce()).toBe(0);
    expect(crm.attempts).toEqual([1, 2]);
  });

  it('logs every listener error with the command, the dedupe key and the attempt number', async () => {
    const logs = new CapturingLogger();
    t.app.useLogger(logs);
    try {
      crm.reset(2);
      await postCallback(t, sendMsg(104));
      const row = await onlyRow(t);
      await makeDue(t, row.id);
      await recovery(t).runOnce();

      const errors = logs.lines.filter((line) => line.level === 'error' && line.text.includes('CRM is down'));
      expect(errors).toHaveLength(2);
      for (const [index, line] of errors.entries()) {
        expect(line.text).toContain(SEND);
        expect(line.text).toContain(row.dedupeKey!);
        expect(line.text).toContain(`attempt ${index + 1}`);
      }
    } finally {
      Logger.overrideLogger(false);
    }
  });
});

describe('Inbox retry with WEBHOOK_RETRY_BASE_DELAY_MS=0 and WEBHOOK_RETRY_MAX_ATTEMPTS=3', () => {
  let t: TestApp;
  let crm: FlakyCrm;

  beforeAll(async () => {
    t = await createTestApp({ imports: [FlakyCrmModule], env: { WEBHOOK_RETRY_BASE_DELAY_MS: '0', WEBHOOK_RETRY_MAX_ATTEMPTS: '3' } });
    crm = t.app.get(FlakyCrm);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.delete(webhookInbox);
    t.events.clear();
  });

  it('makes a failed callback due at once: the next run delivers it', async () => {
    crm.reset(1);
    expect((await postCallback(t, sendMsg(201))).body).toEqual(OK);
    const failed = await onlyRow(t);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.nextAttemptAt!.getTime()).toBeLessThanOrEqual(failed.updatedAt.getTime());

    expect(await recovery(t).runOnce()).toBe(1);

    expect(await onlyRow(t)).toMatchObject({ status: 'processed', attempts: 2, lastError: null });
    expect(crm.attempts).toEqual([1, 2]);
    expect((await readApi(t, '/c2c/conversations/Jonh/jared/messages/201_2837546_1557481126')).status).toBe(200);
  });

  it('gives up after the last attempt: dead, the last error kept, and never taken again', async () => {
    crm.reset(Number.POSITIVE_INFINITY);
    expect((await postCallback(t, sendMsg(202))).body).toEqual(OK);

    for (let run = 0; run < 5 && (await onlyRow(t)).status === 'failed'; run += 1) await recovery(t).runOnce();

    const dead = await onlyRow(t);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: CRM is down (attempt 3)', nextAttemptAt: null, processedAt: null, leaseUntil: null });
    expect(crm.attempts).toEqual([1, 2, 3]);

    expect(await recovery(t).runOnce()).toBe(0);
    expect(await recovery(t).runOnce()).toBe(0);
    expect(await onlyRow(t)).toEqual(dead);
    expect(crm.attempts).toEqual([1, 2, 3]);
  });
});

describe('Start-up recovery: rows a crash left behind are dispatched when the next instance starts', () => {
  // A database both instances really share. The helper's `database` option does not do it on
  // PGlite (each open() is a fresh in-memory copy of the template), so PGlite uses a data dir.
  let database: TestDatabase;
  let dataDir: string | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.url) {
      env = { DATABASE_URL: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tcw-recovery-'));
      env = { DATA_DIR: dataDir };
    }
  });
  afterAll(async () => {
    await database.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A row as a crash would leave it: stored and acknowledged, never (or not fully) dispatched. */
  async function insertLeftover(t: TestApp, payload: Record<string, unknown>, columns: InboxColumns): Promise<number> {
    const [row] = await t.db
      .insert(webhookInbox)
      .values({
        command: SEND,
        dedupeKey: sendDedupeKey(String(payload.MsgKey)),
        status: 'received',
        payload: JSON.stringify(payload),
        query: { SdkAppid: TEST_SDKAPPID, CallbackCommand: SEND, contenttype: 'json', ClientIP: '203.0.113.7', OptPlatform: 'iOS' },
        sdkAppId: TEST_SDKAPPID,
        clientIp: '203.0.113.7',
        optPlatform: 'iOS',
        ...columns,
      })
      .returning();
    return row!.id;
  }

  it('takes received rows without a live lease and due failed rows, and leaves rows another instance holds or that are not due', async () => {
    // First instance: a listener failure, then rows as a SIGKILL mid-dispatch would leave them.
    const first = await createTestApp({ env: { ...env, WEBHOOK_RETRY_BASE_DELAY_MS: '0' }, imports: [FlakyCrmModule], realDatabaseModule: true });
    let ids: Record<'failedDue' | 'noLease' | 'expiredLease' | 'liveLease' | 'failedLater', number>;
    try {
      await recovery(first).idle();
      first.app.get(FlakyCrm).reset(Number.POSITIVE_INFINITY);
      expect((await postCallback(first, sendMsg(301))).body).toEqual(OK);
      const [failed] = await rowsOf(first);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
      ids = {
        failedDue: failed!.id,
        noLease: await insertLeftover(first, sendMsg(302), { leaseUntil: null }),
        expiredLease: await insertLeftover(first, sendMsg(303), { leaseUntil: sql`now() - interval '1 minute'` }),
        liveLease: await insertLeftover(first, sendMsg(304), { leaseUntil: sql`now() + interval '1 hour'` }),
        failedLater: await insertLeftover(first, sendMsg(305), {
          status: 'failed',
          attempts: 1,
          lastError: 'Error: CRM is down',
          nextAttemptAt: sql`now() + interval '1 hour'`,
        }),
      };
    } finally {
      await first.close();
    }

    // Second instance, the listener fixed: start-up recovery runs without being asked.
    const second = await createTestApp({ env, realDatabaseModule: true });
    try {
      await recovery(second).idle();

      expect(await rowById(second, ids.failedDue)).toMatchObject({ status: 'processed', attempts: 2, lastError: null });
      expect(await rowById(second, ids.noLease)).toMatchObject({ status: 'processed', attempts: 1, leaseUntil: null });
      expect(await rowById(second, ids.expiredLease)).toMatchObject({ status: 'processed', attempts: 1, leaseUntil: null });
      const held = await rowById(second, ids.liveLease);
      expect(held).toMatchObject({ status: 'received', attempts: 0, processedAt: null });
      expect(held.leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
      expect(await rowById(second, ids.failedLater)).toMatchObject({ status: 'failed', attempts: 1 });

      const sent = second.events.of('c2c.message.sent').map((e) => [e.msgSeq, e.metadata.attempt]);
      expect(sent.sort((a, b) => a[0]! - b[0]!)).toEqual([
        [301, 2],
        [302, 1],
        [303, 1],
      ]);
      const messages = await readApi(second, '/c2c/conversations/jared/Jonh/messages');
      expect(messages.status).toBe(200);
      expect(messages.body.items.map((m: { msgSeq: number }) => m.msgSeq)).toEqual([301, 302, 303]);
      expect((await readApi(second, '/c2c/conversations/jared/Jonh/messages/304_2837546_1557481126')).status).toBe(404);

      // The recovered rows carry the real dedupe key: Tencent delivering one again changes nothing.
      second.events.clear();
      expect((await postCallback(second, sendMsg(302))).body).toEqual(OK);
      expect(second.events.events).toEqual([]);
      expect(await rowsOf(second)).toHaveLength(5);

      // Once the other instance's lease lapses, the row is taken.
      await second.db.update(webhookInbox).set({ leaseUntil: sql`now() - interval '1 second'` }).where(eq(webhookInbox.id, ids.liveLease));
      expect(await recovery(second).runOnce()).toBe(1);
      expect(await rowById(second, ids.liveLease)).toMatchObject({ status: 'processed', attempts: 1 });
      expect((await readApi(second, '/c2c/conversations/jared/Jonh/messages/304_2837546_1557481126')).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

/** Collects what the app logs (set with app.useLogger). */
class CapturingLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];

  log(message: unknown, ...params: unknown[]): void {
    this.push('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.push('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.push('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.push('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.push('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.push('fatal', message, params);
  }

  private push(level: string, message: unknown, params: unknown[]): void {
    this.lines.push({ level, text: [message, ...params].map((part) => String(part)).join(' ') });
  }
}
