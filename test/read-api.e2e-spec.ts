import request from 'supertest';
import { OfficialAccountMessageSentEvent } from '../src/official-account/events/official-account-message-sent.event.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { appRoutes, concretePath, routeName, type AppRoute } from './utils/routes.js';
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

/**
 * The routes anyone may call without the API token, by design: every other route of the app needs
 * it. The list of routes that need the token is not written here: it comes from the app's own
 * router (test/utils/routes.ts), so a route added later is checked without anyone listing it.
 */
const PUBLIC_ROUTES = ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'POST /webhook'];
/** Served by SwaggerModule on the HTTP platform itself, outside Nest's router (and its guards): public too. */
const PUBLIC_DOCS = ['/docs', '/docs-json'];

/** The operator's page and the routes it calls also take Basic with API_TOKEN as the password (test/ops-page.e2e-spec.ts). */
const BASIC_AUTH_PREFIXES = ['/ops', '/webhook-events', '/event-relay'];
const acceptsBasic = (route: AppRoute): boolean => BASIC_AUTH_PREFIXES.some((prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`));

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

/** The routes that take a body, with a valid one: past the guard they answer, not refuse the body. */
const VALID_BODIES: Record<string, object> = {
  'POST /ops/replays': { dryRun: true },
  'POST /ops/rebuilds': { family: 'presence' },
};

function call(t: TestApp, route: AppRoute, authorization: string | undefined) {
  // '1': a well-formed id for every parameter (the inbox id must be a positive integer), known to nobody.
  const path = concretePath(route, '1');
  const body = VALID_BODIES[routeName(route)];
  const test = route.method === 'POST' ? request(t.server).post(path).send(body) : request(t.server).get(path);
  return authorization === undefined ? test : test.set('Authorization', authorization);
}

/** What is wrong with an answer that should be the 401 envelope (undefined: nothing); `info` must be in its ErrorInfo. */
function not401(answer: request.Response, info = ''): string | undefined {
  const body = answer.body as Record<string, unknown>;
  const ok =
    answer.status === 401 &&
    /^application\/json\b/.test(String(answer.headers['content-type'])) &&
    Object.keys(body).length === 3 &&
    body.ActionStatus === 'FAIL' &&
    body.ErrorCode === 1 &&
    typeof body.ErrorInfo === 'string' &&
    body.ErrorInfo.trim() !== '' &&
    body.ErrorInfo.includes(info);
  return ok ? undefined : `${answer.status} ${answer.text.slice(0, 200)}`;
}

/** Calls every route with every Authorization header (undefined: none sent); lists the answers that are not the 401 envelope. */
async function routesNotRefused(t: TestApp, routes: AppRoute[], headers: (string | undefined)[], info?: string): Promise<string[]> {
  const problems: string[] = [];
  for (const route of routes) {
    for (const header of headers) {
      const problem = not401(await call(t, route, header), info);
      if (problem) problems.push(`${routeName(route)} (${route.handler}) with Authorization ${JSON.stringify(header)}: ${problem}`);
    }
  }
  return problems;
}

/** The app's routes, split into those that need the token and the public ones. */
function splitRoutes(t: TestApp): { guarded: AppRoute[]; open: AppRoute[] } {
  const routes = appRoutes(t.app);
  return { guarded: routes.filter((r) => !PUBLIC_ROUTES.includes(routeName(r))), open: routes.filter((r) => PUBLIC_ROUTES.includes(routeName(r))) };
}

describe('Read API: authentication with API_TOKEN set', () => {
  let t: TestApp;
  let guarded: AppRoute[];
  let open: AppRoute[];

  beforeAll(async () => {
    t = await createTestApp();
    ({ guarded, open } = splitRoutes(t));
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds every public route of the allow-list among the app\'s routes, and routes besides them', () => {
    expect(open.map(routeName).sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(guarded.length).toBeGreaterThan(0);
  });

  it('counts the group read routes among those that need the token (so the checks below cover them)', () => {
    expect(guarded.map(routeName)).toEqual(
      expect.arrayContaining([
        'GET /groups/:groupId',
        'GET /groups/:groupId/members',
        'GET /groups/:groupId/messages',
        'GET /groups/:groupId/messages/:msgSeq',
        'GET /groups/:groupId/topics',
      ]),
    );
  });

  it('answers 401 in the envelope on every other route, without the token or with a wrong one', async () => {
    const wrong = [
      undefined,
      'Bearer wrong-token',
      `Bearer ${TEST_API_TOKEN}x`,
      'Bearer ',
      TEST_API_TOKEN,
      basic(`user:${TEST_API_TOKEN}x`),
      basic(TEST_API_TOKEN),
      `Basic ${TEST_API_TOKEN}`,
    ];
    expect(await routesNotRefused(t, guarded, wrong)).toEqual([]);
    // The right token as a Basic password opens only the operator's page and the routes it calls.
    expect(await routesNotRefused(t, guarded.filter((route) => !acceptsBasic(route)), [basic(`user:${TEST_API_TOKEN}`)])).toEqual([]);
    expect(guarded.filter(acceptsBasic).map(routeName)).toEqual(expect.arrayContaining(['GET /ops', 'GET /ops/stats', 'GET /webhook-events', 'POST /webhook-events/:id/replay', 'GET /event-relay']));
  });

  it('lets the right bearer token past the guard on every route that needs it: an answer (202 for a job started), or 404 for an unknown id', async () => {
    const answers: string[] = [];
    for (const route of guarded) {
      const answer = await call(t, route, `Bearer ${TEST_API_TOKEN}`);
      answers.push(`${routeName(route)}: ${[200, 202, 404].includes(answer.status) ? 'passed' : `${answer.status} ${answer.text.slice(0, 200)}`}`);
    }
    expect(answers).toEqual(guarded.map((route) => `${routeName(route)}: passed`));
  });

  it('answers the public routes without a token', async () => {
    const answers: string[] = [];
    for (const route of open) answers.push(`${routeName(route)}: ${(await call(t, route, undefined)).status}`);
    for (const path of PUBLIC_DOCS) answers.push(`GET ${path}: ${(await request(t.server).get(path)).status}`);
    // The webhook refuses a call without Tencent's query string (403), not for want of a bearer token.
    expect(answers.sort()).toEqual(
      [...PUBLIC_ROUTES.map((name) => `${name}: ${name === 'POST /webhook' ? 403 : 200}`), ...PUBLIC_DOCS.map((path) => `GET ${path}: 200`)].sort(),
    );
  });
});

describe.each([
  ['unset', undefined],
  ['empty', ''],
])('Read API: API_TOKEN %s', (_case, apiToken) => {
  let t: TestApp;
  let guarded: AppRoute[];

  beforeAll(async () => {
    t = await createTestApp({ env: { API_TOKEN: apiToken } });
    ({ guarded } = splitRoutes(t));
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 to everyone on every route that needs the token, saying the read API is disabled', async () => {
    const headers = [undefined, `Bearer ${TEST_API_TOKEN}`, 'Bearer undefined', 'Bearer null', 'Bearer ', basic('user:')];
    expect(guarded.length).toBeGreaterThan(0);
    expect(await routesNotRefused(t, guarded, headers, 'the read API is disabled: set API_TOKEN')).toEqual([]);
  });

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
