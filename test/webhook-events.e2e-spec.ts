import { Injectable, Module } from '@nestjs/common';
import { desc, eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { conversationOf } from '../src/common/conversation.js';
import { webhookInbox, type InboxRow } from '../src/database/schema.js';
import { C2CMessageSentEvent, OnDomainEvent } from '../src/events/index.js';
import { signCallback } from '../src/webhook/callback-signature.js';
import { dedupeKeyOf } from '../src/webhook/commands/callback-command.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';
import { testDriver } from './utils/test-database.js';

const SEND = 'C2C.CallbackAfterSendMsg';
const EXTENSION = 'C2C.CallbackAfterC2CMsgExtension';
// A command name no issue will ever model, so it stays unhandled.
const UNMODELLED = 'Example.CallbackNobodyModels';

interface Summary {
  id: number;
  command: string;
  status: string;
  dedupeKey: string | null;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
}

interface Detail extends Summary {
  payload: unknown;
  query: Record<string, string | string[]>;
}

/** The user's CRM listener, which can be taken down and brought back between deliveries. */
@Injectable()
class Crm {
  down = false;
  readonly attempts: number[] = [];
  /** Resolves once a held delivery has reached the listener. */
  held: Promise<void> | undefined;
  private gate: Promise<void> | undefined;
  private reached: (() => void) | undefined;

  @OnDomainEvent('c2c.message.sent')
  async handleMessageSent(event: C2CMessageSentEvent): Promise<void> {
    this.attempts.push(event.metadata.attempt);
    const gate = this.gate;
    if (gate) {
      this.gate = undefined;
      this.reached?.();
      await gate;
    }
    if (this.down) throw new Error('CRM is down');
  }

  /** The next delivery waits in the listener until the returned function is called. */
  holdNextDelivery(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    this.held = new Promise<void>((resolve) => (this.reached = resolve));
    return release;
  }
}
@Module({ providers: [Crm] })
class CrmModule {}

function sendMsg(seq: number, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixture('c2c-after-send-msg'), MsgSeq: seq, MsgKey: `${seq}_2837546_1557481126`, ...changes };
}

function sendDedupeKey(msgKey: string): string {
  const { userA, userB } = conversationOf('jared', 'Jonh');
  return dedupeKeyOf(SEND, userA, userB, msgKey);
}

const opsGet = readApi;

/** POST /webhook-events/:id/replay with the test bearer token (null: no Authorization header). */
function replay(t: TestApp, id: number | string, authorization: string | null = `Bearer ${TEST_API_TOKEN}`) {
  const call = request(t.server).post(`/webhook-events/${id}/replay`);
  return authorization === null ? call : call.set('Authorization', authorization);
}

/** The answer is exactly the FAIL envelope with this status; returns its ErrorInfo. */
function expectFailure(answer: request.Response, status: number): string {
  expect({ status: answer.status, body: answer.body as unknown }).toEqual({
    status,
    body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) },
  });
  return (answer.body as { ErrorInfo: string }).ErrorInfo;
}

/** What the list shows of a row. */
function summaryOf(row: InboxRow): Summary {
  return {
    id: row.id,
    command: row.command,
    status: row.status,
    dedupeKey: row.dedupeKey,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  };
}

async function allRowsNewestFirst(t: TestApp): Promise<InboxRow[]> {
  return t.db.select().from(webhookInbox).orderBy(desc(webhookInbox.id));
}

async function rowById(t: TestApp, id: number): Promise<InboxRow> {
  const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.id, id));
  return row!;
}

async function rowsWithKey(t: TestApp, dedupeKey: string): Promise<InboxRow[]> {
  return t.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, dedupeKey));
}

/** Follows nextCursor from the first page; returns the pages. */
async function allPages(t: TestApp, query: string): Promise<{ items: Summary[]; nextCursor: string | null }[]> {
  const pages: { items: Summary[]; nextCursor: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const answer = await opsGet(t, `/webhook-events?${query}${cursor === null ? '' : `&cursor=${cursor}`}`);
    expect(answer.status).toBe(200);
    pages.push(answer.body);
    cursor = answer.body.nextCursor;
  } while (cursor !== null && pages.length < 20);
  return pages;
}

/** The columns of a stored rejected callback, as an older version of the service would have kept it. */
function rejectedColumns(payload: Record<string, unknown>) {
  const command = String(payload.CallbackCommand);
  return {
    command,
    dedupeKey: null,
    status: 'rejected' as const,
    payload: JSON.stringify(payload),
    query: { SdkAppid: TEST_SDKAPPID, CallbackCommand: command, contenttype: 'json', ClientIP: '203.0.113.7', OptPlatform: 'iOS' },
    sdkAppId: TEST_SDKAPPID,
    clientIp: '203.0.113.7',
    optPlatform: 'iOS',
    lastError: 'invalid fields: MsgBody: refused by an older version',
  };
}

async function insertRejected(t: TestApp, payload: Record<string, unknown>): Promise<number> {
  const [row] = await t.db.insert(webhookInbox).values(rejectedColumns(payload)).returning();
  return row!.id;
}

/** PostgreSQL: waits until some statement of the app waits on a lock. */
async function waitForLockWait(t: TestApp): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const result = await t.db.execute(sql`select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`);
    const rows = (result as unknown as { rows: { waiting: number }[] }).rows;
    if (rows[0]!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no statement came to wait on a lock');
}

describe('GET /webhook-events', () => {
  let t: TestApp;
  let rows: InboxRow[];

  beforeAll(async () => {
    t = await createTestApp({ imports: [CrmModule] });
    const crm = t.app.get(Crm);
    expect((await postCallback(t, sendMsg(1))).body).toEqual(OK);
    expect((await postCallback(t, sendMsg(2))).body).toEqual(OK);
    expect((await postCallback(t, { ...fixture('c2c-msg-extension-set'), From_Account: 'jared', To_Account: 'Jonh', MsgKey: '1_2837546_1557481126' })).body).toEqual(OK);
    expect((await postCallback(t, fixture('official-account-after-send-msg'))).body).toEqual(OK);
    crm.down = true;
    expect((await postCallback(t, sendMsg(3))).body).toEqual(OK);
    crm.down = false;
    expect((await postCallback(t, sendMsg(4, { MsgSeq: '4' }))).status).toBe(400);
    expect((await postCallback(t, { CallbackCommand: UNMODELLED, GroupId: '@TGS#1' })).body).toEqual(OK);
    expect((await postCallback(t, sendMsg(5))).body).toEqual(OK);
    rows = await allRowsNewestFirst(t);
    expect(rows.map((r) => r.status)).toEqual(['processed', 'unhandled', 'rejected', 'failed', 'processed', 'processed', 'processed', 'processed']);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([undefined, 'Bearer wrong-token', TEST_API_TOKEN])('answers 401 in the envelope with Authorization %p', async (authorization) => {
    const call = request(t.server).get('/webhook-events');
    expectFailure(await (authorization === undefined ? call : call.set('Authorization', authorization)), 401);
  });

  it('lists every inbox row newest first, with its summary and without payload or query', async () => {
    const answer = await opsGet(t, '/webhook-events');

    expect(answer.status).toBe(200);
    expect(answer.body.nextCursor).toBeNull();
    expect(answer.body.items).toEqual(rows.map((row) => expect.objectContaining(summaryOf(row))));
    for (const item of answer.body.items as Record<string, unknown>[]) {
      expect(item).not.toHaveProperty('payload');
      expect(item).not.toHaveProperty('query');
      expect(new Date(item.receivedAt as string).toISOString()).toBe(item.receivedAt);
    }
    const [newest, unhandled, rejected, failed] = answer.body.items as Summary[];
    expect(newest).toMatchObject({ command: SEND, status: 'processed', attempts: 1, lastError: null, dedupeKey: sendDedupeKey('5_2837546_1557481126') });
    expect(newest!.processedAt).toEqual(expect.any(String));
    expect(unhandled).toMatchObject({ command: UNMODELLED, status: 'unhandled', attempts: 1 });
    expect(rejected).toMatchObject({ command: SEND, status: 'rejected', attempts: 0, dedupeKey: null, processedAt: null });
    expect(rejected!.lastError).toContain('MsgSeq');
    expect(failed).toMatchObject({ command: SEND, status: 'failed', attempts: 1, lastError: 'Error: CRM is down', processedAt: null });
  });

  it.each([
    ['status=processed', (r: InboxRow) => r.status === 'processed'],
    ['status=rejected', (r: InboxRow) => r.status === 'rejected'],
    ['status=dead', () => false],
    [`command=${SEND}`, (r: InboxRow) => r.command === SEND],
    [`command=${EXTENSION}`, (r: InboxRow) => r.command === EXTENSION],
    ['command=Nope.Nothing', () => false],
    [`status=failed&command=${SEND}`, (r: InboxRow) => r.status === 'failed' && r.command === SEND],
    [`status=processed&command=${UNMODELLED}`, () => false],
  ])('filters with %s', async (query, keep) => {
    const answer = await opsGet(t, `/webhook-events?${query}`);

    expect(answer.status).toBe(200);
    expect((answer.body.items as Summary[]).map((i) => i.id)).toEqual(rows.filter(keep).map((r) => r.id));
    expect(answer.body.nextCursor).toBeNull();
  });

  it.each([
    ['limit=3', () => true, [3, 3, 2]],
    ['limit=5', () => true, [5, 3]],
    ['limit=7', () => true, [7, 1]],
    [`limit=2&command=${SEND}`, (r: InboxRow) => r.command === SEND, [2, 2, 1]],
  ])('pages with %s: disjoint pages, newest first, together complete, nextCursor null on the last', async (query, keep, sizes) => {
    const pages = await allPages(t, query);

    expect(pages.map((p) => p.items.length)).toEqual(sizes);
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(rows.filter(keep).map((r) => r.id));
    expect(pages.at(-1)!.nextCursor).toBeNull();
    for (const page of pages.slice(0, -1)) expect(page.nextCursor).toBe(String(page.items.at(-1)!.id));
  });

  it('answers nextCursor null on a full page that holds the oldest row (no empty page to fetch)', async () => {
    const exact = await opsGet(t, `/webhook-events?limit=${rows.length}`);
    expect(exact.body.items).toHaveLength(rows.length);
    expect(exact.body.nextCursor).toBeNull();

    const pages = await allPages(t, 'limit=4');
    expect(pages.map((p) => p.items.length)).toEqual([4, 4]);
  });

  it('continues below any cursor', async () => {
    const cursor = rows[2]!.id;
    const answer = await opsGet(t, `/webhook-events?cursor=${cursor}`);
    expect((answer.body.items as Summary[]).map((i) => i.id)).toEqual(rows.slice(3).map((r) => r.id));
  });

  it.each([
    ['status=bogus', 'status'],
    ['status=PROCESSED', 'status'],
    ['status=processed&status=failed', 'status'],
    ['command=a&command=b', 'command'],
    ['cursor=abc', 'cursor'],
    ['cursor=-1', 'cursor'],
    ['cursor=1.5', 'cursor'],
    ['cursor=1&cursor=2', 'cursor'],
    ['cursor=99999999999999999999', 'cursor'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2&limit=3', 'limit'],
  ])('answers 400 in the envelope for %s, naming the parameter', async (query, parameter) => {
    const info = expectFailure(await opsGet(t, `/webhook-events?${query}`), 400);
    expect(info).toContain(parameter);
  });
});

describe('GET /webhook-events/:id', () => {
  const CALLBACK_TOKEN = 'callback-token-not-to-be-shown';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: CALLBACK_TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows one row with its parsed payload and its query, without Sign, for a signed callback', async () => {
    const requestTime = Math.floor(Date.now() / 1000);
    const sign = signCallback(CALLBACK_TOKEN, requestTime);
    const payload = { ...sendMsg(10), SomeFieldTencentAddsLater: { nested: [1, 2] } };
    expect((await postCallback(t, payload, { token: CALLBACK_TOKEN, requestTime })).body).toEqual(OK);
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, sendDedupeKey('10_2837546_1557481126')));

    const answer = await opsGet(t, `/webhook-events/${row!.id}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ...summaryOf(row!), payload });
    expect((answer.body as Detail).payload).toEqual(payload);
    expect((answer.body as Detail).query).toEqual({
      SdkAppid: TEST_SDKAPPID,
      CallbackCommand: SEND,
      contenttype: 'json',
      ClientIP: '203.0.113.7',
      OptPlatform: 'iOS',
      RequestTime: String(requestTime),
    });
    expect(answer.text).not.toContain(sign);
    expect(answer.text).not.toContain(CALLBACK_TOKEN);
    const list = await opsGet(t, '/webhook-events');
    expect(list.text).not.toContain(sign);
  });

  it('shows a rejected signed callback without Sign too', async () => {
    const requestTime = Math.floor(Date.now() / 1000);
    const sign = signCallback(CALLBACK_TOKEN, requestTime);
    const payload = sendMsg(11, { MsgSeq: '11' });
    expect((await postCallback(t, payload, { token: CALLBACK_TOKEN, requestTime })).status).toBe(400);
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.status, 'rejected'));

    const answer = await opsGet(t, `/webhook-events/${row!.id}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'rejected', dedupeKey: null, payload });
    expect((answer.body as Detail).query).not.toHaveProperty('Sign');
    expect((answer.body as Detail).query).toMatchObject({ RequestTime: String(requestTime) });
    expect(answer.text).not.toContain(sign);
  });

  it('answers 404 in the envelope for an unknown id', async () => {
    expectFailure(await opsGet(t, '/webhook-events/987654'), 404);
  });

  it.each(['abc', '1.5', '1e3', '0x10', ' 1'])('answers 400 in the envelope for the id %p', async (id) => {
    expectFailure(await opsGet(t, `/webhook-events/${encodeURIComponent(id)}`), 400);
  });

  it.each(['99999999999999999999', '9223372036854775807'])('answers an id beyond the id range (%s) with 400 or 404 in the envelope, never 500', async (id) => {
    const answer = await opsGet(t, `/webhook-events/${id}`);
    expect(answer.status).toBeLessThan(500);
    expectFailure(answer, answer.status === 404 ? 404 : 400);
  });

  it('answers 401 without the token', async () => {
    expectFailure(await request(t.server).get('/webhook-events/1'), 401);
  });
});

describe('POST /webhook-events/:id/replay', () => {
  let t: TestApp;
  let crm: Crm;

  beforeAll(async () => {
    t = await createTestApp({ imports: [CrmModule] });
    crm = t.app.get(Crm);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    crm.down = false;
    crm.held = undefined;
    crm.attempts.length = 0;
    t.events.clear();
  });

  it('answers 401 without the token, 404 for an unknown id, 400 for a non-integer id, in the envelope', async () => {
    expectFailure(await replay(t, 1, null), 401);
    expectFailure(await replay(t, 1, 'Bearer nope'), 401);
    expectFailure(await replay(t, 987654), 404);
    expectFailure(await replay(t, 'abc'), 400);
    expect(t.events.events).toEqual([]);
  });

  it('re-emits a processed callback but changes no state (listeners are idempotent)', async () => {
    // Message 20 (unread 7), a newer message 21 to the same user (unread 9), extensions on 20: set k1..k3, then delete k1.
    const older = sendMsg(20);
    const olderKey = String(older.MsgKey);
    expect((await postCallback(t, older)).body).toEqual(OK);
    expect((await postCallback(t, sendMsg(21, { MsgTime: 1557481200, UnreadMsgNum: 9 }))).body).toEqual(OK);
    const onMessage = { From_Account: 'jared', To_Account: 'Jonh', MsgKey: olderKey };
    const set = { ...fixture('c2c-msg-extension-set'), ...onMessage };
    expect((await postCallback(t, set)).body).toEqual(OK);
    expect((await postCallback(t, { ...fixture('c2c-msg-extension-delete'), ...onMessage, ExtensionList: [{ Key: 'k1', Value: '', Seq: 2 }] })).body).toEqual(OK);
    const messageBefore = await readApi(t, `/c2c/conversations/jared/Jonh/messages/${olderKey}`);
    expect(messageBefore.body.extensions).toEqual({ seq: 2, items: [{ key: 'k2', value: 'v2', seq: 1 }, { key: 'k3', value: 'v3', seq: 1 }] });
    expect((await readApi(t, '/c2c/users/Jonh/unread')).body).toEqual({ userId: 'Jonh', unreadMsgNum: 9 });
    const [sendRow] = await rowsWithKey(t, sendDedupeKey(olderKey));
    const setRow = (await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, EXTENSION)).orderBy(webhookInbox.id))[0]!;
    const rowCount = (await allRowsNewestFirst(t)).length;
    t.events.clear();
    crm.attempts.length = 0;

    const answer = await replay(t, sendRow!.id);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: sendRow!.id, command: SEND, status: 'processed', attempts: 2, lastError: null, payload: older });
    const [event] = t.events.of('c2c.message.sent');
    expect(event).toMatchObject({ msgKey: olderKey, unreadMsgNum: 7, metadata: { inboxId: sendRow!.id, attempt: 2 } });
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', 'c2c.message.sent']);
    expect(crm.attempts).toEqual([2]);

    const setAnswer = await replay(t, setRow.id);
    expect(setAnswer.body).toMatchObject({ status: 'processed', attempts: 2 });
    expect(t.events.of('c2c.message-extension.changed')).toHaveLength(1);

    expect((await readApi(t, `/c2c/conversations/jared/Jonh/messages/${olderKey}`)).body).toEqual(messageBefore.body);
    expect((await readApi(t, '/c2c/users/Jonh/unread')).body).toEqual({ userId: 'Jonh', unreadMsgNum: 9 });
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages')).body.items.filter((m: { msgKey: string }) => m.msgKey === olderKey)).toHaveLength(1);
    expect(await allRowsNewestFirst(t)).toHaveLength(rowCount);
    expect(await rowsWithKey(t, sendDedupeKey(olderKey))).toEqual([expect.objectContaining({ id: sendRow!.id, status: 'processed', attempts: 2 })]);
  });

  it('delivers a failed callback once the listener is fixed: processed, error cleared', async () => {
    crm.down = true;
    expect((await postCallback(t, sendMsg(30))).body).toEqual(OK);
    const [failed] = await rowsWithKey(t, sendDedupeKey('30_2837546_1557481126'));
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Error: CRM is down' });
    crm.down = false;

    const answer = await replay(t, failed!.id);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: failed!.id, status: 'processed', attempts: 2, lastError: null });
    expect(await rowById(t, failed!.id)).toMatchObject({ status: 'processed', attempts: 2, lastError: null, nextAttemptAt: null, leaseUntil: null });
    expect(crm.attempts).toEqual([1, 2]);
  });

  it('answers 400 naming the field for a rejected callback that is still invalid, and keeps it rejected', async () => {
    const payload = sendMsg(40, { MsgSeq: '48374' });
    expect((await postCallback(t, payload)).status).toBe(400);
    const [rejected] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.status, 'rejected'));
    t.events.clear();

    const info = expectFailure(await replay(t, rejected!.id), 400);

    expect(info).toContain('MsgSeq');
    const after = await rowById(t, rejected!.id);
    expect(after).toMatchObject({ status: 'rejected', dedupeKey: null, attempts: 0, processedAt: null });
    expect(after.lastError).toContain('MsgSeq');
    expect(t.events.events).toEqual([]);
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages/40_2837546_1557481126')).status).toBe(404);
    await t.db.delete(webhookInbox).where(eq(webhookInbox.id, rejected!.id));
  });

  it('recovers a rejected callback that the current DTOs accept: processed, with its real dedupe key, projected', async () => {
    const payload = sendMsg(50);
    const id = await insertRejected(t, payload);

    const answer = await replay(t, id);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, status: 'processed', attempts: 1, lastError: null, dedupeKey: sendDedupeKey('50_2837546_1557481126') });
    expect(await rowById(t, id)).toMatchObject({ status: 'processed', attempts: 1, lastError: null, leaseUntil: null });
    expect(t.events.of('c2c.message.sent')).toEqual([expect.objectContaining({ msgKey: '50_2837546_1557481126', metadata: expect.objectContaining({ inboxId: id, attempt: 1 }) })]);
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages/50_2837546_1557481126')).status).toBe(200);

    // Tencent delivering the same callback now is a duplicate of the recovered row.
    t.events.clear();
    expect((await postCallback(t, payload)).body).toEqual(OK);
    expect(t.events.events).toEqual([]);
    expect(await rowsWithKey(t, sendDedupeKey('50_2837546_1557481126'))).toHaveLength(1);
  });

  it('answers 409 for a rejected callback already stored under the same dedupe key, and leaves both rows as they were', async () => {
    const payload = sendMsg(60);
    expect((await postCallback(t, payload)).body).toEqual(OK);
    const [stored] = await rowsWithKey(t, sendDedupeKey('60_2837546_1557481126'));
    const id = await insertRejected(t, payload);
    t.events.clear();

    const info = expectFailure(await replay(t, id), 409);

    expect(info).toContain(String(stored!.id));
    expect(await rowById(t, id)).toMatchObject({ status: 'rejected', dedupeKey: null, attempts: 0 });
    expect(await rowById(t, stored!.id)).toEqual(stored);
    expect(t.events.events).toEqual([]);
  });

  it('recovers a rejected callback of a command the project does not model, under the dedupe key a redelivery gets', async () => {
    const payload = { CallbackCommand: UNMODELLED, GroupId: '@TGS#recovered', MsgSeq: 1 };
    const id = await insertRejected(t, payload);

    const answer = await replay(t, id);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, command: UNMODELLED, status: 'unhandled', attempts: 1 });
    expect(t.events.of('webhook.unhandled')).toHaveLength(1);

    // The same callback delivered again is a duplicate: no second row, no second event.
    t.events.clear();
    expect((await postCallback(t, payload)).body).toEqual(OK);
    expect(t.events.events).toEqual([]);
    expect(await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, UNMODELLED))).toHaveLength(1);
  });

  it('answers 409 to a replay of a row whose replay is still being dispatched, and dispatches it once', async () => {
    expect((await postCallback(t, sendMsg(80))).body).toEqual(OK);
    const [row] = await rowsWithKey(t, sendDedupeKey('80_2837546_1557481126'));
    t.events.clear();
    const release = crm.holdNextDelivery();

    const first = replay(t, row!.id).then((answer) => answer);
    await crm.held;
    const second = await replay(t, row!.id);
    release();

    expectFailure(second, 409);
    expect((await first).body).toMatchObject({ status: 'processed', attempts: 2 });
    expect(t.events.of('c2c.message.sent')).toHaveLength(1);
    expect(await rowById(t, row!.id)).toMatchObject({ status: 'processed', attempts: 2 });
  });

  // PostgreSQL only: it takes a second connection to hold an uncommitted row (PGlite has one).
  (testDriver() === 'postgres' ? it : it.skip)(
    'answers 409, not 500, when the same callback is stored while its rejected twin is being replayed',
    async () => {
      const payload = sendMsg(90);
      const id = await insertRejected(t, payload);
      const dedupeKey = sendDedupeKey('90_2837546_1557481126');
      let answer: request.Response | undefined;

      await t.db.transaction(async (tx) => {
        // A delivery of the same callback, stored but not yet committed when the replay checks for it.
        await tx.insert(webhookInbox).values({ ...rejectedColumns(payload), dedupeKey, status: 'processed', lastError: null });
        const pending = replay(t, id).then((a) => a);
        await waitForLockWait(t);
        // Committing makes the replay's UPDATE of dedupe_key collide with the unique index.
        void pending.then((a) => (answer = a));
      });
      for (let i = 0; i < 200 && answer === undefined; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));

      expectFailure(answer!, 409);
      expect(await rowById(t, id)).toMatchObject({ status: 'rejected', dedupeKey: null });
      expect(await rowsWithKey(t, dedupeKey)).toHaveLength(1);
    },
  );

  it('answers 409 for a callback a dispatch holds right now (live lease), without dispatching it', async () => {
    const payload = sendMsg(70);
    const [held] = await t.db
      .insert(webhookInbox)
      .values({
        command: SEND,
        dedupeKey: sendDedupeKey(String(payload.MsgKey)),
        status: 'received',
        payload: JSON.stringify(payload),
        query: { SdkAppid: TEST_SDKAPPID, CallbackCommand: SEND },
        sdkAppId: TEST_SDKAPPID,
        leaseUntil: sql`now() + interval '1 hour'`,
      })
      .returning();

    expectFailure(await replay(t, held!.id), 409);

    expect(await rowById(t, held!.id)).toEqual(held);
    expect(t.events.events).toEqual([]);
  });
});
