import request from 'supertest';
import { OfficialAccountMessageSentEvent } from '../src/official-account/events/official-account-message-sent.event.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, type TestApp } from './utils/test-app.js';

/** The answer is exactly the FAIL envelope, as JSON, with this status; returns its ErrorInfo. */
function expectFailure(answer: request.Response, status: number): string {
  expect({ status: answer.status, body: answer.body as unknown }).toEqual({
    status,
    body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) },
  });
  expect(answer.headers['content-type']).toMatch(/^application\/json\b/);
  const info = (answer.body as { ErrorInfo: string }).ErrorInfo;
  expect(info.trim()).not.toBe('');
  return info;
}

const READ_ROUTES = [
  '/c2c/conversations/a/b/messages',
  '/c2c/conversations/a/b/messages/k',
  '/c2c/users/u/unread',
  '/official-accounts/x/messages',
  '/official-accounts/x/messages/k',
];

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

/** Every read route with every Authorization header (undefined: none sent). */
const routesWith = (headers: (string | undefined)[]) => READ_ROUTES.flatMap((route) => headers.map((header) => [route, header] as const));

function get(t: TestApp, path: string, authorization: string | undefined) {
  const call = request(t.server).get(path);
  return authorization === undefined ? call : call.set('Authorization', authorization);
}

describe('Read API: authentication with API_TOKEN set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(
    routesWith([
      undefined,
      'Bearer wrong-token',
      `Bearer ${TEST_API_TOKEN}x`,
      'Bearer ',
      TEST_API_TOKEN,
      basic(`user:${TEST_API_TOKEN}`),
      basic(TEST_API_TOKEN),
      `Basic ${TEST_API_TOKEN}`,
    ]),
  )('GET %s with Authorization %p answers 401 in the envelope', async (route, authorization) => {
    expectFailure(await get(t, route, authorization), 401);
  });

  it.each(READ_ROUTES)('GET %s with the right bearer token gets past the guard', async (route) => {
    const answer = await readApi(t, route);

    expect(answer.status).not.toBe(401);
    if (route.endsWith('/messages')) expect(answer.body).toEqual({ items: [] });
    else expectFailure(answer, 404);
  });
});

describe.each([
  ['unset', undefined],
  ['empty', ''],
])('Read API: API_TOKEN %s', (_case, apiToken) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { API_TOKEN: apiToken } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reaches the app config: no API token is configured', () => {
    expect(t.config.apiToken).toBeUndefined();
  });

  it.each(routesWith([undefined, `Bearer ${TEST_API_TOKEN}`, 'Bearer undefined', 'Bearer null', 'Bearer ', basic('user:')]))(
    'GET %s with Authorization %p answers 401 to everyone',
    async (route, authorization) => {
      expectFailure(await get(t, route, authorization), 401);
    },
  );

  it('still takes webhooks', async () => {
    expect((await postCallback(t, fixture('official-account-after-send-msg'))).body).toEqual(OK);
    expectFailure(await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL/messages'), 401);
  });
});

describe('Read API: ?limit=', () => {
  let t: TestApp;
  const LISTS = ['/c2c/conversations/jared/Jonh/messages', '/official-accounts/%40TOA%23_2J4SZEAEL/messages'];

  beforeAll(async () => {
    t = await createTestApp();
    const c2c = fixture('c2c-after-send-msg');
    const oa = fixture('official-account-after-send-msg');
    const payloads = [
      { ...c2c, MsgTime: 1557481300, MsgSeq: 3, MsgKey: 'c3' },
      { ...c2c, MsgTime: 1557481200, MsgSeq: 2, MsgKey: 'c2' },
      { ...c2c, MsgTime: 1557481100, MsgSeq: 1, MsgKey: 'c1' },
      { ...oa, MsgTime: 1490686300, MsgKey: 'o3' },
      { ...oa, MsgTime: 1490686200, MsgKey: 'o2' },
      { ...oa, MsgTime: 1490686100, MsgKey: 'o1' },
    ];
    for (const payload of payloads) expect((await postCallback(t, payload)).body).toEqual(OK);
  });
  afterAll(async () => {
    await t.close();
  });

  const keys = (answer: request.Response) => (answer.body as { items: { msgKey: string }[] }).items.map((m) => m.msgKey);

  it.each(LISTS.flatMap((list) => ['0', 'abc', '100000', '-1', '1.5', '501', '1e2', '0x10', ' 1'].map((limit) => [list, limit] as const)))(
    'GET %s?limit=%p answers 400 in the envelope',
    async (list, limit) => {
      const info = expectFailure(await readApi(t, `${list}?limit=${encodeURIComponent(limit)}`), 400);
      expect(info).toContain('limit');
    },
  );

  it.each(LISTS)('GET %s with limit given twice answers 400', async (list) => {
    expectFailure(await readApi(t, `${list}?limit=1&limit=2`), 400);
  });

  it('honours limit=1 and limit=2, keeping the order, and lists everything by default or up to 500', async () => {
    expect(keys(await readApi(t, `${LISTS[0]}?limit=1`))).toEqual(['c1']);
    expect(keys(await readApi(t, `${LISTS[1]}?limit=1`))).toEqual(['o1']);
    expect(keys(await readApi(t, `${LISTS[0]}?limit=2`))).toEqual(['c1', 'c2']);
    expect(keys(await readApi(t, `${LISTS[1]}?limit=2`))).toEqual(['o1', 'o2']);
    for (const suffix of ['', '?limit=', '?limit=500', '?limit=0003']) {
      expect(keys(await readApi(t, `${LISTS[0]}${suffix}`))).toEqual(['c1', 'c2', 'c3']);
      expect(keys(await readApi(t, `${LISTS[1]}${suffix}`))).toEqual(['o1', 'o2', 'o3']);
    }
  });
});

describe('Read API: an Official Account id with special characters', () => {
  let t: TestApp;
  const seed = fixture('official-account-after-send-msg');
  const ACCOUNT_PATH = '/official-accounts/%40TOA%23_2J4SZEAEL/messages';

  beforeAll(async () => {
    t = await createTestApp();
    expect(encodeURIComponent('@TOA#_2J4SZEAEL')).toBe('%40TOA%23_2J4SZEAEL');
    expect((await postCallback(t, seed)).body).toEqual(OK);
  });
  afterAll(async () => {
    await t.close();
  });

  const expectedMessage = {
    officialAccount: '@TOA#_2J4SZEAEL',
    msgKey: '71_1_1698741698',
    msgTime: 1490686222,
    onlineOnly: true,
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    cloudCustomData: 'your cloud custom data',
    eventTime: 1670574414123,
  };

  it('reads the message back by its URL-encoded account, with every OfficialAccountMessage field', async () => {
    const message = await readApi(t, `${ACCOUNT_PATH}/71_1_1698741698`);

    expect(message.status).toBe(200);
    expect(message.headers['content-type']).toMatch(/^application\/json\b/);
    expect(message.body).toMatchObject(expectedMessage);
    const body = message.body as Record<string, unknown>;
    expect(typeof body.onlineOnly).toBe('boolean');
    expect(typeof body.msgTime).toBe('number');
    expect(typeof body.eventTime).toBe('number');
  });

  it('lists the message under the URL-encoded account', async () => {
    const list = await readApi(t, ACCOUNT_PATH);

    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject(expectedMessage);
  });

  it('emits official-account.message.sent with a camelCase payload', async () => {
    const events = t.events.of('official-account.message.sent');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toBeInstanceOf(OfficialAccountMessageSentEvent);
    expect(event).toMatchObject({ ...expectedMessage, raw: seed });
    expect(event!.metadata).toMatchObject({ command: 'OfficialAccount.CallbackAfterSendMsg', sdkAppId: '1400000000', clientIp: '203.0.113.7', optPlatform: 'iOS', attempt: 1 });
    for (const key of Object.keys(event!)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
  });

  it('finds the account whether @ is encoded or not, keeps similar ids apart, and answers 404 for an unknown key', async () => {
    expect((await readApi(t, '/official-accounts/@TOA%23_2J4SZEAEL/messages')).body.items).toHaveLength(1);
    expect((await readApi(t, '/official-accounts/%40TOA/messages')).body).toEqual({ items: [] });
    expect((await readApi(t, '/official-accounts/TOA%23_2J4SZEAEL/messages')).body).toEqual({ items: [] });
    expect((await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL%20/messages')).body).toEqual({ items: [] });
    expectFailure(await readApi(t, `${ACCOUNT_PATH}/nope`), 404);
    expectFailure(await readApi(t, '/official-accounts/%40TOA/messages/71_1_1698741698'), 404);
  });

  it.each(['/official-accounts/%E0%A4%A/messages', '/official-accounts/%40TOA%23_2J4SZEAEL/messages/%', '/c2c/users/%ZZ/unread'])(
    'answers a malformed percent-encoding in %s with 400 in the envelope',
    async (path) => {
      expectFailure(await readApi(t, path), 400);
    },
  );

  it('reads optional fields back as false / null when Tencent leaves them out, ordered by msgTime then msgKey', async () => {
    const bare: Record<string, unknown> = { ...seed, MsgKey: '70_1_1698741600', MsgTime: 1490686222 };
    delete bare.OnlineOnlyFlag;
    delete bare.CloudCustomData;
    delete bare.EventTime;
    const earlier = { ...seed, MsgKey: 'zz_earlier', MsgTime: 1490686000, OnlineOnlyFlag: 0 };
    for (const payload of [bare, earlier]) expect((await postCallback(t, payload)).body).toEqual(OK);

    const message = await readApi(t, `${ACCOUNT_PATH}/70_1_1698741600`);
    expect(message.body).toMatchObject({ officialAccount: '@TOA#_2J4SZEAEL', msgKey: '70_1_1698741600', onlineOnly: false, cloudCustomData: null, eventTime: null });
    const list = await readApi(t, ACCOUNT_PATH);
    expect((list.body as { items: { msgKey: string }[] }).items.map((m) => m.msgKey)).toEqual(['zz_earlier', '70_1_1698741600', '71_1_1698741698']);
    expect(list.body.items[0]).toMatchObject({ onlineOnly: false });
  });
});

describe('Read API: ids as long as the webhook accepts (256 characters)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads a message, its conversation and the unread total back by ids of 256 characters, percent-encoded', async () => {
    // 256 characters, each needing percent-encoding in a path: 768 characters per path segment, 3 KiB in all.
    const from = '@'.repeat(256);
    const to = '#'.repeat(255) + 'é';
    const msgKey = '%'.repeat(256);
    expect((await postCallback(t, { ...fixture('c2c-after-send-msg'), From_Account: from, To_Account: to, MsgKey: msgKey })).body).toEqual(OK);
    const [a, b, k] = [from, to, msgKey].map(encodeURIComponent);

    const message = await readApi(t, `/c2c/conversations/${a}/${b}/messages/${k}`);
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ from, to, msgKey });
    expect((await readApi(t, `/c2c/conversations/${b}/${a}/messages`)).body.items).toHaveLength(1);
    expect((await readApi(t, `/c2c/users/${b}/unread`)).body).toEqual({ userId: to, unreadMsgNum: 7 });
  });
});
