/**
 * The event relay (issue 19) against a real NATS JetStream: every domain event of every processed
 * callback in the stream, once by id, in processing order; the broker away and back; replays and
 * retries; a poison event. Skips with one line where no NATS server answers (REQUIRE_NATS=1: fails).
 */
import { Injectable, Module } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { connect, type NatsConnection } from 'nats';
import request from 'supertest';
import { Equals, IsString } from 'class-validator';
import { sql } from 'drizzle-orm';
import type { CallbackMetadata, DomainEvent, DomainEventName } from '../src/events/index.js';
import { callbackSample, freshen, OK, postCallback, TEST_API_TOKEN } from '../src/testing/index.js';
import { dedupeKeyOf, defineCommand } from '../src/webhook/commands/callback-command.js';
import { defineCallbackFamily } from '../src/webhook/commands/callback-family.js';
import { InboxRecoveryService } from '../src/webhook/inbox/inbox-recovery.service.js';
import { WebhookModule } from '../src/webhook/webhook.module.js';
import { deleteStream, describeWithNats, NATS_URL, OwnNatsServer, streamMessages, uniqueRelayNames, type StoredMessage } from './utils/nats.js';
import { createTestApp, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';
import { createTestDatabase } from './utils/test-database.js';
import { until } from './utils/wait.js';

const { describe: describeNats, suffix } = await describeWithNats();

const sent = (from: string, to: string): Record<string, unknown> => ({ ...freshen(callbackSample('C2C.CallbackAfterSendMsg')!), From_Account: from, To_Account: to });

function relayEnv(names: { stream: string; prefix: string }, url = NATS_URL): Record<string, string> {
  return { EVENT_RELAY_URL: url, EVENT_RELAY_STREAM: names.stream, EVENT_RELAY_SUBJECT_PREFIX: names.prefix, EVENT_RELAY_POLL_MS: '20' };
}

const relayView = async (t: TestApp) => (await request(t.server).get('/event-relay').set('Authorization', `Bearer ${TEST_API_TOKEN}`).expect(200)).body as Record<string, unknown> & { failures: Record<string, unknown>[] };

async function messagesUntil(nc: NatsConnection, stream: string, count: number, timeoutMs = 10_000): Promise<StoredMessage[]> {
  let messages: StoredMessage[] = [];
  await until(async () => (messages = await streamMessages(nc, stream)).length >= count, timeoutMs, { what: () => `${count} messages in ${stream} (have ${messages.length})`, intervalMs: 100 });
  return messages;
}

// A listener that fails the first time it sees a message whose text says so: a retry then succeeds.
@Injectable()
class FlakyListener {
  readonly failed = new Set<string>();
  @OnEvent('c2c.message.sent')
  handle(event: { msgKey: string; body: { msgContent: Record<string, unknown> }[] }): void {
    if (JSON.stringify(event.body).includes('fail once') && !this.failed.has(event.msgKey)) {
      this.failed.add(event.msgKey);
      throw new Error('flaky listener failed once');
    }
  }
}
@Module({ providers: [FlakyListener] })
class FlakyModule {}

// A family whose event holds a BigInt: its listeners are fine with it, JSON is not (a poison event).
const POISON = 'Test.CallbackAfterPoison';
class PoisonDto {
  @Equals(POISON)
  CallbackCommand!: typeof POISON;
  @IsString()
  Id!: string;
}
class PoisonedEvent {
  static readonly eventName = 'test.poisoned';
  constructor(
    readonly id: string,
    readonly big: bigint,
    readonly metadata: CallbackMetadata,
  ) {}
}
const POISON_FAMILY = defineCallbackFamily({
  name: 'poison',
  commands: [
    defineCommand({
      command: POISON,
      dto: PoisonDto,
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.Id),
      toEvent: (c, _raw, metadata) => ({ name: PoisonedEvent.eventName as unknown as DomainEventName, payload: new PoisonedEvent(c.Id, 10n, metadata) }) as unknown as DomainEvent,
    }),
  ],
  beforeCommands: [],
  events: [PoisonedEvent],
});
@Module({ imports: [WebhookModule.forFeature(POISON_FAMILY)] })
class PoisonModule {}

describeNats(`the event relay to NATS JetStream${suffix}`, () => {
  let nc: NatsConnection;
  let t: TestApp | undefined;
  let names: { stream: string; prefix: string };

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
  });
  beforeEach(() => {
    names = uniqueRelayNames();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await deleteStream(nc, names.stream);
  });

  it('publishes every event of a processed callback once, on <prefix>.<SdkAppid>.<event name>, with its stable id as Nats-Msg-Id', async () => {
    t = await createTestApp({ env: relayEnv(names) });
    const payload = sent('alice', 'bob');
    expect((await postCallback(t, payload)).body).toEqual(OK);
    expect((await postCallback(t, payload)).body).toEqual(OK); // a redelivery: stored once, published once

    const messages = await messagesUntil(nc, names.stream, 2);
    const inboxId = messages[0]!.json.metadata.inboxId as number;
    expect(messages.map((m) => [m.subject, m.msgId, m.json.id, m.json.name])).toEqual([
      [`${names.prefix}.${TEST_SDKAPPID}.webhook.received`, `${TEST_SDKAPPID}.${inboxId}.0`, `${TEST_SDKAPPID}.${inboxId}.0`, 'webhook.received'],
      [`${names.prefix}.${TEST_SDKAPPID}.c2c.message.sent`, `${TEST_SDKAPPID}.${inboxId}.1`, `${TEST_SDKAPPID}.${inboxId}.1`, 'c2c.message.sent'],
    ]);
    expect(messages[1]!.json.event).toMatchObject({ from: 'alice', to: 'bob', msgKey: payload.MsgKey, raw: { MsgKey: payload.MsgKey } });
    expect(messages[1]!.json.metadata).toMatchObject({ inboxId, command: 'C2C.CallbackAfterSendMsg', sdkAppId: TEST_SDKAPPID, attempt: 1 });
    expect(messages[1]!.json.event).not.toHaveProperty('metadata');
    await until(async () => (await relayView(t!)).published === 2, 5000, { what: 'the relay recording its progress' });
    expect(await relayView(t)).toMatchObject({ enabled: true, connected: true, leader: true, stream: names.stream, backlog: { rows: 0 }, failureCount: 0 });
  });

  it('keeps the order of processing, and re-publishing after lost progress adds nothing to the stream', async () => {
    t = await createTestApp({ env: relayEnv(names) });
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const payload = sent('alice', 'bob');
      keys.push(String(payload.MsgKey));
      expect((await postCallback(t, payload)).body).toEqual(OK);
    }
    const first = await messagesUntil(nc, names.stream, 40);
    expect(first.filter((m) => m.json.name === 'c2c.message.sent').map((m) => m.json.event.msgKey)).toEqual(keys);

    // A crash after JetStream's acks, before the progress was written: the cursor is back at the start.
    await t.db.execute(sql`UPDATE event_relay_state SET cursor_txid = 0, cursor_id = 0`);
    await until(async () => (await relayView(t!)).published === 80, 10_000, { what: 'the relay re-publishing everything' });
    const after = await streamMessages(nc, names.stream);
    expect(after).toHaveLength(40);
    expect(new Set(after.map((m) => m.msgId)).size).toBe(40);
  });

  it('publishes a retried callback once it is processed, and a replay adds nothing', async () => {
    t = await createTestApp({ env: { ...relayEnv(names), WEBHOOK_RETRY_BASE_DELAY_MS: '0' }, imports: [FlakyModule] });
    const flaky: Record<string, unknown> = { ...sent('carol', 'dave'), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'fail once' } }] };
    expect((await postCallback(t, flaky)).body).toEqual(OK);
    const marker = sent('carol', 'dave');
    expect((await postCallback(t, marker)).body).toEqual(OK);
    // The marker's events are in the stream: the relay passed the failed callback without publishing it.
    let messages = await messagesUntil(nc, names.stream, 2);
    expect(messages.map((m) => m.json.event.msgKey ?? (m.json.event.payload as Record<string, unknown>).MsgKey)).toEqual([marker.MsgKey, marker.MsgKey]);

    await t.app.get(InboxRecoveryService).runOnce();
    messages = await messagesUntil(nc, names.stream, 4);
    const retried = messages.slice(2);
    expect(retried.map((m) => [m.json.name, m.json.metadata.attempt])).toEqual([['webhook.received', 2], ['c2c.message.sent', 2]]);
    expect(retried[1]!.json.event.msgKey).toBe(flaky.MsgKey);

    const inboxId = retried[0]!.json.metadata.inboxId as number;
    await request(t.server).post(`/webhook-events/${inboxId}/replay`).set('Authorization', `Bearer ${TEST_API_TOKEN}`).expect(200);
    await until(async () => (await relayView(t!)).published === 6, 10_000, { what: 'the replayed callback relayed' });
    expect(await streamMessages(nc, names.stream)).toHaveLength(4);
  });

  it('records a poison event with its error, visible in GET /event-relay, and moves on', async () => {
    t = await createTestApp({ env: relayEnv(names), imports: [PoisonModule] });
    expect((await postCallback(t, { CallbackCommand: POISON, Id: 'p-1' })).body).toEqual(OK);
    const after = sent('erin', 'frank');
    expect((await postCallback(t, after)).body).toEqual(OK);

    const messages = await messagesUntil(nc, names.stream, 3);
    expect(messages.map((m) => m.json.name)).toEqual(['webhook.received', 'webhook.received', 'c2c.message.sent']);
    const view = await relayView(t);
    expect(view.failureCount).toBe(1);
    expect(view.failures[0]).toMatchObject({ eventName: 'test.poisoned', eventId: `${TEST_SDKAPPID}.${messages[0]!.json.metadata.inboxId}.1` });
    expect(view.failures[0]!.error).toMatch(/cannot serialize: .*BigInt/);
    const metrics = (await request(t.server).get('/metrics')).text;
    expect(metrics).toMatch(new RegExp(`tcw_relay_events_failed_total\\{stream="${names.stream}"\\} 1`));
  });

  const onPostgres = process.env.TEST_DRIVER === 'postgres';
  (onPostgres ? it : it.skip)(`elects one publisher among instances on one database; the other takes over when it stops${onPostgres ? '' : ' [postgres project only]'}`, async () => {
    const database = await createTestDatabase();
    const a = await createTestApp({ env: relayEnv(names), database });
    let b: TestApp | undefined;
    try {
      b = await createTestApp({ env: relayEnv(names), database });
      for (let i = 0; i < 10; i++) expect((await postCallback(i % 2 ? a : b, sent('ivan', 'judy'))).body).toEqual(OK);
      await messagesUntil(nc, names.stream, 20);
      const leaders = [await relayView(a), await relayView(b)].map((view) => view.leader);
      expect(leaders.filter(Boolean)).toHaveLength(1);
      // Published once each: JetStream acknowledged exactly as many events as the stream holds.
      await until(async () => (await relayView(a)).published === 20, 5000, { what: 'progress recorded' });

      const [leader, standby] = leaders[0] ? [a, b] : [b, a];
      await leader.close();
      for (let i = 0; i < 3; i++) expect((await postCallback(standby, sent('ivan', 'judy'))).body).toEqual(OK);
      await messagesUntil(nc, names.stream, 26, 20_000);
      expect(await relayView(standby)).toMatchObject({ leader: true, published: 26 });
      expect(await streamMessages(nc, names.stream)).toHaveLength(26);
    } finally {
      await a.close().catch(() => undefined);
      await b?.close().catch(() => undefined);
      await database.drop();
    }
  }, 40_000);

  const withOwnServer = OwnNatsServer.available() ? it : it.skip;
  withOwnServer('keeps acknowledging callbacks while the broker is away, reports degraded, and catches up without loss or doubles', async () => {
    const broker = await OwnNatsServer.start();
    const own = await connect({ servers: broker.url });
    try {
      t = await createTestApp({ env: relayEnv(names, broker.url) });
      expect((await postCallback(t, sent('gina', 'hank'))).body).toEqual(OK);
      await messagesUntil(own, names.stream, 2);
      await own.close();

      await broker.stop();
      const keys: string[] = [];
      for (let i = 0; i < 10; i++) {
        const payload = sent('gina', 'hank');
        keys.push(String(payload.MsgKey));
        expect((await postCallback(t, payload)).body).toEqual(OK);
      }
      await until(async () => (await request(t!.server).get('/health')).body?.details?.eventRelay?.status === 'degraded', 10_000, { what: '/health reporting the relay degraded' });
      const health = await request(t.server).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', details: { eventRelay: { status: 'degraded', connected: false, backlog: 10 } } });
      expect(health.body.details.eventRelay.oldestUnpublishedSeconds).toBeGreaterThan(0);
      expect((await request(t.server).get('/metrics')).text).toMatch(new RegExp(`tcw_relay_connected\\{stream="${names.stream}"\\} 0`));

      await broker.resume();
      const back = await connect({ servers: broker.url });
      try {
        const messages = await messagesUntil(back, names.stream, 22, 20_000);
        expect(messages).toHaveLength(22);
        expect(new Set(messages.map((m) => m.msgId)).size).toBe(22);
        expect(messages.filter((m) => m.json.name === 'c2c.message.sent').slice(1).map((m) => m.json.event.msgKey)).toEqual(keys);
        await until(async () => (await request(t!.server).get('/health')).body?.details?.eventRelay?.status === 'up', 10_000, { what: '/health reporting the relay up again' });
      } finally {
        await back.close();
      }
    } finally {
      await t?.close();
      t = undefined;
      await broker.remove();
    }
  }, 60_000);
});
