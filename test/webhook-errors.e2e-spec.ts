import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { webhookInbox } from '../src/database/schema.js';
import { bodyAsReceived } from '../src/webhook/inbox/inbox.schema.js';
import { OfficialAccountMessageSentEvent } from '../src/official-account/events/official-account-message-sent.event.js';
import { WebhookReceivedEvent } from '../src/events/webhook-received.event.js';
import { WebhookUnhandledEvent } from '../src/events/webhook-unhandled.event.js';
import { callbackUrl, fixture, OK, postCallback, readApi, type CallbackQueryOptions } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** What an answer looks like to these checks, from supertest or from rawPost. */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders | Record<string, string>;
  body: unknown;
}

/** The answer is exactly Tencent's FAIL envelope, as JSON, with this status; returns its ErrorInfo. */
function expectFailure(answer: Answer, status: number): string {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) },
  });
  expect(String(answer.headers['content-type'])).toMatch(/^application\/json\b/);
  const info = (answer.body as { ErrorInfo: string }).ErrorInfo;
  expect(info.trim()).not.toBe('');
  return info;
}

const MIB = 1024 * 1024;

/** POST with exactly the given headers (supertest would add a Content-Type to a string body). */
function rawPost(t: TestApp, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer & { text: string }> {
  const { port } = t.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'Content-Length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text, the assertions will show it
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a body given as text, with a JSON content type, to the URL Tencent would call for `command`. */
function postText(t: TestApp, text: string | Buffer, command = 'C2C.CallbackAfterSendMsg') {
  return request(t.server)
    .post(callbackUrl({ command, path: t.config.webhookPath }))
    .set('Content-Type', 'application/json')
    .send(text);
}

/** A valid C2C.CallbackAfterSendMsg body of exactly `bytes` bytes (CloudCustomData padded). */
function c2cBodyOfSize(bytes: number, msgKey: string): string {
  const base = { ...fixture('c2c-after-send-msg'), MsgKey: msgKey, CloudCustomData: '' };
  const padding = bytes - Buffer.byteLength(JSON.stringify(base));
  const text = JSON.stringify({ ...base, CloudCustomData: 'x'.repeat(padding) });
  // The test's own arithmetic: a precondition, not something the service did.
  if (Buffer.byteLength(text) !== bytes) throw new Error(`c2cBodyOfSize: ${Buffer.byteLength(text)} bytes, not ${bytes}`);
  return text;
}

const inboxRows = (t: TestApp) => t.db.select().from(webhookInbox).orderBy(webhookInbox.id);

/** The shared app of a describe block starts each test with an empty inbox and no recorded event. */
async function resetInbox(t: TestApp): Promise<void> {
  await t.db.delete(webhookInbox);
  t.events.clear();
}

describe('POST /webhook: bodies that are not a JSON object (400, nothing stored)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const seedText = JSON.stringify(fixture('c2c-after-send-msg'));

  it.each([
    ['malformed JSON', '{bad'],
    ['truncated JSON', seedText.slice(0, seedText.length - 20)],
    ['JSON followed by garbage', `${seedText} trailing`],
    ['an empty body', ''],
    ['a blank body', '  \n '],
    ['a JSON array', '[]'],
    ['a JSON array holding the callback', `[${seedText}]`],
    ['a JSON string', '"C2C.CallbackAfterSendMsg"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['JSON true', 'true'],
  ])('refuses %s', async (_case, text) => {
    const answer = await postText(t, text);

    expectFailure(answer, 400);
    expect(await inboxRows(t)).toEqual([]);
    expect(t.events.events).toEqual([]);
  });

  it('refuses a query without CallbackCommand', async () => {
    const url = `${t.config.webhookPath}?SdkAppid=${t.config.sdkAppId}&contenttype=json`;
    const answer = await request(t.server).post(url).set('Content-Type', 'application/json').send(seedText);

    expect(expectFailure(answer, 400)).toContain('CallbackCommand');
    expect(await inboxRows(t)).toEqual([]);
    expect(t.events.events).toEqual([]);
  });
});

describe('POST /webhook: SdkAppid (403) and signature (401), nothing stored', () => {
  describe('without a callback token', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
    });
    beforeEach(async () => {
      await resetInbox(t);
    });

    it('refuses a wrong SdkAppid with 403', async () => {
      const answer = await postCallback(t, fixture('c2c-after-send-msg'), { sdkAppId: '1400000001' });

      expect(expectFailure(answer, 403)).toContain('SdkAppid');
      expect(await inboxRows(t)).toEqual([]);
      expect(t.events.events).toEqual([]);
    });

    it('refuses a missing SdkAppid with 403', async () => {
      const answer = await request(t.server)
        .post(`${t.config.webhookPath}?CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(fixture('c2c-after-send-msg')));

      expect(expectFailure(answer, 403)).toContain('SdkAppid');
      expect(await inboxRows(t)).toEqual([]);
    });

    it('refuses a repeated SdkAppid with 403', async () => {
      const url = `${callbackUrl({ command: 'C2C.CallbackAfterSendMsg', path: t.config.webhookPath })}&SdkAppid=1400000000`;
      const answer = await request(t.server).post(url).set('Content-Type', 'application/json').send(JSON.stringify(fixture('c2c-after-send-msg')));

      expectFailure(answer, 403);
      expect(await inboxRows(t)).toEqual([]);
    });
  });

  describe('with CALLBACK_AUTH_TOKEN set (two tokens during a rotation)', () => {
    let t: TestApp;
    const now = () => Math.floor(Date.now() / 1000);

    beforeAll(async () => {
      t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: 'token-new,token-old' } });
    });
    afterAll(async () => {
      await t.close();
    });
    beforeEach(async () => {
      await resetInbox(t);
    });

    it('accepts a request signed with either token', async () => {
      const first = await postCallback(t, fixture('c2c-after-send-msg'), { token: 'token-new' });
      const second = await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgKey: '2_2_1557481126' }, { token: 'token-old' });

      expect(first.body).toEqual(OK);
      expect(second.body).toEqual(OK);
      expect(await inboxRows(t)).toHaveLength(2);
    });

    // Options are built when the test runs: RequestTime is relative to that moment.
    it.each<[string, () => Partial<CallbackQueryOptions>]>([
      ['Sign and RequestTime missing', () => ({})],
      ['a Sign made with another token', () => ({ token: 'not-the-token' })],
      ['a RequestTime 61 s in the past', () => ({ token: 'token-new', requestTime: now() - 61 })],
      // 62, not 61: the server reads its clock after this one, and a second that ticks in between
      // brings 61 back inside the window (seen once in CI). The exact boundary: callback-signature.spec.ts.
      ['a RequestTime 62 s in the future', () => ({ token: 'token-new', requestTime: now() + 62 })],
      ['a Sign that is not hex', () => ({ extra: { Sign: 'z'.repeat(64), RequestTime: String(now()) } })],
      ['a RequestTime that is not a number', () => ({ extra: { Sign: 'a'.repeat(64), RequestTime: 'yesterday' } })],
    ])('refuses %s with 401', async (_case, options) => {
      const answer = await postCallback(t, fixture('c2c-after-send-msg'), options());

      expectFailure(answer, 401);
      expect(await inboxRows(t)).toEqual([]);
      expect(t.events.events).toEqual([]);
    });
  });
});

describe('POST /webhook: CallbackCommand of the query and of the body', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await resetInbox(t);
  });

  it('refuses a body whose CallbackCommand differs from the query, and keeps it as rejected', async () => {
    const payload = fixture('c2c-after-send-msg');
    const text = JSON.stringify(payload);

    const answer = await postCallback(t, payload, { command: 'C2C.CallbackAfterC2CMsgExtension' });

    const info = expectFailure(answer, 400);
    expect(info).toContain('CallbackCommand');
    const rows = await inboxRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ command: 'C2C.CallbackAfterC2CMsgExtension', status: 'rejected', dedupeKey: null, lastError: info, payload: text });
    expect(rows[0]!.lastError).toContain('CallbackCommand');
    expect(t.events.events).toEqual([]);
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages')).body).toEqual({ items: [] });
  });

  it('refuses a body without CallbackCommand, and keeps it as rejected', async () => {
    const payload = fixture('c2c-after-send-msg');
    delete payload.CallbackCommand;

    const answer = await postCallback(t, payload, { command: 'C2C.CallbackAfterSendMsg' });

    const info = expectFailure(answer, 400);
    expect(info).toContain('CallbackCommand');
    const rows = await inboxRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ command: 'C2C.CallbackAfterSendMsg', status: 'rejected', dedupeKey: null, lastError: info });
    expect(JSON.parse(rows[0]!.payload)).toEqual(payload);
    expect(t.events.events).toEqual([]);
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages')).body).toEqual({ items: [] });
  });
});

type Payload = Record<string, unknown>;
interface InvalidCase {
  title: string;
  change: (payload: Payload) => void;
  /** Every one of these must be named in ErrorInfo. */
  fields: string[];
}

const element = { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } };

/** Sends each invalid variant of `fixtureName`, expects 400 naming the fields, a rejected row, no event. */
function describeValidation(command: string, fixtureName: string, cases: InvalidCase[], projectionUntouched: (t: TestApp) => Promise<void>, setUp?: (t: TestApp) => Promise<void>) {
  describe(`POST /webhook: ${command} failing validation (400, kept as rejected)`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
      await setUp?.(t);
    });
    afterAll(async () => {
      await t.close();
    });
    beforeEach(async () => {
      await resetInbox(t);
    });

    it.each(cases)('refuses $title, naming $fields', async ({ change, fields }) => {
      const payload = fixture(fixtureName);
      change(payload);
      const text = JSON.stringify(payload);

      const answer = await postText(t, text, command);

      const info = expectFailure(answer, 400);
      for (const field of fields) expect(info).toContain(field);
      const rows = await inboxRows(t);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ command, status: 'rejected', dedupeKey: null, payload: text, attempts: 0, processedAt: null });
      expect(rows[0]!.lastError).toBe(info);
      expect(t.events.events).toEqual([]);
      await projectionUntouched(t);
    });
  });
}

describeValidation(
  'C2C.CallbackAfterSendMsg',
  'c2c-after-send-msg',
  [
    { title: 'MsgSeq as a string', change: (p) => (p.MsgSeq = '48374'), fields: ['MsgSeq'] },
    { title: 'From_Account missing', change: (p) => delete p.From_Account, fields: ['From_Account'] },
    { title: 'From_Account empty', change: (p) => (p.From_Account = ''), fields: ['From_Account'] },
    { title: 'To_Account null', change: (p) => (p.To_Account = null), fields: ['To_Account'] },
    { title: 'MsgKey a number', change: (p) => (p.MsgKey = 48374), fields: ['MsgKey'] },
    { title: 'MsgBody an object', change: (p) => (p.MsgBody = element), fields: ['MsgBody'] },
    { title: 'MsgBody a string', change: (p) => (p.MsgBody = 'red packet'), fields: ['MsgBody'] },
    { title: 'MsgBody missing', change: (p) => delete p.MsgBody, fields: ['MsgBody'] },
    { title: 'a MsgBody element without MsgType', change: (p) => (p.MsgBody = [{ MsgContent: { Text: 'hi' } }]), fields: ['MsgBody.0.MsgType'] },
    { title: 'a second MsgBody element whose MsgContent is a string', change: (p) => (p.MsgBody = [element, { MsgType: 'TIMTextElem', MsgContent: 'hi' }]), fields: ['MsgBody.1.MsgContent'] },
    { title: 'a MsgBody element that is null', change: (p) => (p.MsgBody = [null]), fields: ['MsgBody'] },
    { title: 'a MsgBody element that is a string', change: (p) => (p.MsgBody = ['hi']), fields: ['MsgBody'] },
    { title: 'MsgTime with a fraction', change: (p) => (p.MsgTime = 1557481126.5), fields: ['MsgTime'] },
    { title: 'MsgRandom above 32 bits', change: (p) => (p.MsgRandom = 4294967296), fields: ['MsgRandom'] },
    { title: 'SendMsgResult missing', change: (p) => delete p.SendMsgResult, fields: ['SendMsgResult'] },
    { title: 'UnreadMsgNum -2', change: (p) => (p.UnreadMsgNum = -2), fields: ['UnreadMsgNum'] },
    { title: 'OnlineOnlyFlag true', change: (p) => (p.OnlineOnlyFlag = true), fields: ['OnlineOnlyFlag'] },
    { title: 'MsgId a number', change: (p) => (p.MsgId = 123), fields: ['MsgId'] },
    { title: 'CloudCustomData an object', change: (p) => (p.CloudCustomData = { a: 1 }), fields: ['CloudCustomData'] },
    {
      title: 'several fields at once',
      change: (p) => {
        p.MsgSeq = '1';
        delete p.To_Account;
      },
      fields: ['MsgSeq', 'To_Account'],
    },
  ],
  async (t) => {
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages')).body).toEqual({ items: [] });
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages/48374_2837546_1557481126')).status).toBe(404);
    expect((await readApi(t, '/c2c/users/Jonh/unread')).status).toBe(404);
  },
);

const extensionTarget = { ...fixture('c2c-after-send-msg'), From_Account: 'user1', To_Account: 'user2', MsgKey: '93847636_1287657_1764688415' };

describeValidation(
  'C2C.CallbackAfterC2CMsgExtension',
  'c2c-msg-extension-set',
  [
    { title: 'OperateType 7', change: (p) => (p.OperateType = 7), fields: ['OperateType'] },
    { title: 'OperateType as a string', change: (p) => (p.OperateType = '1'), fields: ['OperateType'] },
    { title: "EventTime 'abc'", change: (p) => (p.EventTime = 'abc'), fields: ['EventTime'] },
    { title: 'ExtensionList an object', change: (p) => (p.ExtensionList = { Key: 'k1', Value: 'v1', Seq: 1 }), fields: ['ExtensionList'] },
    { title: 'an ExtensionList item without Key', change: (p) => (p.ExtensionList = [{ Value: 'v1', Seq: 1 }]), fields: ['ExtensionList.0.Key'] },
    {
      title: 'a second ExtensionList item with Seq as a string',
      change: (p) => (p.ExtensionList = [{ Key: 'k1', Value: 'v1', Seq: 1 }, { Key: 'k2', Value: 'v2', Seq: '1' }]),
      fields: ['ExtensionList.1.Seq'],
    },
    { title: 'Seq as a string', change: (p) => (p.Seq = '1'), fields: ['Seq'] },
    { title: 'MsgKey missing', change: (p) => delete p.MsgKey, fields: ['MsgKey'] },
    { title: 'From_Account a number', change: (p) => (p.From_Account = 1), fields: ['From_Account'] },
  ],
  async (t) => {
    const message = await readApi(t, '/c2c/conversations/user1/user2/messages/93847636_1287657_1764688415');
    expect(message.status).toBe(200);
    expect(message.body.extensions).toEqual({ seq: 0, items: [] });
  },
  async (t) => {
    // The message the extensions belong to, so an extension applied by mistake would show.
    expect((await postCallback(t, extensionTarget)).body).toEqual(OK);
  },
);

describeValidation(
  'OfficialAccount.CallbackAfterSendMsg',
  'official-account-after-send-msg',
  [
    { title: "EventTime 'abc'", change: (p) => (p.EventTime = 'abc'), fields: ['EventTime'] },
    { title: 'EventTime negative', change: (p) => (p.EventTime = -1), fields: ['EventTime'] },
    { title: 'EventTime with a fraction', change: (p) => (p.EventTime = 1670574414123.5), fields: ['EventTime'] },
    { title: 'EventTime a numeric string with a sign', change: (p) => (p.EventTime = '-1670574414123'), fields: ['EventTime'] },
    { title: 'Official_Account missing', change: (p) => delete p.Official_Account, fields: ['Official_Account'] },
    { title: 'MsgKey empty', change: (p) => (p.MsgKey = ''), fields: ['MsgKey'] },
    { title: 'MsgTime as a string', change: (p) => (p.MsgTime = '1490686222'), fields: ['MsgTime'] },
    { title: 'MsgBody an object', change: (p) => (p.MsgBody = element), fields: ['MsgBody'] },
    { title: 'a MsgBody element without MsgType', change: (p) => (p.MsgBody = [{ MsgContent: { Text: 'hi' } }]), fields: ['MsgBody.0.MsgType'] },
    { title: 'OnlineOnlyFlag 2', change: (p) => (p.OnlineOnlyFlag = 2), fields: ['OnlineOnlyFlag'] },
    { title: 'CloudCustomData a number', change: (p) => (p.CloudCustomData = 7), fields: ['CloudCustomData'] },
  ],
  async (t) => {
    expect((await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL/messages')).body).toEqual({ items: [] });
    expect((await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL/messages/71_1_1698741698')).status).toBe(404);
  },
);

describe('POST /webhook: fields the DTOs accept in more than one shape', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.events.clear();
  });

  it('accepts an Official Account EventTime given as a string of digits, and reads it back as a number', async () => {
    const payload = { ...fixture('official-account-after-send-msg'), EventTime: '1670574414123' };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const message = await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL/messages/71_1_1698741698');
    expect(message.status).toBe(200);
    expect(message.body.eventTime).toBe(1670574414123);
    const [event] = t.events.of('official-account.message.sent');
    expect(event).toBeInstanceOf(OfficialAccountMessageSentEvent);
    expect(event!.eventTime).toBe(1670574414123);
    expect(event!.raw).toEqual(payload);
  });

  it('accepts an Official Account callback without EventTime: eventTime is null', async () => {
    const payload: Record<string, unknown> = { ...fixture('official-account-after-send-msg'), MsgKey: '72_1_1698741699' };
    delete payload.EventTime;

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const message = await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL/messages/72_1_1698741699');
    expect(message.body).toMatchObject({ msgKey: '72_1_1698741699', eventTime: null });
  });

  it('accepts a C2C extension EventTime given as a string of digits', async () => {
    const payload = { ...fixture('c2c-msg-extension-set'), EventTime: '1764688540182' };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const [event] = t.events.of('c2c.message-extension.changed');
    expect(event).toMatchObject({ eventTime: 1764688540182, operation: 'set', seq: 1 });
  });

  it('accepts a C2C send with MsgId and keeps it', async () => {
    const payload = { ...fixture('c2c-after-send-msg'), MsgKey: '1_1_1557481126', MsgId: '144115233406643804-1727580296-4026038328' };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/1_1_1557481126');
    expect(message.body).toMatchObject({ msgKey: '1_1_1557481126', msgId: '144115233406643804-1727580296-4026038328' });
    expect(t.events.of('c2c.message.sent')[0]).toMatchObject({ msgId: '144115233406643804-1727580296-4026038328' });
  });

  it('accepts a C2C send without MsgId: msgId is null', async () => {
    const payload: Record<string, unknown> = { ...fixture('c2c-after-send-msg'), MsgKey: '2_1_1557481126' };
    delete payload.MsgId;

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/2_1_1557481126');
    expect(message.body).toMatchObject({ msgKey: '2_1_1557481126', msgId: null });
    expect(t.events.of('c2c.message.sent')[0]).toMatchObject({ msgId: null });
  });
});

describe('POST /webhook: body size limit (1 MiB)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await resetInbox(t);
  });

  it('refuses a valid callback of 1.1 MiB with 413, storing nothing', async () => {
    const answer = await postText(t, c2cBodyOfSize(Math.round(1.1 * MIB), 'big_1_1557481126'));

    expectFailure(answer, 413);
    expect(await inboxRows(t)).toEqual([]);
    expect(t.events.events).toEqual([]);
  });

  it('refuses a body one byte over 1 MiB with 413', async () => {
    const answer = await postText(t, c2cBodyOfSize(MIB + 1, 'over_1_1557481126'));

    expectFailure(answer, 413);
    expect(await inboxRows(t)).toEqual([]);
  });

  it('refuses an oversized body that is not JSON with 413 (the size is checked first)', async () => {
    const answer = await postText(t, 'x'.repeat(2 * MIB));

    expectFailure(answer, 413);
    expect(await inboxRows(t)).toEqual([]);
  });

  it('accepts a valid callback just under 1 MiB, and one of exactly 1 MiB', async () => {
    const sent = [c2cBodyOfSize(MIB - 100, 'under_1_1557481126'), c2cBodyOfSize(MIB, 'exact_1_1557481126')];
    const under = await postText(t, sent[0]!);
    const exact = await postText(t, sent[1]!);

    expect(under.status).toBe(200);
    expect(under.body).toEqual(OK);
    expect(exact.body).toEqual(OK);
    // Stored whole: the body the inbox gives back (for replay) is the one sent (compared here, not diffed: 1 MiB each).
    expect((await inboxRows(t)).map((r, i) => [r.status, bodyAsReceived(r) === sent[i] ? 'the body sent' : `${Buffer.byteLength(bodyAsReceived(r))} other bytes`])).toEqual([
      ['processed', 'the body sent'],
      ['processed', 'the body sent'],
    ]);
    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/under_1_1557481126');
    expect(message.body.cloudCustomData).toHaveLength(MIB - 100 - Buffer.byteLength(JSON.stringify({ ...fixture('c2c-after-send-msg'), MsgKey: 'under_1_1557481126', CloudCustomData: '' })));
  });
});

describe('POST /webhook: content type', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const url = () => callbackUrl({ command: 'C2C.CallbackAfterSendMsg', path: t.config.webhookPath });

  it.each([
    ['no Content-Type', {}, '1_1_1557481126'],
    ['Content-Type text/plain', { 'Content-Type': 'text/plain' }, '2_1_1557481126'],
    ['Content-Type application/x-www-form-urlencoded', { 'Content-Type': 'application/x-www-form-urlencoded' }, '3_1_1557481126'],
    ['Content-Type application/json; charset=utf-8', { 'Content-Type': 'application/json; charset=utf-8' }, '4_1_1557481126'],
  ])('reads a valid JSON body sent with %s', async (_case, headers, msgKey) => {
    const payload = { ...fixture('c2c-after-send-msg'), MsgKey: msgKey };

    const answer = await rawPost(t, url(), JSON.stringify(payload), headers);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(OK);
    expect((await readApi(t, `/c2c/conversations/jared/Jonh/messages/${msgKey}`)).status).toBe(200);
  });

  it('still refuses a malformed body sent without Content-Type with the 400 envelope', async () => {
    expectFailure(await rawPost(t, url(), '{bad'), 400);
  });
});

describe('POST /webhook: the database cannot take the callback (503)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 and never OK once the database is closed, and the app still shuts down', async () => {
    await t.connection.close();

    const valid = await postCallback(t, fixture('c2c-after-send-msg'));
    const unknown = await postCallback(t, { CallbackCommand: 'Sns.CallbackFriendAdd', Admin_Account: 'admin' });
    const invalid = await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgSeq: 'x' });

    expectFailure(valid, 503);
    expectFailure(unknown, 503);
    expectFailure(invalid, 503);
    expect(t.events.events).toEqual([]);
    await expect(t.close()).resolves.toBeUndefined();
  });
});

describe('POST /webhook: an authenticated command the project does not model', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  // A relationship-chain callback: the project models no Sns.* command.
  const unmodelledCallback = () => ({
    CallbackCommand: 'Sns.CallbackFriendAdd',
    ClientCmd: 'friend_add',
    Admin_Account: 'admin',
    ForceFlag: 0,
    PairList: [{ From_Account: 'jared', To_Account: 'Jonh', Initiator_Account: 'jared' }],
    EventTime: 1670574414123,
  });

  it('answers OK, stores it as unhandled and emits webhook.received then webhook.unhandled with the raw payload', async () => {
    const payload = unmodelledCallback();

    const answer = await postCallback(t, payload);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(OK);
    const rows = await inboxRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ command: 'Sns.CallbackFriendAdd', status: 'unhandled', attempts: 1, lastError: null, payload: JSON.stringify(payload) });
    expect(rows[0]!.dedupeKey).toEqual(expect.any(String));
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', 'webhook.unhandled']);
    const [received] = t.events.of('webhook.received');
    const [unhandled] = t.events.of('webhook.unhandled');
    expect(received).toBeInstanceOf(WebhookReceivedEvent);
    expect(unhandled).toBeInstanceOf(WebhookUnhandledEvent);
    expect(received!.payload).toEqual(payload);
    expect(unhandled!.payload).toEqual(payload);
    expect(unhandled!.metadata).toMatchObject({ inboxId: rows[0]!.id, command: 'Sns.CallbackFriendAdd', sdkAppId: '1400000000', clientIp: '203.0.113.7', optPlatform: 'iOS', attempt: 1 });
  });

  it('stores an identical second delivery once, and a different body separately', async () => {
    const payload = unmodelledCallback();

    expect((await postCallback(t, payload)).body).toEqual(OK);
    expect((await postCallback(t, payload)).body).toEqual(OK);

    expect(await inboxRows(t)).toHaveLength(1);
    expect(t.events.of('webhook.unhandled')).toHaveLength(1);

    expect((await postCallback(t, { ...payload, EventTime: 1670574414124 })).body).toEqual(OK);
    expect(await inboxRows(t)).toHaveLength(2);
    expect(t.events.of('webhook.unhandled')).toHaveLength(2);
  });
});

describe('Routes and hostile keys', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['GET', '/nope'],
    ['POST', '/nope'],
    ['GET', '/webhook'],
  ])('answers %s %s with 404 in the envelope', async (method, path) => {
    const answer = method === 'GET' ? await request(t.server).get(path) : await request(t.server).post(path).send({});
    expectFailure(answer, 404);
  });

  it('accepts a valid callback carrying __proto__ and constructor keys, without polluting any prototype', async () => {
    const seed = JSON.stringify(fixture('c2c-after-send-msg'));
    const hostile = seed
      .replace(/^\{/, '{"__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}},')
      .replace('"MsgContent":{', '"MsgContent":{"__proto__":{"polluted":"nested"},');
    // The test's own text: a precondition (the fixture still has the MsgContent it inserts into), not an assertion.
    if (!hostile.includes('"MsgContent":{"__proto__":{"polluted":"nested"},')) throw new Error('the c2c-after-send-msg fixture changed: no nested __proto__ inserted');

    const answer = await postText(t, hostile);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(OK);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, 'C2C.CallbackAfterSendMsg'));
    expect(row).toMatchObject({ status: 'processed', payload: hostile });
    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/48374_2837546_1557481126');
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ from: 'jared', to: 'Jonh', msgSeq: 48374 });
    expect(message.body.body[0].MsgContent.Text).toBe('red packet');
    expect(message.body.polluted).toBeUndefined();
  });
});
