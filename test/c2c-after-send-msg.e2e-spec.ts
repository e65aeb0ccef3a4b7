import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { C2CMessageSentEvent } from '../src/c2c/events/c2c-message-sent.event.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

describe('C2C.CallbackAfterSendMsg', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('acknowledges the seed callback, projects the message and emits c2c.message.sent in camelCase', async () => {
    const seed = fixture('c2c-after-send-msg');

    const answer = await postCallback(t, seed);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(OK);
    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/48374_2837546_1557481126');
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({
      msgKey: '48374_2837546_1557481126',
      from: 'jared',
      to: 'Jonh',
      msgSeq: 48374,
      msgRandom: 2837546,
      msgTime: 1557481126,
      onlineOnly: true,
      sendMsgResult: 0,
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
      cloudCustomData: 'your cloud custom data',
      extensions: { seq: 0, items: [] },
    });
    const [event] = t.events.of('c2c.message.sent');
    expect(event).toBeInstanceOf(C2CMessageSentEvent);
    expect(event).toMatchObject({
      from: 'jared',
      to: 'Jonh',
      msgKey: '48374_2837546_1557481126',
      msgSeq: 48374,
      msgRandom: 2837546,
      msgTime: 1557481126,
      msgId: null,
      onlineOnly: true,
      sendMsgResult: 0,
      errorInfo: 'send msg succeed',
      unreadMsgNum: 7,
      body: seed.MsgBody,
      cloudCustomData: 'your cloud custom data',
      raw: seed,
    });
    expect(event!.metadata).toMatchObject({ command: 'C2C.CallbackAfterSendMsg', sdkAppId: '1400000000', clientIp: '203.0.113.7', optPlatform: 'iOS', attempt: 1 });
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', 'c2c.message.sent']);
  });

  it('lists the conversation whichever order the users are given, ordered by MsgTime then MsgSeq', async () => {
    const later = { ...fixture('c2c-after-send-msg'), From_Account: 'Jonh', To_Account: 'jared', MsgSeq: 3, MsgTime: 1557481200, MsgKey: '3_1_1557481200' };
    const sameSecondHigherSeq = { ...fixture('c2c-after-send-msg'), MsgSeq: 48375, MsgKey: '48375_1_1557481126' };
    for (const payload of [later, sameSecondHigherSeq, fixture('c2c-after-send-msg')]) {
      expect((await postCallback(t, payload)).status).toBe(200);
    }

    const forward = await readApi(t, '/c2c/conversations/jared/Jonh/messages');
    const backward = await readApi(t, '/c2c/conversations/Jonh/jared/messages');

    expect(forward.status).toBe(200);
    expect(forward.body.items.map((m: { msgKey: string }) => m.msgKey)).toEqual(['48374_2837546_1557481126', '48375_1_1557481126', '3_1_1557481200']);
    expect(backward.body).toEqual(forward.body);
    const limited = await readApi(t, '/c2c/conversations/Jonh/jared/messages?limit=2');
    expect(limited.body.items).toHaveLength(2);
  });

  it('answers a duplicate delivery OK with no second effect', async () => {
    const seed = fixture('c2c-after-send-msg');
    expect((await postCallback(t, seed)).body).toEqual(OK);
    expect((await postCallback(t, seed)).body).toEqual(OK);

    expect(t.events.of('c2c.message.sent')).toHaveLength(1);
    const rows = await t.db.select().from(webhookInbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'processed', attempts: 1, command: 'C2C.CallbackAfterSendMsg', clientIp: '203.0.113.7', optPlatform: 'iOS', sdkAppId: '1400000000' });
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages')).body.items).toHaveLength(1);
  });

  it('keeps the unread total of the newest send: a late older callback does not overwrite it', async () => {
    const newer = { ...fixture('c2c-after-send-msg'), MsgSeq: 10, MsgTime: 1557481200, MsgKey: '10_1_1557481200', UnreadMsgNum: 9 };
    const sameSecondLowerSeq = { ...newer, MsgSeq: 9, MsgKey: '9_1_1557481200', UnreadMsgNum: 8 };
    const older = fixture('c2c-after-send-msg'); // UnreadMsgNum 7, earlier MsgTime

    for (const payload of [newer, older, sameSecondLowerSeq]) expect((await postCallback(t, payload)).status).toBe(200);

    const unread = await readApi(t, '/c2c/users/Jonh/unread');
    expect(unread.status).toBe(200);
    expect(unread.body).toEqual({ userId: 'Jonh', unreadMsgNum: 9 });
  });

  it('records a failed send as a message with its result, emits send-failed, and does not count it as unread', async () => {
    const failed = { ...fixture('c2c-after-send-msg'), SendMsgResult: 20006, ErrorInfo: 'blocked by callback', UnreadMsgNum: -1 };

    expect((await postCallback(t, failed)).body).toEqual(OK);

    expect(t.events.of('c2c.message.send-failed')).toHaveLength(1);
    expect(t.events.of('c2c.message.sent')).toHaveLength(0);
    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/48374_2837546_1557481126');
    expect(message.body).toMatchObject({ sendMsgResult: 20006, errorInfo: 'blocked by callback' });
    expect((await readApi(t, '/c2c/users/Jonh/unread')).status).toBe(404);
  });

  it('accepts every MsgBody element type, keeps an unknown MsgType and unknown fields as they came', async () => {
    const payload = {
      ...fixture('c2c-after-send-msg'),
      MsgBody: fixture<unknown[]>('message-body-all-elements'),
      SomeFieldTencentAddsLater: { nested: [1, 2, 3] },
    };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/48374_2837546_1557481126');
    expect(message.body.body).toEqual(payload.MsgBody);
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, 'C2C.CallbackAfterSendMsg'));
    expect(JSON.parse(row!.payload)).toEqual(payload);
  });

  it('answers 404 in the envelope for an unknown message and an unknown user', async () => {
    const message = await readApi(t, '/c2c/conversations/jared/Jonh/messages/nope');
    expect(message.status).toBe(404);
    expect(message.body).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
    expect((await readApi(t, '/c2c/users/nobody/unread')).status).toBe(404);
  });
});

describe('C2C.CallbackAfterSendMsg with CALLBACK_AUTH_TOKEN set', () => {
  const TOKEN = 'c2c-query-token';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores the query of a signed callback without Sign, keeping the rest, and shows it so in the operations API', async () => {
    const requestTime = Math.floor(Date.now() / 1000);
    // Accepted with a token configured: the request carried a valid Sign, which the service checked.
    expect((await postCallback(t, fixture('c2c-after-send-msg'), { token: TOKEN, requestTime, extra: { Extra: 'x' } })).body).toEqual(OK);

    const rows = await t.db.select().from(webhookInbox);
    const kept = {
      SdkAppid: '1400000000',
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      contenttype: 'json',
      ClientIP: '203.0.113.7',
      OptPlatform: 'iOS',
      RequestTime: String(requestTime),
      Extra: 'x',
    };
    expect(rows.map((row) => row.query)).toEqual([kept]);
    const detail = await readApi(t, `/webhook-events/${rows[0]!.id}`);
    expect({ status: detail.status, query: (detail.body as { query?: unknown }).query }).toEqual({ status: 200, query: kept });
  });
});
