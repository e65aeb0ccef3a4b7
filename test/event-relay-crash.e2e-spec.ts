/**
 * The built server (dist/main.js) relaying to NATS JetStream is SIGKILLed while it publishes; after
 * a restart on the same database, every event of every processed callback is in the stream exactly
 * once by id (issue 19, item 3). On PGlite (a data dir) and on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { deleteStream, describeWithNats, NATS_URL, streamMessages, uniqueRelayNames } from './utils/nats.js';
import { c2cMessage, runPool, SERVER_SDKAPPID, startServer, stopAllServers, type ServerProcess } from './utils/server-process.js';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';
import { until } from './utils/wait.js';

const { describe: describeNats, suffix } = await describeWithNats();
const CALLBACKS = 400;
/** SIGKILL once this many events are in the stream: the relay is publishing. */
const KILL_AT_EVENTS = 150;

describeNats(`the event relay killed with SIGKILL while publishing${suffix}`, () => {
  let nc: NatsConnection;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const names = uniqueRelayNames();

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await stopAllServers();
    await deleteStream(nc, names.stream);
    await nc.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves every event in the stream exactly once by id after a restart', async () => {
    let storage: { databaseUrl?: string; dataDir?: string };
    if (process.env.TEST_DRIVER === 'postgres') {
      database = await createTestDatabase();
      storage = { databaseUrl: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tcw-relay-crash-'));
      storage = { dataDir };
    }
    const env = { EVENT_RELAY_URL: NATS_URL, EVENT_RELAY_STREAM: names.stream, EVENT_RELAY_SUBJECT_PREFIX: names.prefix, EVENT_RELAY_POLL_MS: '50' };
    const first = await startServer({ ...storage, env });
    const count = async (): Promise<number> => (await nc.jetstreamManager()).streams.info(names.stream).then((info) => info.state.messages, () => 0);

    let killed = false;
    const posting = runPool(
      Array.from({ length: CALLBACKS }, (_, n) => c2cMessage('relay-crash', n)),
      8,
      async (payload) => first.postCallback(payload).catch(() => undefined),
      () => killed,
    );
    // Killed with processed callbacks not yet published (a relay that had caught up at that instant
    // would make the restart prove nothing): the relay polls every 50 ms while callbacks keep coming.
    const backlog = async (): Promise<number> => ((await first.get('/event-relay')).json as { backlog: { rows: number } }).backlog.rows;
    await until(async () => (await count()) >= KILL_AT_EVENTS && (await backlog()) > 0, 30_000, {
      what: `${KILL_AT_EVENTS} events in the stream and a backlog`,
      intervalMs: 5,
    });
    first.kill('SIGKILL');
    killed = true;
    await first.waitForExit();
    await posting.catch(() => undefined);
    const atKill = await count();

    const second: ServerProcess = await startServer({ ...storage, env });
    // Done when nothing waits: no callback pending dispatch, and the relay's backlog empty.
    await until(
      async () => {
        const relay = (await second.get('/event-relay')).json as { backlog: { rows: number }; leader: boolean };
        const metrics = (await second.get('/metrics')).text;
        const pending = /tcw_inbox_rows\{status="(received|failed)"\} [1-9]/.test(metrics);
        return relay.leader && relay.backlog.rows === 0 && !pending;
      },
      60_000,
      { what: 'the restarted server relaying everything', intervalMs: 100 },
    );
    const processed = Number(/tcw_inbox_rows\{status="processed"\} (\d+)/.exec((await second.get('/metrics')).text)?.[1]);
    await second.stop();

    const messages = await streamMessages(nc, names.stream);
    const ids = messages.map((m) => m.msgId);
    if (process.env.TEST_LOG) console.log(`events at the kill: ${atKill}; processed callbacks after the restart: ${processed}; events in the stream: ${messages.length}`);
    expect(atKill).toBeLessThan(2 * processed); // the kill did interrupt the relay
    expect(processed).toBeGreaterThan(KILL_AT_EVENTS / 2);
    expect(messages).toHaveLength(2 * processed);
    expect(new Set(ids).size).toBe(messages.length);
    const inboxIds = new Set(messages.map((m) => m.json.metadata.inboxId));
    expect(inboxIds.size).toBe(processed);
    for (const id of inboxIds) {
      expect(ids).toContain(`${SERVER_SDKAPPID}.${id}.0`);
      expect(ids).toContain(`${SERVER_SDKAPPID}.${id}.1`);
    }
  }, 120_000);
});
