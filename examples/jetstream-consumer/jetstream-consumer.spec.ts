/**
 * The consumer application of examples/jetstream-consumer end to end: the webhook service relays
 * to a real JetStream stream, this second Nest application consumes c2c.message.sent with a durable
 * consumer and acknowledges each event after its own work (issue 19, item 4).
 */
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { connect, type NatsConnection } from 'nats';
import { callbackSample, createTestApp, freshen, OK, postCallback, type TestApp } from '../../src/testing/index.js';
import { deleteStream, describeWithNats, NATS_URL, uniqueRelayNames } from '../../test/utils/nats.js';
import { until } from '../../test/utils/wait.js';
import { ConsumerAppModule } from './consumer-app.module.js';
import { OnRelayedEvent, type RelayedEvent } from './jetstream-consumer.js';
import { SentMessageLog } from './sent-message-log.js';

const { describe: describeNats, suffix } = await describeWithNats();

/** Fails the first delivery of every event: the consumer must not acknowledge it, and gets it again. */
@Injectable()
class FailsFirstDelivery {
  readonly seen = new Map<string, number>();
  @OnRelayedEvent('c2c.message.sent')
  check(event: RelayedEvent): void {
    const times = (this.seen.get(event.id) ?? 0) + 1;
    this.seen.set(event.id, times);
    if (times === 1) throw new Error('not this time');
  }
}

const sent = (): Record<string, unknown> => freshen(callbackSample('C2C.CallbackAfterSendMsg')!);

describeNats(`the JetStream consumer example (a second Nest application)${suffix}`, () => {
  let nc: NatsConnection;
  let service: TestApp | undefined;
  let consumer: TestingModule | undefined;
  const names = uniqueRelayNames();
  const settings = { natsUrl: NATS_URL, stream: names.stream, subjectPrefix: names.prefix, durable: 'sent-message-log' };

  const startConsumer = async (withFlaky = false): Promise<TestingModule> => {
    const moduleRef = await Test.createTestingModule({ imports: [ConsumerAppModule.forRoot(settings)], providers: withFlaky ? [FailsFirstDelivery] : [] }).compile();
    return moduleRef.init();
  };

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    service = await createTestApp({ env: { EVENT_RELAY_URL: NATS_URL, EVENT_RELAY_STREAM: names.stream, EVENT_RELAY_SUBJECT_PREFIX: names.prefix, EVENT_RELAY_POLL_MS: '20' } });
  });
  afterAll(async () => {
    await consumer?.close();
    await service?.close();
    await deleteStream(nc, names.stream);
    await nc.close();
  });

  it('handles each c2c.message.sent once its work is done, acknowledges it, and resumes where it stopped after a restart', async () => {
    const first = sent();
    expect((await postCallback(service!, first)).body).toEqual(OK);
    // The relay creates the stream at start; the consumer binds to it.
    await until(async () => (await nc.jetstreamManager()).streams.info(names.stream).then((info) => info.state.messages >= 2, () => false), 10_000, { what: 'the stream' });

    consumer = await startConsumer(true);
    const later = [sent(), sent(), freshen(callbackSample('OfficialAccount.CallbackAfterSendMsg')!)];
    for (const payload of later) expect((await postCallback(service!, payload)).body).toEqual(OK);

    const log = consumer.get(SentMessageLog);
    await until(() => log.lines.length === 3, 15_000, { what: () => `3 lines in the log (have ${log.lines.length})`, intervalMs: 50 });
    expect(log.lines.map((line) => line.split(' ').at(-1))).toEqual([first.MsgKey, later[0]!.MsgKey, later[1]!.MsgKey]);
    // Every event was handed out twice (the first delivery failed) and then acknowledged.
    expect([...consumer.get(FailsFirstDelivery).seen.values()]).toEqual([2, 2, 2]);
    const jsm = await nc.jetstreamManager();
    await until(async () => (await jsm.consumers.info(names.stream, 'sent-message-log')).num_ack_pending === 0, 5000, { what: 'every event acknowledged' });
    expect(await jsm.consumers.info(names.stream, 'sent-message-log')).toMatchObject({ num_pending: 0, num_ack_pending: 0, config: { filter_subject: `${names.prefix}.*.c2c.message.sent` } });

    // Restarted, the durable consumer only delivers what came after.
    await consumer.close();
    const fresh = sent();
    expect((await postCallback(service!, fresh)).body).toEqual(OK);
    consumer = await startConsumer();
    const restarted = consumer.get(SentMessageLog);
    await until(() => restarted.lines.length === 1, 15_000, { what: 'the new event after the restart', intervalMs: 50 });
    expect(restarted.lines[0]).toContain(String(fresh.MsgKey));
    await until(async () => (await jsm.consumers.info(names.stream, 'sent-message-log')).num_ack_pending === 0, 5000, { what: 'acknowledged' });
    expect(restarted.lines).toHaveLength(1);
  }, 60_000);
});
