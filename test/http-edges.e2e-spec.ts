/**
 * What Node's HTTP parser refuses before any route runs, and requests that never finish arriving:
 * answered in the envelope, then closed; connections past MAX_CONNECTIONS refused. On the platform
 * this run uses (HTTP_PLATFORM; `.ci/run` runs it on both).
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { callbackUrl, fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const REQUEST_TIMEOUT_MS = 1000;

interface RawExchange {
  /** Everything the server sent before it closed the connection. */
  text: string;
  /** Milliseconds from the first byte written to the close. */
  closedAfterMs: number;
}

/** Writes `chunks` on a new connection (the rest of the request never comes) and collects the answer until the server closes. */
function exchange(port: number, chunks: string[], timeoutMs = 10_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms; it sent: ${JSON.stringify(text)}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

function envelopeOf(text: string): { status: number; body: unknown; headers: string } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) as unknown, headers: head };
}

describe(`HTTP edges, on ${process.env.HTTP_PLATFORM ?? 'express'}`, () => {
  let t: TestApp;
  let port: number;
  const webhookTarget = (): string => callbackUrl({ command: 'C2C.CallbackAfterSendMsg', path: t.config.webhookPath });

  beforeAll(async () => {
    t = await createTestApp({ env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), MAX_CONNECTIONS: '40' } });
    port = (t.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['a bad chunk size', 'Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n'],
    ['both Content-Length and Transfer-Encoding', 'Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'],
    ['two different Content-Lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
  ])('malformed framing (%s): 400 in the envelope, then closed', async (_case, rest) => {
    const answer = await exchange(port, [`POST ${webhookTarget()} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${rest}`]);

    const { status, body, headers } = envelopeOf(answer.text);
    expect(status).toBe(400);
    expect(body).toEqual({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.stringMatching(/^malformed HTTP request/) as string });
    expect(headers).toMatch(/\r\nConnection: close/i);
  });

  it('a body that stops arriving: 408 in the envelope after REQUEST_TIMEOUT_MS, then closed', async () => {
    const answer = await exchange(port, [`POST ${webhookTarget()} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Callback`]);

    expect(envelopeOf(answer.text)).toMatchObject({
      status: 408,
      body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: 'the request did not arrive whole within REQUEST_TIMEOUT_MS' },
    });
    // Node checks the deadline every quarter of it: between the timeout and 1.5 times it, plus slack.
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(answer.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 3);
    // The service still answers.
    expect((await postCallback(t, fixture('c2c-after-send-msg'))).body).toEqual(OK);
  });

  it('connections past MAX_CONNECTIONS are closed at once; the ones within it are served', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((done) => socket.once('connect', done));
        held.push(socket);
      }
      // Wait until the server has accepted all 40 (polling its own count, not sleeping).
      const count = (): Promise<number> => new Promise((done, fail) => t.server.getConnections((error, n) => (error ? fail(error) : done(n))));
      for (let deadline = Date.now() + 5000; (await count()) < 40 && Date.now() < deadline; ) await new Promise((done) => setImmediate(done));

      const refused = await exchange(port, [`GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n`], 5000);
      expect(refused.text).toBe('');

      const first = held[0]!;
      const answer = new Promise<string>((done) => {
        let text = '';
        first.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('"status":"ok"')) done(text);
        });
      });
      first.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
      expect(await answer).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
