import request from 'supertest';
import { webhookInbox } from '../src/database/schema.js';
import { signCallback } from '../src/webhook/callback-signature.js';
import { callbackQuery } from '../src/testing/callback-url.js';
import { callbackUrl, fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';

const COMMAND = 'C2C.CallbackAfterSendMsg';

/** The seed C2C send with its own MsgSeq / MsgKey, so each accepted post is a new callback. */
function message(seq: number): Record<string, unknown> {
  return { ...fixture('c2c-after-send-msg'), MsgSeq: seq, MsgKey: `${seq}_2837546_1557481126` };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Sign and RequestTime as Tencent would send them, for the query string. */
function signed(token: string, requestTime = nowSeconds()): Record<string, string> {
  return { RequestTime: String(requestTime), Sign: signCallback(token, requestTime) };
}

const inboxRows = (t: TestApp) => t.db.select().from(webhookInbox);

/** An accepted post: 200 OK, one more inbox row, and the events of a new C2C send. */
async function expectAccepted(t: TestApp, answer: request.Response, msgKey: string): Promise<void> {
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual(OK);
  const rows = await inboxRows(t);
  expect(rows.filter((row) => JSON.parse(row.payload).MsgKey === msgKey)).toEqual([expect.objectContaining({ command: COMMAND, status: 'processed' })]);
  expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', 'c2c.message.sent']);
}

/**
 * A refused post: the status, the FAIL envelope with a reason (naming the parameter at fault,
 * never a token), nothing stored and no event emitted.
 */
async function expectRefused(t: TestApp, send: () => request.Test, status: 401 | 403 | 404, tokens: string[] = []): Promise<void> {
  const why = { 401: /Sign|RequestTime/, 403: /SdkAppid/, 404: /./ }[status];
  const before = await inboxRows(t);
  t.events.clear();

  const answer = await send();

  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) });
  expect(answer.body.ErrorInfo).not.toBe('');
  expect(answer.body.ErrorInfo).toMatch(why);
  for (const token of tokens) expect(answer.text).not.toContain(token);
  expect(await inboxRows(t)).toEqual(before);
  expect(t.events.events).toEqual([]);
}

describe('webhook guard: SdkAppid, no token configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.events.clear());

  it('accepts a callback carrying our SdkAppid, unsigned', async () => {
    await expectAccepted(t, await postCallback(t, message(1)), '1_2837546_1557481126');
  });

  it('ignores a Sign / RequestTime it cannot check (no token configured)', async () => {
    await expectAccepted(t, await postCallback(t, message(2), { extra: { Sign: 'garbage', RequestTime: '0' } }), '2_2837546_1557481126');
  });

  it('refuses a wrong SdkAppid with 403', async () => {
    await expectRefused(t, () => postCallback(t, message(101), { sdkAppId: '1400000001' }), 403);
  });

  it('refuses a missing SdkAppid with 403', async () => {
    const query = callbackQuery({ command: COMMAND, sdkAppId: TEST_SDKAPPID });
    query.delete('SdkAppid');
    const url = `/webhook?${query.toString()}`;
    await expectRefused(t, () => request(t.server).post(url).set('Content-Type', 'application/json').send(JSON.stringify(message(102))), 403);
  });

  it('refuses an empty SdkAppid with 403', async () => {
    await expectRefused(t, () => postCallback(t, message(103), { sdkAppId: '' }), 403);
  });

  it('refuses a repeated SdkAppid with 403, whether the second value differs or not', async () => {
    for (const second of ['1400000001', TEST_SDKAPPID]) {
      const url = `${callbackUrl({ command: COMMAND, path: t.config.webhookPath })}&SdkAppid=${second}`;
      await expectRefused(t, () => request(t.server).post(url).set('Content-Type', 'application/json').send(JSON.stringify(message(104))), 403);
    }
  });

  it('checks SdkAppid before the body: a wrong SdkAppid with an invalid body is 403, not 400', async () => {
    await expectRefused(t, () => request(t.server).post(callbackUrl({ command: COMMAND, sdkAppId: '1', path: t.config.webhookPath })).set('Content-Type', 'application/json').send('{not json'), 403);
  });
});

describe('webhook guard: signature with CALLBACK_AUTH_TOKEN=tok-one', () => {
  const TOKEN = 'tok-one';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.events.clear());

  const refused = (seq: number, extra: Record<string, string>) => () => postCallback(t, message(seq), { extra });

  it('accepts a callback signed now', async () => {
    await expectAccepted(t, await postCallback(t, message(1), { token: TOKEN }), '1_2837546_1557481126');
  });

  it('accepts a RequestTime 30 s old (inside the 60 s window)', async () => {
    await expectAccepted(t, await postCallback(t, message(2), { token: TOKEN, requestTime: nowSeconds() - 30 }), '2_2837546_1557481126');
  });

  it('accepts a RequestTime 30 s ahead (clock skew inside the window)', async () => {
    await expectAccepted(t, await postCallback(t, message(3), { token: TOKEN, requestTime: nowSeconds() + 30 }), '3_2837546_1557481126');
  });

  it('refuses a signature made with another token with 401', async () => {
    await expectRefused(t, refused(101, signed('another-token')), 401, [TOKEN]);
  });

  it('refuses a Sign for another RequestTime with 401', async () => {
    const now = nowSeconds();
    await expectRefused(t, refused(102, { RequestTime: String(now), Sign: signCallback(TOKEN, now - 1) }), 401, [TOKEN]);
  });

  it('refuses a missing Sign with 401', async () => {
    await expectRefused(t, refused(103, { RequestTime: String(nowSeconds()) }), 401, [TOKEN]);
  });

  it('refuses a missing RequestTime with 401', async () => {
    await expectRefused(t, refused(104, { Sign: signCallback(TOKEN, nowSeconds()) }), 401, [TOKEN]);
  });

  it('refuses an unsigned callback with 401', async () => {
    await expectRefused(t, () => postCallback(t, message(105)), 401, [TOKEN]);
  });

  it('refuses a stale RequestTime (120 s old), correctly signed, with 401', async () => {
    await expectRefused(t, refused(106, signed(TOKEN, nowSeconds() - 120)), 401, [TOKEN]);
  });

  it('refuses a RequestTime more than 60 s ahead, correctly signed, with 401', async () => {
    await expectRefused(t, refused(107, signed(TOKEN, nowSeconds() + 120)), 401, [TOKEN]);
  });

  it('accepts a Sign in upper-case hex (the same digest)', async () => {
    const { RequestTime, Sign } = signed(TOKEN);
    const url = callbackUrl({ command: COMMAND, path: t.config.webhookPath, extra: { RequestTime: RequestTime!, Sign: Sign!.toUpperCase() } });
    const answer = await request(t.server).post(url).set('Content-Type', 'application/json').send(JSON.stringify(message(108)));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  });

  it('refuses a non-numeric RequestTime with 401', async () => {
    await expectRefused(t, refused(109, { RequestTime: 'now', Sign: signCallback(TOKEN, 'now') }), 401, [TOKEN]);
  });

  it('refuses a repeated Sign with 401, even when one of them is right', async () => {
    const { RequestTime, Sign } = signed(TOKEN);
    const url = `${callbackUrl({ command: COMMAND, path: t.config.webhookPath, extra: { RequestTime: RequestTime!, Sign: Sign! } })}&Sign=${'0'.repeat(64)}`;
    await expectRefused(t, () => request(t.server).post(url).set('Content-Type', 'application/json').send(JSON.stringify(message(110))), 401, [TOKEN]);
  });

  it('still answers 403 (not 401) for a correctly signed callback with a wrong SdkAppid', async () => {
    await expectRefused(t, () => postCallback(t, message(111), { token: TOKEN, sdkAppId: '1400000001' }), 403, [TOKEN]);
  });

  it('answers a signed duplicate delivery OK with no second effect', async () => {
    const before = (await inboxRows(t)).length;
    const answer = await postCallback(t, message(1), { token: TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(OK);
    expect(await inboxRows(t)).toHaveLength(before);
    expect(t.events.of('c2c.message.sent')).toEqual([]);
  });
});

describe('webhook guard: token rotation with CALLBACK_AUTH_TOKEN=old-token,new-token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: 'old-token,new-token' } });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.events.clear());

  it('accepts a callback signed with the old token', async () => {
    await expectAccepted(t, await postCallback(t, message(1), { token: 'old-token' }), '1_2837546_1557481126');
  });

  it('accepts a callback signed with the new token', async () => {
    await expectAccepted(t, await postCallback(t, message(2), { token: 'new-token' }), '2_2837546_1557481126');
  });

  it('refuses a callback signed with a third token with 401', async () => {
    await expectRefused(t, () => postCallback(t, message(101), { token: 'third-token' }), 401, ['old-token', 'new-token']);
  });

  it('refuses the whole comma-separated value used as one token with 401', async () => {
    await expectRefused(t, () => postCallback(t, message(102), { token: 'old-token,new-token' }), 401, ['old-token', 'new-token']);
  });
});

describe('webhook guard: CALLBACK_MAX_SKEW_SECONDS=5', () => {
  const TOKEN = 'tok-one';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: TOKEN, CALLBACK_MAX_SKEW_SECONDS: '5' } });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.events.clear());

  it('refuses a RequestTime 10 s old with 401 (inside the default 60 s window)', async () => {
    await expectRefused(t, () => postCallback(t, message(101), { token: TOKEN, requestTime: nowSeconds() - 10 }), 401, [TOKEN]);
  });

  it('accepts a callback signed now', async () => {
    await expectAccepted(t, await postCallback(t, message(1), { token: TOKEN }), '1_2837546_1557481126');
  });
});

describe('webhook guard: WEBHOOK_PATH=/hooks/tencent', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_PATH: '/hooks/tencent' } });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.events.clear());

  // The path is given here, not taken from the app's config: the test says where the callbacks go.
  it('receives callbacks on the configured path', async () => {
    await expectAccepted(t, await postCallback(t, message(1), { path: '/hooks/tencent' }), '1_2837546_1557481126');
  });

  it('answers 404 in the envelope on /webhook, storing nothing', async () => {
    await expectRefused(t, () => postCallback(t, message(101), { path: '/webhook' }), 404);
  });

  it('still checks SdkAppid on the configured path', async () => {
    await expectRefused(t, () => postCallback(t, message(102), { sdkAppId: '1400000001', path: '/hooks/tencent' }), 403);
  });
});
