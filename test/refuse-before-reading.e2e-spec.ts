/**
 * A webhook request that is refused on its query string, headers or address (wrong SdkAppid, a
 * missing or wrong Sign, a caller outside CALLBACK_ALLOWED_IPS) is answered before its body is read,
 * and its connection closed: the body is never buffered. On the platform this run uses.
 */
import { connect, type AddressInfo } from 'node:net';
import { callbackUrl, fixture } from './utils/callbacks.js';
import { createTestApp, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';

const TOKEN = 'refuse-before-reading-token';
const COMMAND = 'C2C.CallbackAfterSendMsg';
const ANNOUNCED = 1024 * 1024;

/** Sends only the request head, announcing a 1 MiB body, and collects what comes back until the server closes (or `sendBodyAfterMs`). */
function headOnly(port: number, path: string, sendBody?: string): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 10 s; got ${JSON.stringify(text)}`));
    }, 10_000);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      text += chunk;
      // Answered before the body: the refusal. With a body to send, the answer after it.
      if (sendBody !== undefined && /\r\n\r\n.*\}$/s.test(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, closed: false });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on('connect', () => {
      const length = sendBody === undefined ? ANNOUNCED : Buffer.byteLength(sendBody);
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
      if (sendBody !== undefined) socket.write(sendBody);
    });
  });
}

describe(`refused before the body is read, on ${process.env.HTTP_PLATFORM ?? 'express'}`, () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: TOKEN } });
    port = (t.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['a wrong SdkAppid', () => callbackUrl({ command: COMMAND, sdkAppId: '1400000001', token: TOKEN }), 403, /SdkAppid/],
    ['no Sign', () => callbackUrl({ command: COMMAND }), 401, /Sign/],
    ['a wrong Sign', () => callbackUrl({ command: COMMAND, token: 'another-token' }), 401, /Sign/],
  ])('%s: answered in the envelope without the body, and closed', async (_case, path, status, info) => {
    const answer = await headOnly(port, path());

    expect(answer.closed).toBe(true);
    const [head = '', body = ''] = answer.text.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/\r\nConnection: close/i);
    expect(JSON.parse(body)).toEqual({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.stringMatching(info) as string });
  });

  it('a caller outside CALLBACK_ALLOWED_IPS: answered 403 without the body, and closed', async () => {
    const narrow = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: TOKEN, CALLBACK_ALLOWED_IPS: '203.0.113.0/24' } });
    try {
      const answer = await headOnly((narrow.server.address() as AddressInfo).port, callbackUrl({ command: COMMAND, sdkAppId: TEST_SDKAPPID, token: TOKEN }));
      expect(answer.closed).toBe(true);
      expect(answer.text).toMatch(/^HTTP\/1\.1 403 [^]*CALLBACK_ALLOWED_IPS/);
    } finally {
      await narrow.close();
    }
  });

  it('a signed callback is read and answered as usual', async () => {
    const answer = await headOnly(port, callbackUrl({ command: COMMAND, token: TOKEN }), JSON.stringify(fixture('c2c-after-send-msg')));

    expect(answer.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.text.endsWith('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}')).toBe(true);
  });
});
