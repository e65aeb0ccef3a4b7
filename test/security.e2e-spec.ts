import type { LoggerService } from '@nestjs/common';
import request from 'supertest';
import { webhookInbox } from '../src/database/schema.js';
import { ConfigValidationError, loadConfig } from '../src/config/app-config.js';
import { callbackUrl, fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private capture = (...parts: unknown[]): void => {
    this.lines.push(parts.map((p) => (p instanceof Error ? `${p.message} ${p.stack}` : typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  };
  log = this.capture;
  error = this.capture;
  warn = this.capture;
  debug = this.capture;
  verbose = this.capture;
  fatal = this.capture;
}

describe('CALLBACK_ALLOWED_IPS and TRUST_PROXY', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('refuses a caller outside the allowed ranges with 403, and stores nothing', async () => {
    t = await createTestApp({ env: { CALLBACK_ALLOWED_IPS: '10.0.0.0/8, 192.0.2.0/24' } });
    const answer = await postCallback(t, fixture('c2c-after-send-msg'));
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.stringContaining('CALLBACK_ALLOWED_IPS') as string });
    expect(await t.db.select().from(webhookInbox)).toHaveLength(0);
  });

  it('accepts a caller inside the allowed ranges', async () => {
    t = await createTestApp({ env: { CALLBACK_ALLOWED_IPS: '127.0.0.0/8,::1' } });
    expect((await postCallback(t, fixture('c2c-after-send-msg'))).body).toEqual(OK);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY trusts the proxy', async () => {
    t = await createTestApp({ env: { CALLBACK_ALLOWED_IPS: '10.0.0.0/8' } });
    expect((await postCallback(t, fixture('c2c-after-send-msg')).set('X-Forwarded-For', '10.1.2.3')).status).toBe(403);
    await t.close();

    t = await createTestApp({ env: { CALLBACK_ALLOWED_IPS: '10.0.0.0/8', TRUST_PROXY: 'loopback' } });
    expect((await postCallback(t, fixture('c2c-after-send-msg')).set('X-Forwarded-For', '10.1.2.3')).body).toEqual(OK);
    expect((await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgKey: 'k2' }).set('X-Forwarded-For', '11.1.2.3')).status).toBe(403);
  });

  it('with a hop count, takes the client address that many proxies back in X-Forwarded-For', async () => {
    t = await createTestApp({ env: { CALLBACK_ALLOWED_IPS: '10.0.0.0/8', TRUST_PROXY: '1' } });
    // One trusted hop (this test's own connection): the address it forwarded is the client.
    expect((await postCallback(t, fixture('c2c-after-send-msg')).set('X-Forwarded-For', '10.1.2.3')).body).toEqual(OK);
    // Further back than one hop is not trusted: the client is the last forwarded address.
    expect((await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgKey: 'k3' }).set('X-Forwarded-For', '10.1.2.3, 192.0.2.7')).status).toBe(403);
    expect((await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgKey: 'k4' }).set('X-Forwarded-For', '192.0.2.7, 10.1.2.3')).body).toEqual(OK);
  });

  it('refuses to start with a malformed range', () => {
    expect(() => loadConfig({ SDKAPPID: '1400000000', CALLBACK_ALLOWED_IPS: '10.0.0.0/33' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ SDKAPPID: '1400000000', CALLBACK_ALLOWED_IPS: 'tencent' })).toThrow(/CALLBACK_ALLOWED_IPS/);
  });
});

describe('answer headers', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('name no framework (X-Powered-By), and put no ETag on a webhook answer or a read', async () => {
    t = await createTestApp({ env: { API_TOKEN: 'read-token' } });
    const payload = fixture('c2c-after-send-msg');
    const answer = await postCallback(t, payload);
    expect(answer.body).toEqual(OK);
    const read = await request(t.server).get(`/c2c/conversations/${payload.From_Account}/${payload.To_Account}/messages`).set('Authorization', 'Bearer read-token');
    expect(read.status).toBe(200);
    for (const response of [answer, read]) {
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers.etag).toBeUndefined();
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
    }
  });
});

describe('secrets stay out of logs and answers', () => {
  const token = 'super-secret-callback-token';
  const apiToken = 'super-secret-api-token';
  let t: TestApp;
  let logger: CapturingLogger;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: `${token},older-secret-token`, API_TOKEN: apiToken } });
    logger = new CapturingLogger();
    t.app.useLogger(logger);
  });
  afterAll(async () => {
    await t.close();
  });

  it('never writes the tokens or a Sign into a log line or an answer', async () => {
    const signedUrl = callbackUrl({ command: 'C2C.CallbackAfterSendMsg', token });
    const sign = new URL(signedUrl, 'http://x').searchParams.get('Sign')!;
    const answers: string[] = [];
    const keep = (r: request.Response): void => void answers.push(r.text);

    keep(await postCallback(t, fixture('c2c-after-send-msg'), { token })); // accepted
    keep(await postCallback(t, fixture('c2c-after-send-msg'), { token: 'wrong-token' })); // 401
    keep(await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgSeq: 'x' }, { token })); // 400, stored rejected
    keep(await request(t.server).post(`${signedUrl.replace('/webhook', '/nowhere')}`).send('{}')); // 404 with Sign in the URL
    keep(await request(t.server).get('/webhook-events').set('Authorization', `Bearer ${apiToken}x`)); // 401
    const list = await request(t.server).get('/webhook-events').set('Authorization', `Bearer ${apiToken}`);
    keep(list);
    for (const item of list.body.items as { id: number }[]) {
      keep(await request(t.server).get(`/webhook-events/${item.id}`).set('Authorization', `Bearer ${apiToken}`));
    }
    await t.connection.close();
    keep(await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgKey: 'while-down' }, { token })); // 503

    expect(answers.length).toBeGreaterThanOrEqual(8);
    expect(logger.lines.length).toBeGreaterThan(0); // the 503 was logged: the capture works
    for (const text of [...answers, ...logger.lines]) {
      for (const secret of [token, 'older-secret-token', apiToken, sign]) expect(text).not.toContain(secret);
    }
  });
});
