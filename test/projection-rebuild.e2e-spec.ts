import { Injectable, Module } from '@nestjs/common';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import * as c2cSchema from '../src/c2c/c2c.schema.js';
import * as groupSchema from '../src/group/group.schema.js';
import * as officialAccountSchema from '../src/official-account/official-account.schema.js';
import * as presenceSchema from '../src/presence/presence.schema.js';
import { OnDomainEvent } from '../src/events/on-domain-event.decorator.js';
import type { Database } from '../src/database/database.types.js';
import { tablesOf } from '../src/projections/projection.js';
import { projectionRebuilds } from '../src/projections/projection-rebuilds.schema.js';
import { webhookInbox } from '../src/webhook/inbox/inbox.schema.js';
import { InboxRecoveryService } from '../src/webhook/inbox/inbox-recovery.service.js';
import { appCallbackRegistry } from '../src/testing/app-callbacks.js';
import { CALLBACK_SAMPLES, freshen, type CallbackSample } from '../src/testing/callback-samples.js';
import type { AddressInfo } from 'node:net';
import { main as projectionsCli } from '../src/cli/projections.js';
import { OK, postCallback } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, type TestApp } from './utils/test-app.js';
import { until } from './utils/wait.js';
import type { RebuildView } from '../src/projections/rebuild.views.js';

type Payload = Record<string, unknown>;

const FAMILY_TABLES: Record<string, PgTable[]> = {
  c2c: tablesOf(c2cSchema),
  'official-account': tablesOf(officialAccountSchema),
  presence: tablesOf(presenceSchema),
  group: tablesOf(groupSchema),
};
// Set by the database when a row is written: a rebuild writes the row again, later.
const WRITE_TIME_COLUMNS = new Set(['created_at', 'updated_at']);

const registry = appCallbackRegistry();
const AFTER_COMMANDS = Object.keys(CALLBACK_SAMPLES).filter((command) => registry.find(command) !== undefined);

/**
 * A mix of every modelled "after" command of every family: `perCommand` fresh variants of each sample
 * (same users, groups and accounts, new ids and times: later facts about the same things), plus
 * recalls and edits of messages that were sent, so the projections' joins have something to join.
 */
function callbackMix(perCommand: number, startMs: number): Payload[] {
  const mix: Payload[] = [];
  let at = startMs;
  for (let round = 0; round < perCommand; round++) {
    for (const command of AFTER_COMMANDS) {
      const payload: Payload = freshen(CALLBACK_SAMPLES[command]!, new Date((at += 1000)));
      mix.push(payload);
      if (command === 'C2C.CallbackAfterSendMsg') {
        const ref = { From_Account: payload.From_Account, To_Account: payload.To_Account, MsgKey: payload.MsgKey };
        if (round % 2 === 0) mix.push({ ...freshen(CALLBACK_SAMPLES['C2C.CallbackAfterMsgWithDraw']!, new Date((at += 1000))), ...ref });
        else mix.push({ ...freshen(CALLBACK_SAMPLES['C2C.CallbackAfterModifyMsg']!, new Date((at += 1000))), ...ref, MsgSeq: payload.MsgSeq, MsgRandom: payload.MsgRandom, MsgTime: payload.MsgTime });
      }
      if (command === 'Group.CallbackAfterSendMsg' && round % 2 === 0) {
        const recall = freshen(CALLBACK_SAMPLES['Group.CallbackAfterRecallMsg']!, new Date((at += 1000))) as CallbackSample;
        mix.push({ ...recall, GroupId: payload.GroupId, MsgSeqList: [{ MsgSeq: payload.MsgSeq }] });
      }
    }
  }
  return mix;
}

async function sendAll(app: TestApp, payloads: Payload[]): Promise<void> {
  for (const payload of payloads) {
    const answer = await postCallback(app, payload);
    expect({ command: payload.CallbackCommand, status: answer.status, body: answer.body as unknown }).toEqual({ command: payload.CallbackCommand, status: 200, body: OK });
  }
}

/** Every row of every projection table, write times left out, in a stable order: what "the state" is. */
async function projectionState(db: Database): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const tables of Object.values(FAMILY_TABLES)) {
    for (const table of tables) {
      const { name, columns } = getTableConfig(table);
      const kept = columns.filter((column) => !WRITE_TIME_COLUMNS.has(column.name));
      const result = (await db.execute(sql.raw(`SELECT ${kept.map((c) => `"${c.name}"::text AS "${c.name}"`).join(', ')} FROM "${name}"`))) as { rows: unknown[] };
      state[name] = (result.rows as Record<string, unknown>[]).map((row) => JSON.stringify(row)).sort();
    }
  }
  return state;
}

const api = (app: TestApp) => ({
  start: (body: unknown) => request(app.server).post('/ops/rebuilds').set('Authorization', `Bearer ${TEST_API_TOKEN}`).send(body as object),
  get: (id: number) => request(app.server).get(`/ops/rebuilds/${id}`).set('Authorization', `Bearer ${TEST_API_TOKEN}`),
  list: () => request(app.server).get('/ops/rebuilds').set('Authorization', `Bearer ${TEST_API_TOKEN}`),
});

async function finished(app: TestApp, id: number): Promise<RebuildView> {
  let last: RebuildView | undefined;
  await until(
    async () => {
      last = (await api(app).get(id)).body as RebuildView;
      return last.state !== 'running';
    },
    20_000,
    { intervalMs: 25, what: () => `rebuild ${id} to finish (last seen ${JSON.stringify(last)})` },
  );
  return last!;
}

/** A user's own listener: a rebuild must not call it unless asked. */
@Injectable()
class CountingListener {
  messagesSent = 0;
  received = 0;

  @OnDomainEvent('c2c.message.sent')
  onSent(): void {
    this.messagesSent++;
  }

  @OnDomainEvent('webhook.received')
  onReceived(): void {
    this.received++;
  }
}

@Module({ providers: [CountingListener] })
class CountingModule {}

describe('Rebuilding a projection (POST /ops/rebuilds)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ imports: [CountingModule] });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('rebuilds corrupted tables while callbacks keep arriving: the state a clean run of the same callbacks produces', async () => {
    const before = callbackMix(8, Date.UTC(2026, 0, 1));
    await sendAll(app, before);
    // Corrupt every family's projection: rows lost, rows changed.
    await app.db.execute(sql`DELETE FROM c2c_messages WHERE msg_key IN (SELECT msg_key FROM c2c_messages LIMIT 3)`);
    await app.db.execute(sql`UPDATE c2c_unread_counts SET unread_msg_num = unread_msg_num + 100`);
    await app.db.execute(sql`UPDATE user_presence SET online = NOT online, event_time = event_time + 1`);
    await app.db.execute(sql`DELETE FROM group_members`);
    await app.db.execute(sql`UPDATE official_accounts SET name = 'corrupted'`);
    await app.db.execute(sql`INSERT INTO c2c_message_recalls (user_a, user_b, msg_key, recalled_at) VALUES ('ghost', 'ghost', 'ghost', 1)`);

    // Live traffic during the rebuild: senders already posting when it starts, on until they are through.
    const during = callbackMix(2, Date.UTC(2026, 1, 1));
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < during.length) await sendAll(app, [during[next++]!]);
    };
    const senders = [sender(), sender(), sender()];
    const started = await api(app).start({ family: 'all' });
    expect(started.status).toBe(202);
    const rebuild = started.body as RebuildView;
    expect(rebuild).toMatchObject({ family: 'all', families: ['c2c', 'official-account', 'presence', 'group'], state: 'running' });
    await Promise.all(senders);
    const done = await finished(app, rebuild.id);

    const [fed] = await app.db
      .select({ count: sql<string>`count(*)` })
      .from(webhookInbox)
      .where(sql`status IN ('processed', 'failed', 'dead', 'received') AND id <= (SELECT high_water_inbox_id FROM projection_rebuilds WHERE id = ${rebuild.id})`);
    expect(done).toMatchObject({ state: 'done', failed: 0, lastError: null, total: Number(fed!.count), processed: Number(fed!.count) });
    expect(done.ratePerSecond).toBeGreaterThan(0);
    // Some callbacks really arrived while it ran.
    const [overlap] = await app.db
      .select({ count: sql<string>`count(*)` })
      .from(webhookInbox)
      .where(sql`received_at BETWEEN ${done.startedAt}::timestamptz AND ${done.finishedAt}::timestamptz`);
    expect(Number(overlap!.count)).toBeGreaterThan(0);

    // The clean run: the same stored callbacks (same receipt times) dispatched once into an empty database.
    const clean = await createTestApp();
    try {
      const stored = await app.db.select().from(webhookInbox);
      await clean.db.insert(webhookInbox).values(stored.map((row) => ({ ...row, status: 'received' as const, attempts: 0, leaseUntil: null, nextAttemptAt: null, processedTxid: null })));
      await clean.app.get(InboxRecoveryService).runOnce();
      const cleanState = await projectionState(clean.db);
      expect(Object.values(cleanState).filter((rows) => rows.length > 0).length).toBeGreaterThanOrEqual(15);
      expect(await projectionState(app.db)).toEqual(cleanState);
    } finally {
      await clean.close();
    }
  });

  it("calls only the family's own listener, unless withListeners; counts a callback that no longer decodes as failed", async () => {
    const counting = app.app.get(CountingListener);
    const [sends] = await app.db.select({ count: sql<string>`count(*)` }).from(webhookInbox).where(sql`command = 'C2C.CallbackAfterSendMsg' AND payload::json->>'SendMsgResult' = '0'`);
    const [c2cFed] = await app.db.select({ count: sql<string>`count(*)` }).from(webhookInbox).where(sql`command LIKE 'C2C.%' AND status IN ('processed', 'failed', 'dead', 'received')`);
    const countMessages = async (): Promise<unknown[]> => ((await app.db.execute(sql`SELECT count(*)::int AS n FROM c2c_messages`)) as { rows: unknown[] }).rows;
    const messages = await countMessages();
    const [broken] = await app.db
      .insert(webhookInbox)
      .values({ command: 'C2C.CallbackAfterSendMsg', dedupeKey: 'broken', status: 'processed', payload: '{"CallbackCommand":"C2C.CallbackAfterSendMsg"}', query: {}, sdkAppId: '1400000000' })
      .returning({ id: webhookInbox.id });
    expect(Number(sends!.count)).toBeGreaterThan(0);
    const counted = { messagesSent: counting.messagesSent, received: counting.received };

    const alone = await finished(app, ((await api(app).start({ family: 'c2c' }).expect(202)).body as RebuildView).id);
    expect(alone).toMatchObject({ state: 'done', total: Number(c2cFed!.count) + 1, processed: Number(c2cFed!.count), failed: 1 });
    expect(alone.lastError).toContain(`inbox ${broken!.id} (C2C.CallbackAfterSendMsg)`);
    expect({ messagesSent: counting.messagesSent, received: counting.received }).toEqual(counted);
    expect(await countMessages()).toEqual(messages);

    const all = await finished(app, ((await api(app).start({ family: 'c2c', withListeners: true }).expect(202)).body as RebuildView).id);
    expect(all).toMatchObject({ state: 'done', failed: 1 });
    expect(counting.messagesSent - counted.messagesSent).toBe(Number(sends!.count));
    expect(counting.received - counted.received).toBe(Number(c2cFed!.count));
    await app.db.execute(sql`DELETE FROM webhook_inbox WHERE id = ${broken!.id}`);

    const listed = (await api(app).list().expect(200)).body as { items: RebuildView[] };
    expect(listed.items.map((item) => item.id)).toEqual([all.id, alone.id, ...listed.items.slice(2).map((item) => item.id)]);
    expect(listed.items[0]).toEqual(all);
  });

  it('refuses a rebuild of a family another one (any instance) is rebuilding, not one whose instance stopped', async () => {
    const [other] = await app.db.insert(projectionRebuilds).values({ family: 'group', families: ['group'], withListeners: false, state: 'running' }).returning();
    const refused = await api(app).start({ family: 'all' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ ActionStatus: 'FAIL', ErrorInfo: expect.stringContaining(`rebuild ${other!.id} of group is running`) as string });
    await finished(app, ((await api(app).start({ family: 'presence' }).expect(202)).body as RebuildView).id);

    // Its instance stopped an hour ago: failed, and no longer in the way.
    await app.db.execute(sql`UPDATE projection_rebuilds SET heartbeat_at = now() - interval '1 hour' WHERE id = ${other!.id}`);
    await finished(app, ((await api(app).start({ family: 'group' }).expect(202)).body as RebuildView).id);
    expect((await api(app).get(other!.id).expect(200)).body).toMatchObject({ state: 'failed', lastError: expect.stringContaining('interrupted') as string });
  });

  it('answers 400 for an unknown family or a malformed body, 401 without the token, 404 for an unknown rebuild', async () => {
    const unknown = await api(app).start({ family: 'c2', withListeners: false });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ ActionStatus: 'FAIL', ErrorInfo: 'family must be one of c2c, official-account, presence, group, all' });
    expect((await api(app).start({ family: 'c2c', withListeners: 'yes' })).status).toBe(400);
    expect((await api(app).start({ family: 'c2c', extra: 1 })).status).toBe(400);
    expect((await api(app).start([])).status).toBe(400);
    expect((await request(app.server).post('/ops/rebuilds').send({ family: 'c2c' })).status).toBe(401);
    expect((await request(app.server).get('/ops/rebuilds')).status).toBe(401);
    expect((await api(app).get(999_999)).status).toBe(404);
  });

  it('npm run projections -- rebuild <family> --url: drives the service\'s route, shows progress, exits 0 only when done', async () => {
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const run = async (...args: string[]): Promise<{ code: number; output: string[] }> => {
      const output: string[] = [];
      const code = await projectionsCli(args, { API_TOKEN: TEST_API_TOKEN }, { line: (text) => output.push(text) });
      return { code, output };
    };
    const [presence] = await app.db.select({ count: sql<string>`count(*)` }).from(webhookInbox).where(sql`command = 'State.StateChange'`);
    const done = await run('rebuild', 'presence', '--url', url);
    expect(done.code).toBe(0);
    const count = Number(presence!.count).toLocaleString('en-US');
    expect(done.output.at(-1)).toMatch(new RegExp(`^rebuild \\d+ of presence done: ${count} of ${count} stored callbacks fed in [\\d.]+ s, [\\d,]+/s$`));
    expect(done.output[0]).toMatch(/^progress: /);

    const unknown = await run('rebuild', 'presense', '--url', url);
    expect(unknown).toEqual({ code: 1, output: ['HTTP 400: family must be one of c2c, official-account, presence, group, all'] });
    const refused = await projectionsCli(['rebuild', 'presence', '--url', url], {}, { line: () => undefined }).catch((error: Error) => error.message);
    expect(refused).toContain('give --token');
  });
});
