/**
 * OPS_PORT (issue 17, item 9): /metrics, /docs* and /health* served on their own port, bound where
 * the operator says, and not on the public port; the built server on both platforms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './utils/callbacks.js';
import {
  freePort,
  httpRequest,
  isOkAnswer,
  SERVER_API_TOKEN,
  startServer,
  stopAllServers,
  type HttpAnswer,
  type ServerProcess,
  type ServerStartOptions,
} from './utils/server-process.js';
import { createTestDatabase, testDriver, type TestDatabase } from './utils/test-database.js';

/** Every spelling a router would take for an ops route: each must be 404 on the public port. */
const OPS_PATHS = ['/health', '/health/live', '/health/ready', '/metrics', '/docs', '/docs-json', '/HEALTH/LIVE', '/metrics/', '/%68ealth/live', '//metrics', '/ops', '/ops/stats', '/OPS/assets/ops-page.js'];
/** The operations routes the operator's page calls: served on both ports. */
const SHARED_PATHS = ['/webhook-events?limit=1', '/event-relay'];

/** Whether a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe.each(['express', 'fastify'] as const)(`OPS_PORT on %s (built server, ${testDriver()})`, (platform) => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let server: ServerProcess;
  let opsPort: number;
  const get = (port: number, path: string, token = false): Promise<HttpAnswer> =>
    httpRequest({ port, path, headers: token ? { authorization: `Bearer ${SERVER_API_TOKEN}` } : {} });

  beforeAll(async () => {
    let storage: ServerStartOptions;
    if (testDriver() === 'postgres') {
      database = await createTestDatabase();
      storage = { databaseUrl: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tcw-ops-port-'));
      storage = { dataDir };
    }
    opsPort = await freePort();
    server = await startServer({ ...storage, env: { HTTP_PLATFORM: platform, OPS_PORT: `127.0.0.1:${opsPort}`, LOG_LEVEL: 'log' } });
  });

  afterAll(async () => {
    await stopAllServers();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves health, metrics and the API docs on OPS_PORT, for the same service', async () => {
    const callback = await server.postCallback(fixture('c2c-after-send-msg'));
    expect(isOkAnswer(callback)).toBe(true);

    const [live, ready, metrics, docs, document] = await Promise.all(
      ['/health/live', '/health/ready', '/metrics', '/docs', '/docs-json'].map((path) => get(opsPort, path)),
    );
    expect({ live: live.json, readyStatus: ready.status, ready: ready.json }).toEqual({
      live: { status: 'ok' },
      readyStatus: 200,
      ready: expect.objectContaining({ status: 'ok', details: expect.objectContaining({ database: expect.objectContaining({ status: 'up' }) }) }),
    });
    // The callback posted on the public port is counted by what the ops port shows.
    expect({ status: metrics.status, counted: /tcw_callbacks_total\{[^}]*command="C2C\.CallbackAfterSendMsg"[^}]*outcome="processed"[^}]*\} 1\b/.test(metrics.text) }).toEqual({
      status: 200,
      counted: true,
    });
    expect({ status: docs.status, html: docs.text.includes('swagger-ui') }).toEqual({ status: 200, html: true });
    expect({ status: document.status, paths: Object.keys((document.json as { paths: object }).paths) }).toEqual({
      status: 200,
      paths: expect.arrayContaining(['/webhook', '/health', '/metrics']),
    });
    // Swagger UI's own assets come from the same port.
    const asset = /src="\.?\/?(?:docs\/)?([\w.-]+\.js)"/.exec(docs.text)?.[1];
    expect((await get(opsPort, `/docs/${asset}`)).status).toBe(200);
  });

  it('answers every spelling of an ops route on the public port as a route that does not exist', async () => {
    const answers = await Promise.all(OPS_PATHS.map(async (path) => ({ path, ...pick(await get(server.port, path)) })));
    expect(answers).toEqual(
      OPS_PATHS.map((path) => ({ path, status: 404, body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: `Cannot GET ${path}` } })),
    );
    // Which is what a route that never existed gets.
    expect(pick(await get(server.port, '/nowhere'))).toEqual({ status: 404, body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: 'Cannot GET /nowhere' } });
  });

  it('serves nothing else on OPS_PORT: the webhook and the read API stay on the public port', async () => {
    const payload: Record<string, unknown> = { ...fixture('c2c-after-send-msg'), MsgKey: 'ops-port-1', MsgSeq: 901 };
    const onOps = await httpRequest({
      port: opsPort,
      method: 'POST',
      path: '/webhook?SdkAppid=1400000000&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const readOnOps = await get(opsPort, `/c2c/conversations/${String(payload.From_Account)}/${String(payload.To_Account)}/messages`, true);
    expect([pick(onOps).status, pick(readOnOps).status]).toEqual([404, 404]);
    // Not stored: the public read API has no such message.
    const stored = await get(server.port, `/c2c/conversations/${String(payload.From_Account)}/${String(payload.To_Account)}/messages/ops-port-1`, true);
    expect(stored.status).toBe(404);
    expect(isOkAnswer(await server.postCallback(payload))).toBe(true);
    expect((await get(server.port, `/c2c/conversations/${String(payload.From_Account)}/${String(payload.To_Account)}/messages/ops-port-1`, true)).status).toBe(200);
  });

  it("serves the operator's page on OPS_PORT, and the operations routes it calls on both ports", async () => {
    const basic = `Basic ${Buffer.from(`operator:${SERVER_API_TOKEN}`).toString('base64')}`;
    const page = await httpRequest({ port: opsPort, path: '/ops', headers: { authorization: basic } });
    expect({ status: page.status, html: page.text.includes('/ops/assets/ops-page.js') }).toEqual({ status: 200, html: true });
    const script = await httpRequest({ port: opsPort, path: '/ops/assets/ops-page.js', headers: { authorization: basic } });
    expect({ status: script.status, type: script.headers['content-type'] }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect((await get(opsPort, '/ops/stats?hours=1', true)).json).toMatchObject({ bucketSeconds: 60 });
    const shared = await Promise.all(
      SHARED_PATHS.flatMap((path) => [opsPort, server.port].map(async (port) => ({ path, ops: port === opsPort, status: (await get(port, path, true)).status }))),
    );
    expect(shared).toEqual(SHARED_PATHS.flatMap((path) => [{ path, ops: true, status: 200 }, { path, ops: false, status: 200 }]));
  });

  it('binds OPS_PORT where it says (127.0.0.1), while PORT takes every interface', async () => {
    // Linux answers the whole of 127.0.0.0/8 on loopback: 127.0.0.2 is another local address.
    expect({
      opsOn127001: await connects('127.0.0.1', opsPort),
      opsOn127002: await connects('127.0.0.2', opsPort),
      publicOn127002: await connects('127.0.0.2', server.port),
    }).toEqual({ opsOn127001: true, opsOn127002: false, publicOn127002: true });
  });

  it('closes both ports on SIGTERM and exits 0', async () => {
    const exit = await server.stop(10_000);
    expect({ code: exit?.code, ops: await connects('127.0.0.1', opsPort), public: await connects('127.0.0.1', server.port) }).toEqual({
      code: 0,
      ops: false,
      public: false,
    });
  });
});

function pick(answer: HttpAnswer): { status: number; body: unknown } {
  return { status: answer.status, body: answer.json };
}
