import type { IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { LOG_STREAM } from '../src/logging/logging.module.js';
import { callbackUrl, fixture, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

describe('structured request logs', () => {
  const token = 'log-secret-token';
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  let t: TestApp;

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    t = await createTestApp({
      env: { LOG_LEVEL: 'log', CALLBACK_AUTH_TOKEN: token, API_TOKEN: 'log-api-token' },
      overrides: [{ provide: LOG_STREAM, useValue: stream }],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes one JSON line per callback with a request id, the command, the dedupe key and the outcome, and no secrets', async () => {
    const answer = await postCallback(t, fixture('c2c-after-send-msg'), { token }).set('X-Request-Id', 'req-123');
    await postCallback(t, fixture('c2c-after-send-msg'), { token: 'wrong' });
    await request(t.server).get('/webhook-events').set('Authorization', 'Bearer log-api-token');
    await request(t.server).get('/health/live'); // not logged: probes would drown the log

    expect(answer.headers['x-request-id']).toBe('req-123');
    const accepted = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'req-123');
    expect(accepted).toMatchObject({
      level: 30,
      req: { method: 'POST', path: '/webhook' },
      res: { statusCode: 200 },
      command: 'C2C.CallbackAfterSendMsg',
      dedupeKey: 'C2C.CallbackAfterSendMsg:["Jonh","jared","48374_2837546_1557481126"]',
      outcome: 'processed',
    });
    const refused = lines.find((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 401);
    expect(refused).toMatchObject({ command: 'C2C.CallbackAfterSendMsg' });
    expect(typeof (refused!.req as { id?: unknown }).id).toBe('string');
    expect(lines.some((l) => (l.req as { path?: string } | undefined)?.path === '/health/live')).toBe(false);
    const acceptedLine = raw.split('\n').find((line) => line.includes('"req-123"'))!;
    expect(acceptedLine.match(/"command":/g)).toHaveLength(1); // each field once per line
    expect(raw).not.toContain(token);
    expect(raw).not.toContain('Sign=');
    expect(raw).not.toContain('log-api-token');
  });

  it('logs a client that leaves mid-body once, at info, one line without a stack', async () => {
    const port = (t.server.address() as AddressInfo).port;
    const requestId = 'leaves-mid-body';
    const arrived = new Promise<void>((done) => {
      const onRequest = (req: IncomingMessage): void => {
        if (req.headers['x-request-id'] !== requestId) return;
        t.server.off('request', onRequest);
        done();
      };
      t.server.on('request', onRequest);
    });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((done) => socket.once('connect', done));
    socket.write(`POST ${callbackUrl({ command: 'C2C.CallbackAfterSendMsg', token })} HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${requestId}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"From_Account":`);
    // Leave once the server has the request and is reading its body.
    await arrived;
    await new Promise((done) => setImmediate(done));
    socket.destroy();

    const mine = (): Record<string, unknown>[] => lines.filter((l) => (l.req as { id?: string } | undefined)?.id === requestId);
    for (let deadline = Date.now() + 5000; mine().length === 0 && Date.now() < deadline; ) await new Promise((done) => setTimeout(done, 20));
    // A window for a line that must not come (the filter's error, with its stack): absence has no event to wait for.
    await new Promise((done) => setTimeout(done, 100));

    expect(mine()).toEqual([expect.objectContaining({ level: 30, msg: 'request aborted', req: { id: requestId, method: 'POST', path: '/webhook' } })]);
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
    expect(raw).not.toMatch(/\n\s+at /);
  });
});
