import { Injectable, Module } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import request from 'supertest';
import { inboxReplays, webhookInbox, type InboxRow } from '../src/database/schema.js';
import { C2CMessageSentEvent, OnDomainEvent } from '../src/events/index.js';
import { InboxReplaysService } from '../src/webhook/operations/inbox-replays.service.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';

const SEND = 'C2C.CallbackAfterSendMsg';
const OA_SEND = 'OfficialAccount.CallbackAfterSendMsg';
// A command name no issue will ever model, so it stays unhandled.
const UNMODELLED = 'Example.CallbackNobodyModels';
const RATE = 25;

/** The user's CRM listener: down, every c2c.message.sent fails (and, with one attempt allowed, is dead at once). */
@Injectable()
class Crm {
  down = false;

  @OnDomainEvent('c2c.message.sent')
  async handleMessageSent(_event: C2CMessageSentEvent): Promise<void> {
    if (this.down) throw new Error('CRM is down');
  }
}
@Module({ providers: [Crm] })
class CrmModule {}

interface Replay {
  id: number;
  filter: { status: string[]; command: string | null; receivedFrom: string | null; receivedTo: string | null };
  state: string;
  total: number;
  replayed: number;
  outcomes: Record<string, number>;
  ratePerSecond: number;
  startedAt: string;
  finishedAt: string | null;
  lastError: string | null;
}

function sendMsg(seq: number): Record<string, unknown> {
  return { ...fixture('c2c-after-send-msg'), MsgSeq: seq, MsgKey: `${seq}_2837546_1557481126` };
}

function oaSend(n: number): Record<string, unknown> {
  return { ...fixture('official-account-after-send-msg'), MsgKey: `${n}_oa_bulk`, EventTime: 1_700_000_000_000 + n };
}

function postReplays(t: TestApp, body: unknown, authorization: string | null = `Bearer ${TEST_API_TOKEN}`) {
  const call = request(t.server).post('/ops/replays');
  const authorized = authorization === null ? call : call.set('Authorization', authorization);
  return body === undefined ? authorized : authorized.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
}

function expectFailure(answer: request.Response, status: number): string {
  expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status, body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) } });
  return (answer.body as { ErrorInfo: string }).ErrorInfo;
}

/** Polls GET /ops/replays/:id until the job leaves `running`; returns every answer seen, the last one finished. */
async function followReplay(t: TestApp, id: number, timeoutMs = 15_000): Promise<Replay[]> {
  const seen: Replay[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await readApi(t, `/ops/replays/${id}`);
    expect(answer.status).toBe(200);
    seen.push(answer.body as Replay);
    if (seen.at(-1)!.state !== 'running') return seen;
    if (Date.now() > deadline) throw new Error(`replay ${id} still running after ${timeoutMs} ms: ${JSON.stringify(seen.at(-1))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startAndFinish(t: TestApp, body: Record<string, unknown>): Promise<Replay> {
  const started = await postReplays(t, body);
  expect(started.status).toBe(202);
  return (await followReplay(t, (started.body as Replay).id)).at(-1)!;
}

async function rows(t: TestApp, ids: number[]): Promise<InboxRow[]> {
  return t.db.select().from(webhookInbox).where(inArray(webhookInbox.id, ids)).orderBy(webhookInbox.id);
}

const statusAndAttempts = (list: InboxRow[]) => list.map((r) => ({ id: r.id, status: r.status, attempts: r.attempts, lastError: r.lastError }));

/** The columns of a rejected callback as an older version of the service would have kept it. */
function rejectedColumns(payload: Record<string, unknown>) {
  const command = String(payload.CallbackCommand);
  return {
    command,
    dedupeKey: null,
    status: 'rejected' as const,
    payload: JSON.stringify(payload),
    query: { SdkAppid: TEST_SDKAPPID, CallbackCommand: command, contenttype: 'json' },
    sdkAppId: TEST_SDKAPPID,
    lastError: 'invalid fields: MsgBody: refused by an older version',
  };
}

describe('bulk replay (POST /ops/replays)', () => {
  let t: TestApp;
  let crm: Crm;
  /** C2C sends made dead while the CRM was down, received at 00:00:00..00:00:05 of 2024-03-01. */
  let dead: number[];
  /** OfficialAccount sends (processed), received at the same times. */
  let oa: number[];
  let decided: number;

  beforeAll(async () => {
    t = await createTestApp({ imports: [CrmModule], env: { WEBHOOK_RETRY_MAX_ATTEMPTS: '1', INBOX_REPLAY_RATE_PER_SECOND: String(RATE) } });
    crm = t.app.get(Crm);
    crm.down = true;
    for (let i = 0; i < 6; i++) expect((await postCallback(t, sendMsg(100 + i))).body).toEqual(OK);
    for (let i = 0; i < 6; i++) expect((await postCallback(t, oaSend(i))).body).toEqual(OK);
    expect((await postCallback(t, fixture('c2c-before-send-msg'))).status).toBe(200);
    const all = await t.db.select().from(webhookInbox).orderBy(webhookInbox.id);
    dead = all.filter((r) => r.command === SEND).map((r) => r.id);
    oa = all.filter((r) => r.command === OA_SEND).map((r) => r.id);
    decided = all.find((r) => r.status === 'decided')!.id;
    expect(all.filter((r) => r.command === SEND).map((r) => r.status)).toEqual(Array(6).fill('dead'));
    expect(all.filter((r) => r.command === OA_SEND).map((r) => r.status)).toEqual(Array(6).fill('processed'));
    for (const [i, id] of dead.entries()) {
      await t.db.update(webhookInbox).set({ receivedAt: new Date(Date.UTC(2024, 2, 1, 0, 0, i)) }).where(eq(webhookInbox.id, id));
      await t.db.update(webhookInbox).set({ receivedAt: new Date(Date.UTC(2024, 2, 1, 0, 0, i)) }).where(eq(webhookInbox.id, oa[i]!));
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 401 in the envelope without the bearer token', async () => {
    expectFailure(await postReplays(t, { dryRun: true }, null), 401);
    expectFailure(await postReplays(t, { dryRun: true }, 'Bearer wrong'), 401);
    expectFailure(await request(t.server).get('/ops/replays'), 401);
    expectFailure(await request(t.server).get('/ops/replays/1'), 401);
    expectFailure(await request(t.server).post('/ops/replays/1/cancel'), 401);
  });

  it.each([
    ['status not a list', { status: 'dead' }, 'status must be a list'],
    ['status empty', { status: [] }, 'status must name at least one'],
    ['status received (pending)', { status: ['dead', 'received'] }, 'received is not replayable'],
    ['status decided', { status: ['decided'] }, 'decided is not replayable'],
    ['status unknown', { status: ['zombie'] }, 'status must hold only processed, unhandled, failed, dead, rejected'],
    ['command not a string', { command: 5 }, 'command must be a string'],
    ['command empty', { command: '' }, 'command must not be empty'],
    ['receivedFrom not a time', { receivedFrom: 'yesterday' }, 'receivedFrom must be an ISO 8601 date-time'],
    ['receivedFrom without a zone', { receivedFrom: '2024-03-01T00:00:00' }, 'receivedFrom must be an ISO 8601 date-time'],
    ['receivedTo not a time', { receivedTo: '2024-13-45T00:00:00Z' }, 'receivedTo must be an ISO 8601 date-time'],
    ['receivedTo not after receivedFrom', { receivedFrom: '2024-03-01T00:00:05Z', receivedTo: '2024-03-01T00:00:05Z' }, 'receivedTo must be later than receivedFrom'],
    ['dryRun not a boolean', { dryRun: 'yes' }, 'dryRun must be true or false'],
    ['an unknown field', { stauts: ['dead'] }, 'property stauts should not exist'],
    ['a list body', '[]', 'the body must be a JSON object'],
    ['no body', undefined, 'the body must be a JSON object'],
  ])('answers 400 in the envelope naming the field: %s', async (_case, body, info) => {
    const before = statusAndAttempts(await rows(t, [...dead, ...oa]));
    expect(expectFailure(await postReplays(t, body), 400)).toContain(info);
    expect(statusAndAttempts(await rows(t, [...dead, ...oa]))).toEqual(before);
    expect(await t.db.select().from(inboxReplays)).toEqual([]);
  });

  it('a dry run counts exactly what a filter by command and time range selects; the replay takes those rows only, once the listener is fixed', async () => {
    const filter = { status: ['dead', 'processed'], command: SEND, receivedFrom: '2024-03-01T00:00:02Z', receivedTo: '2024-03-01T00:00:05Z' };
    const selected = dead.slice(2, 5);
    const untouched = [...dead.slice(0, 2), dead[5]!, ...oa, decided];
    const untouchedBefore = statusAndAttempts(await rows(t, untouched));

    const dry = await postReplays(t, { ...filter, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, matched: 3, byStatus: { dead: 3 }, byCommand: { [SEND]: 3 } });
    const wider = await postReplays(t, { status: ['dead', 'processed'], receivedFrom: '2024-03-01T00:00:02Z', dryRun: true });
    expect(wider.body).toEqual({ dryRun: true, matched: 8, byStatus: { dead: 4, processed: 4 }, byCommand: { [SEND]: 4, [OA_SEND]: 4 } });
    // The dry run replayed nothing.
    expect(statusAndAttempts(await rows(t, selected)).map((r) => r.status)).toEqual(['dead', 'dead', 'dead']);

    crm.down = false;
    const done = await startAndFinish(t, filter);

    expect(done).toMatchObject({
      state: 'done',
      filter: { status: ['processed', 'dead'], command: SEND, receivedFrom: '2024-03-01T00:00:02.000Z', receivedTo: '2024-03-01T00:00:05.000Z' },
      total: 3,
      replayed: 3,
      outcomes: { processed: 3, failed: 0, dead: 0, unhandled: 0, conflict: 0, invalid: 0 },
      lastError: null,
    });
    expect(done.finishedAt).not.toBeNull();
    expect((await rows(t, selected)).map((r) => ({ status: r.status, attempts: r.attempts, lastError: r.lastError }))).toEqual(
      Array(3).fill({ status: 'processed', attempts: 2, lastError: null }),
    );
    expect(statusAndAttempts(await rows(t, untouched))).toEqual(untouchedBefore);
  });

  it('replays dead rows that still fail as dead again, then as processed once the listener is fixed', async () => {
    crm.down = true;
    const stillFailing = await startAndFinish(t, { status: ['dead'] });
    expect(stillFailing).toMatchObject({ state: 'done', total: 3, replayed: 3, outcomes: { dead: 3, processed: 0 } });
    expect((await rows(t, [dead[0]!, dead[1]!, dead[5]!])).map((r) => [r.status, r.attempts, r.lastError])).toEqual(Array(3).fill(['dead', 2, 'Error: CRM is down']));

    crm.down = false;
    const fixed = await startAndFinish(t, { status: ['dead'] });
    expect(fixed).toMatchObject({ state: 'done', total: 3, replayed: 3, outcomes: { processed: 3, dead: 0 } });
    expect((await rows(t, dead)).map((r) => r.status)).toEqual(Array(6).fill('processed'));
    expect(t.events.of('c2c.message.sent').filter((e) => e.metadata.inboxId === dead[5]).map((e) => e.metadata.attempt)).toEqual([1, 2, 3]);
  });

  it('validates rejected rows again: a valid one is processed, a still invalid one and a duplicate are left rejected', async () => {
    const [fixable] = await t.db.insert(webhookInbox).values(rejectedColumns(sendMsg(200))).returning();
    const [duplicate] = await t.db.insert(webhookInbox).values(rejectedColumns(sendMsg(100))).returning(); // stored already, as dead[0]
    expect((await postCallback(t, { ...sendMsg(201), MsgSeq: 'two hundred one' })).status).toBe(400);
    const [invalid] = await t.db.select().from(webhookInbox).where(and(eq(webhookInbox.status, 'rejected'), sql`${webhookInbox.payload} ->> 'MsgSeq' = 'two hundred one'`));

    const done = await startAndFinish(t, { status: ['rejected'] });

    expect(done).toMatchObject({ state: 'done', total: 3, replayed: 3, outcomes: { processed: 1, conflict: 1, invalid: 1 } });
    const after = await rows(t, [fixable!.id, duplicate!.id, invalid!.id]);
    expect(after.map((r) => r.status)).toEqual(['processed', 'rejected', 'rejected']);
    expect(after[0]!.dedupeKey).not.toBeNull();
    expect(after[2]!.lastError).toContain('MsgSeq');
  });

  it('shows its progress through GET while it runs, takes only rows stored before it started, and never a decided row', async () => {
    for (let i = 0; i < 40; i++) expect((await postCallback(t, { CallbackCommand: UNMODELLED, N: i })).body).toEqual(OK);
    const decidedBefore = (await rows(t, [decided]))[0]!;
    const dry = await postReplays(t, { dryRun: true });
    expect(dry.body.byStatus).toEqual({ processed: 13, unhandled: 40, rejected: 2 });
    expect(dry.body.matched).toBe(55);

    const started = await postReplays(t, { status: ['unhandled', 'rejected'] });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'running', total: 42, filter: { status: ['unhandled', 'rejected'], command: null } });
    // Stored after the start: not part of it.
    expect((await postCallback(t, { CallbackCommand: UNMODELLED, N: 'late' })).body).toEqual(OK);
    const [late] = await t.db.select().from(webhookInbox).where(sql`${webhookInbox.payload} ->> 'N' = 'late'`);
    const second = await postReplays(t, { status: ['dead'] });
    expect(expectFailure(second, 409)).toContain(`bulk replay ${started.body.id as number} is running`);
    const listed = await readApi(t, '/ops/replays');
    expect(listed.body.items[0]).toMatchObject({ id: started.body.id, state: 'running' });

    const seen = await followReplay(t, started.body.id as number);

    const last = seen.at(-1)!;
    expect(last).toMatchObject({ state: 'done', total: 42, replayed: 42, outcomes: { unhandled: 40, conflict: 1, invalid: 1, processed: 0 } });
    const midway = seen.filter((s) => s.state === 'running' && s.replayed > 0 && s.replayed < 42);
    expect(midway.length).toBeGreaterThan(0);
    // Throttled: at most RATE a second (plus a little for the clock of the first row).
    expect(last.ratePerSecond).toBeLessThanOrEqual(RATE * 1.1);
    expect((await rows(t, [late!.id]))[0]).toMatchObject({ status: 'unhandled', attempts: 1 });
    expect((await rows(t, [decided]))[0]).toEqual(decidedBefore);
    const listedAfter = await readApi(t, '/ops/replays?limit=2');
    expect(listedAfter.body.items.map((r: Replay) => [r.id, r.state])).toEqual([[last.id, 'done'], [last.id - 1, 'done']]);
  });

  it('counts replayed rows by outcome in /metrics', async () => {
    const metrics = await request(t.server).get('/metrics');
    const count = (outcome: string): number => Number(new RegExp(`^tcw_bulk_replay_rows_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics.text)?.[1] ?? 0);
    // 3 + 3 + 1 processed, 3 dead, 40 unhandled, 1 + 1 conflict, 1 + 1 invalid, over the tests above.
    expect({ processed: count('processed'), dead: count('dead'), unhandled: count('unhandled'), conflict: count('conflict'), invalid: count('invalid') }).toEqual({
      processed: 7,
      dead: 3,
      unhandled: 40,
      conflict: 2,
      invalid: 2,
    });
  });

  it('cancels a running replay after its current row', async () => {
    const started = await postReplays(t, { status: ['unhandled'] });
    expect(started.status).toBe(202);
    const cancel = await request(t.server).post(`/ops/replays/${started.body.id as number}/cancel`).set('Authorization', `Bearer ${TEST_API_TOKEN}`);
    expect(cancel.status).toBe(200);
    const last = (await followReplay(t, started.body.id as number)).at(-1)!;
    expect(last.state).toBe('cancelled');
    expect(last.replayed).toBeLessThan(41);
    expect(expectFailure(await request(t.server).post(`/ops/replays/${last.id}/cancel`).set('Authorization', `Bearer ${TEST_API_TOKEN}`), 409)).toContain('is cancelled');
    expectFailure(await readApi(t, '/ops/replays/999999'), 404);
    expectFailure(await readApi(t, '/ops/replays/abc'), 400);
  });

  it('marks failed (interrupted) a job whose instance stopped renewing it, and one stopped by a shutdown', async () => {
    const [orphan] = await t.db
      .insert(inboxReplays)
      .values({ filter: { status: ['dead'], command: null, receivedFrom: null, receivedTo: null }, state: 'running', uptoId: 1, total: 1, holder: 'gone:1:x', heartbeatAt: new Date(Date.now() - 60_000) })
      .returning();
    const orphanAnswer = await readApi(t, `/ops/replays/${orphan!.id}`);
    expect(orphanAnswer.body).toMatchObject({ state: 'failed', lastError: expect.stringContaining('interrupted') });

    const started = await postReplays(t, { status: ['unhandled'] });
    expect(started.status).toBe(202);
    await t.app.get(InboxReplaysService).beforeApplicationShutdown();
    const stopped = (await readApi(t, `/ops/replays/${started.body.id as number}`)).body as Replay;
    expect(stopped).toMatchObject({ state: 'failed', lastError: expect.stringContaining('interrupted: the service stopped') });
    expect(stopped.replayed).toBeLessThan(41);
  });
});
