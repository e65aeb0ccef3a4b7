import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { C2CConversationReadEvent } from '../src/c2c/events/c2c-conversation-read.event.js';
import { C2CMessageEditedEvent } from '../src/c2c/events/c2c-message-edited.event.js';
import { C2CMessageRecalledEvent } from '../src/c2c/events/c2c-message-recalled.event.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Payload = Record<string, unknown>;

const SEED_KEY = '48374_2837546_1557481126';
const SEED_TIME = 1557481126;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** A successful send of `from` to `to` at `msgTime` (seconds), with MsgKey `msgKey`. */
const sent = (from: string, to: string, msgKey: string, msgTime = SEED_TIME, extra: Payload = {}): Payload => ({
  ...fixture('c2c-after-send-msg'),
  From_Account: from,
  To_Account: to,
  MsgKey: msgKey,
  MsgTime: msgTime,
  ...extra,
});
const report = (reader: string, peer: string, lastReadTime: number, unreadMsgNum: number): Payload => ({
  ...fixture('c2c-msg-report'),
  Report_Account: reader,
  Peer_Account: peer,
  LastReadTime: lastReadTime,
  UnreadMsgNum: unreadMsgNum,
});
const recall = (from: string, to: string, msgKey: string, extra: Payload = {}): Payload => ({
  ...fixture('c2c-msg-withdraw'),
  From_Account: from,
  To_Account: to,
  MsgKey: msgKey,
  ...extra,
});
const edit = (from: string, to: string, msgKey: string, eventTime: number | string, text: string, extra: Payload = {}): Payload => ({
  ...fixture('c2c-modify-msg'),
  From_Account: from,
  To_Account: to,
  MsgKey: msgKey,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  CloudCustomData: `ccd ${text}`,
  EventTime: eventTime,
  ...extra,
});

describe('C2C read reports, recalls and edits', () => {
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

  async function post(...payloads: Payload[]): Promise<void> {
    for (const payload of payloads) {
      const answer = await postCallback(t, payload);
      expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: OK });
    }
  }

  async function expectRejected(payload: Payload, field: string): Promise<void> {
    const answer = await postCallback(t, payload);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
    expect((answer.body as { ErrorInfo: string }).ErrorInfo).toContain(field);
    const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, String(payload.CallbackCommand)));
    expect(rows.filter((row) => row.status === 'rejected').map((row) => JSON.parse(row.payload) as unknown)).toContainEqual(payload);
  }

  const message = (user1: string, user2: string, msgKey: string) => readApi(t, `/c2c/conversations/${user1}/${user2}/messages/${encodeURIComponent(msgKey)}`);
  const conversations = async (userId: string, query = '') => {
    const answer = await readApi(t, `/c2c/users/${userId}/conversations${query}`);
    expect(answer.status).toBe(200);
    return (answer.body as { items: { peer: string; lastMessage: Payload; lastReadTime: number | null; unreadFromPeer: number }[] }).items;
  };

  it.each([
    ['c2c-msg-report', 'c2c.conversation.read'],
    ['c2c-msg-withdraw', 'c2c.message.recalled'],
    ['c2c-modify-msg', 'c2c.message.edited'],
  ] as const)('turns %s into webhook.received, then %s', async (name, eventName) => {
    const payload: Payload = { ...fixture(name), From_Account: 'each', Report_Account: 'each' };
    await post(payload);
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', eventName]);
    expect(t.events.of('webhook.received')[0]).toMatchObject({ payload, metadata: { command: payload.CallbackCommand } });
  });

  describe('C2C.CallbackAfterMsgReport', () => {
    it('acknowledges the report, keeps the watermark and the unread total, and emits c2c.conversation.read in camelCase', async () => {
      const seed = fixture('c2c-msg-report');
      await post(fixture('c2c-after-send-msg'), seed);

      const [event] = t.events.of('c2c.conversation.read');
      expect(event).toBeInstanceOf(C2CConversationReadEvent);
      expect(event).toMatchObject({ reader: 'Jonh', peer: 'jared', lastReadTime: 1557481127, unreadMsgNum: 3, raw: seed });
      expect(event!.metadata).toMatchObject({ command: 'C2C.CallbackAfterMsgReport', sdkAppId: '1400000000', attempt: 1 });
      for (const key of Object.keys(event!)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);

      expect(await conversations('Jonh')).toEqual([
        {
          peer: 'jared',
          lastMessage: expect.objectContaining({ msgKey: SEED_KEY, from: 'jared', to: 'Jonh', recalled: false, recalledAt: null, editedAt: null }),
          lastReadTime: 1557481127,
          unreadFromPeer: 0,
        },
      ]);
      // The report (LastReadTime 1557481127) is newer than the send (MsgTime 1557481126, UnreadMsgNum 7).
      expect((await readApi(t, '/c2c/users/Jonh/unread')).body).toEqual({ userId: 'Jonh', unreadMsgNum: 3 });
    });

    it('lists the user\'s conversations newest first, counting the peer\'s successful, not recalled messages after the watermark', async () => {
      await post(
        sent('ann', 'bob', 'ab1', 1000),
        sent('ann', 'bob', 'ab2', 2000),
        sent('ann', 'bob', 'ab3', 3000),
        sent('ann', 'bob', 'ab4', 3000, { MsgSeq: 48375, SendMsgResult: 20006, UnreadMsgNum: -1 }), // failed: not unread
        sent('ann', 'bob', 'ab5', 3001),
        recall('ann', 'bob', 'ab5'), // recalled: not unread
        sent('bob', 'ann', 'ba1', 2500), // bob's own message: not unread for bob
        sent('cat', 'bob', 'cb1', 1500),
        report('bob', 'ann', 2000, 4), // ab1 and ab2 are read; ab3 is unread
      );

      const items = await conversations('bob');
      expect(items.map((c) => [c.peer, c.lastMessage.msgKey, c.lastReadTime, c.unreadFromPeer])).toEqual([
        ['ann', 'ab5', 2000, 1],
        ['cat', 'cb1', null, 1],
      ]);
      expect(items[0]!.lastMessage).toMatchObject({ recalled: true, from: 'ann', to: 'bob', extensions: { seq: 0, items: [] } });
      // From ann's side: no watermark, bob's one message unread.
      expect((await conversations('ann')).map((c) => [c.peer, c.lastMessage.msgKey, c.lastReadTime, c.unreadFromPeer])).toEqual([['bob', 'ab5', null, 1]]);
      expect((await conversations('bob', '?limit=1')).map((c) => c.peer)).toEqual(['ann']);
      expect(await conversations('nobody-at-all')).toEqual([]);
      expect((await readApi(t, '/c2c/users/bob/conversations?limit=0')).status).toBe(400);
    });

    it('keeps the newest watermark: a late older report does not move it back', async () => {
      await post(sent('dan', 'eve', 'de1', 1000), sent('dan', 'eve', 'de2', 2000), sent('dan', 'eve', 'de3', 3000));
      await post(report('eve', 'dan', 2500, 1), report('eve', 'dan', 1500, 2));
      expect((await conversations('eve')).map((c) => [c.lastReadTime, c.unreadFromPeer])).toEqual([[2500, 1]]);

      await post(report('eve', 'dan', 3500, 0), report('eve', 'dan', 3400, 9));
      expect((await conversations('eve')).map((c) => [c.lastReadTime, c.unreadFromPeer])).toEqual([[3500, 0]]);
      expect((await readApi(t, '/c2c/users/eve/unread')).body).toEqual({ userId: 'eve', unreadMsgNum: 0 });
      expect(t.events.of('c2c.conversation.read')).toHaveLength(4);
    });

    it('takes the unread total from the newer of the last send and the last report, by their times', async () => {
      // A send after the report: the send's count (UnreadMsgNum 7 in the fixture).
      await post(report('fay', 'gus', 1000, 2), sent('gus', 'fay', 'gf1', 1001));
      expect((await readApi(t, '/c2c/users/fay/unread')).body).toEqual({ userId: 'fay', unreadMsgNum: 7 });
      // A report in the same second as the newest send: everything up to LastReadTime is read.
      await post(report('fay', 'gus', 1001, 0));
      expect((await readApi(t, '/c2c/users/fay/unread')).body).toEqual({ userId: 'fay', unreadMsgNum: 0 });
      // A report alone makes the user's total known.
      await post(report('hal', 'gus', 1000, 5));
      expect((await readApi(t, '/c2c/users/hal/unread')).body).toEqual({ userId: 'hal', unreadMsgNum: 5 });
    });

    it('picks the same unread total for two reports of the same second whatever their order', async () => {
      for (const [i, order] of permutations([report('x', 'p1', 5000, 4), report('x', 'p2', 5000, 2)]).entries()) {
        const reader = `same-second-${i}`;
        await post(...order.map((r) => ({ ...r, Report_Account: reader })));
        expect((await readApi(t, `/c2c/users/${reader}/unread`)).body).toEqual({ userId: reader, unreadMsgNum: 2 });
      }
    });

    it('answers a duplicate report OK with no second effect', async () => {
      const r = report('ivy', 'jay', 1234, 1);
      await post(r, r);
      expect(t.events.of('c2c.conversation.read')).toHaveLength(1);
      const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, 'C2C.CallbackAfterMsgReport'));
      expect(rows.filter((row) => JSON.parse(row.payload).Report_Account === 'ivy')).toHaveLength(1);
    });

    it('refuses a report whose LastReadTime is not a timestamp, and keeps it as rejected', async () => {
      await expectRejected({ ...fixture('c2c-msg-report'), LastReadTime: 'soon' }, 'LastReadTime');
    });
  });

  describe('C2C.CallbackAfterMsgWithDraw', () => {
    it('marks the message recalled, with recalledAt the receipt time, and emits c2c.message.recalled in camelCase', async () => {
      const seed = { ...fixture('c2c-msg-withdraw'), From_Account: 'kim', To_Account: 'lou' };
      await post(sent('kim', 'lou', SEED_KEY));
      const before = Date.now();
      await post(seed);
      const after = Date.now();

      const [event] = t.events.of('c2c.message.recalled');
      expect(event).toBeInstanceOf(C2CMessageRecalledEvent);
      expect(event).toMatchObject({ from: 'kim', to: 'lou', msgKey: SEED_KEY, unreadMsgNum: 6, raw: seed });
      for (const key of Object.keys(event!)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
      expect(event!.recalledAt).toBe(event!.metadata.receivedAt.getTime());
      expect(event!.recalledAt).toBeGreaterThanOrEqual(before - 1000);
      expect(event!.recalledAt).toBeLessThanOrEqual(after);

      const read = await message('lou', 'kim', SEED_KEY);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ msgKey: SEED_KEY, recalled: true, recalledAt: event!.recalledAt, editedAt: null, body: fixture('c2c-after-send-msg').MsgBody });
    });

    it('uses the callback\'s EventTime as recalledAt when Tencent sends one (integer or numeric string)', async () => {
      await post(sent('kim', 'max', 'k1'), sent('kim', 'max', 'k2'), recall('kim', 'max', 'k1', { EventTime: 1557481200123 }), recall('kim', 'max', 'k2', { EventTime: '1557481200456' }));
      expect((await message('kim', 'max', 'k1')).body).toMatchObject({ recalled: true, recalledAt: 1557481200123 });
      expect((await message('kim', 'max', 'k2')).body).toMatchObject({ recalled: true, recalledAt: 1557481200456 });
    });

    it('applies a recall that arrives before its message once the message arrives', async () => {
      await post(recall('ned', 'oli', 'early', { EventTime: 1557481300000 }));
      expect((await message('ned', 'oli', 'early')).status).toBe(404);

      await post(sent('ned', 'oli', 'early'));

      expect((await message('oli', 'ned', 'early')).body).toMatchObject({ recalled: true, recalledAt: 1557481300000 });
      const list = await readApi(t, '/c2c/conversations/ned/oli/messages');
      expect(list.body.items).toEqual([expect.objectContaining({ msgKey: 'early', recalled: true })]);
    });

    it('answers a duplicate recall OK with no second effect, and keeps recalls to their own conversation', async () => {
      const r = recall('pam', 'quin', 'dup', { EventTime: 1557481400000 });
      await post(sent('pam', 'quin', 'dup'), sent('pam', 'rex', 'dup'), r, { ...r, EventTime: 1557481999999 });
      expect(t.events.of('c2c.message.recalled')).toHaveLength(1);
      expect((await message('pam', 'quin', 'dup')).body).toMatchObject({ recalled: true, recalledAt: 1557481400000 });
      expect((await message('pam', 'rex', 'dup')).body).toMatchObject({ recalled: false, recalledAt: null });
    });

    it('refuses a recall without a MsgKey, and keeps it as rejected', async () => {
      await expectRejected({ ...fixture('c2c-msg-withdraw'), MsgKey: '' }, 'MsgKey');
    });
  });

  describe('C2C.CallbackAfterModifyMsg', () => {
    it('replaces body and CloudCustomData, sets editedAt, and emits c2c.message.edited in camelCase', async () => {
      const seed = fixture('c2c-modify-msg');
      await post(fixture('c2c-after-send-msg'), seed);

      const [event] = t.events.of('c2c.message.edited');
      expect(event).toBeInstanceOf(C2CMessageEditedEvent);
      expect(event).toMatchObject({
        operator: 'jared',
        from: 'jared',
        to: 'Jonh',
        msgKey: SEED_KEY,
        msgSeq: 48374,
        msgRandom: 2837546,
        msgTime: SEED_TIME,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet (edited)' } }],
        cloudCustomData: 'edited cloud custom data',
        eventTime: 1557481186123,
        raw: seed,
      });
      for (const key of Object.keys(event!)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);

      const read = await message('Jonh', 'jared', SEED_KEY);
      expect(read.body).toMatchObject({
        msgKey: SEED_KEY,
        msgTime: SEED_TIME,
        body: seed.MsgBody,
        cloudCustomData: 'edited cloud custom data',
        editedAt: 1557481186123,
        recalled: false,
      });
    });

    it('applies an edit that arrives before its message once the message arrives', async () => {
      await post(edit('sam', 'tom', 'pre', 1557481500000, 'edited first'));
      expect((await message('sam', 'tom', 'pre')).status).toBe(404);
      await post(sent('sam', 'tom', 'pre'));
      expect((await message('tom', 'sam', 'pre')).body).toMatchObject({
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'edited first' } }],
        cloudCustomData: 'ccd edited first',
        editedAt: 1557481500000,
      });
    });

    it('never lets an older edit arriving late win; EventTime may be a numeric string', async () => {
      await post(sent('uma', 'vic', 'm'), edit('uma', 'vic', 'm', '1557481600200', 'newer'), edit('uma', 'vic', 'm', 1557481600100, 'older'));
      expect((await message('uma', 'vic', 'm')).body).toMatchObject({
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'newer' } }],
        cloudCustomData: 'ccd newer',
        editedAt: 1557481600200,
      });
      expect(t.events.of('c2c.message.edited').map((e) => e.eventTime)).toEqual([1557481600200, 1557481600100]);
    });

    it('clears CloudCustomData when the edited message has none', async () => {
      const withoutCcd = edit('uma', 'wes', 'm', 1557481600300, 'no ccd');
      delete withoutCcd.CloudCustomData;
      await post(sent('uma', 'wes', 'm'), withoutCcd);
      expect((await message('uma', 'wes', 'm')).body).toMatchObject({ cloudCustomData: null, editedAt: 1557481600300 });
    });

    it('answers a duplicate edit (same EventTime, as integer or string) OK with no second effect', async () => {
      await post(sent('xia', 'yan', 'm'), edit('xia', 'yan', 'm', 1557481700000, 'once'), edit('xia', 'yan', 'm', '1557481700000', 'once'));
      expect(t.events.of('c2c.message.edited')).toHaveLength(1);
    });

    it('refuses an edit whose MsgBody is not a list of elements, and keeps it as rejected', async () => {
      await expectRejected({ ...fixture('c2c-modify-msg'), MsgBody: 'just text' }, 'MsgBody');
    });

    it('gives the same message for every arrival order of the send, two edits and a recall', async () => {
      const expected = {
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'second' } }],
        cloudCustomData: 'ccd second',
        editedAt: 1557481800002,
        recalled: true,
        recalledAt: 1557481900000,
      };
      for (const [i, order] of permutations([
        sent('zed', 'amy', ''),
        edit('zed', 'amy', '', 1557481800001, 'first'),
        edit('zed', 'amy', '', 1557481800002, 'second'),
        recall('zed', 'amy', '', { EventTime: 1557481900000 }),
      ]).entries()) {
        const msgKey = `perm_${i}`;
        await post(...order.map((payload) => ({ ...payload, MsgKey: msgKey })));
        expect((await message('amy', 'zed', msgKey)).body).toMatchObject({ msgKey, ...expected });
      }
      // The conversation list shows the last message as the edits and the recall left it.
      const [conversation] = await conversations('amy');
      expect(conversation!.lastMessage).toMatchObject(expected);
    });
  });
});
