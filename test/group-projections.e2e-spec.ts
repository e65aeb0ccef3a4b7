import { Injectable, Module } from '@nestjs/common';
import request from 'supertest';
import { and, eq, sql } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { OnDomainEvent } from '../src/events/on-domain-event.decorator.js';
import type { GroupMessageSentEvent } from '../src/events/index.js';
import { InboxRecoveryService } from '../src/webhook/inbox/inbox-recovery.service.js';
import { groupMessageFailures } from '../src/group/group.schema.js';
import { callbackDedupeKey } from '../src/testing/dedupe-keys.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Payload = Record<string, unknown>;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const enc = encodeURIComponent;
const members = (...userIds: string[]) => userIds.map((Member_Account) => ({ Member_Account }));

// Payloads built from the fixtures, with the group and time given.
const created = (groupId: string, eventTime: number, extra: Payload = {}): Payload => ({ ...fixture('group-after-create-group'), GroupId: groupId, EventTime: String(eventTime), ...extra });
const infoChanged = (groupId: string, eventTime: number, fields: Payload): Payload => {
  const payload: Payload = { ...fixture('group-after-group-info-changed'), GroupId: groupId, EventTime: String(eventTime), ...fields };
  if (!('Notification' in fields)) delete payload.Notification;
  return payload;
};
const destroyed = (groupId: string, eventTime: number): Payload => ({ ...fixture('group-after-group-destroyed'), GroupId: groupId, EventTime: String(eventTime) });
const joined = (groupId: string, eventTime: number, userIds: string[], joinType = 'Apply'): Payload => ({
  ...fixture('group-after-new-member-join'),
  GroupId: groupId,
  JoinType: joinType,
  NewMemberList: members(...userIds),
  EventTime: String(eventTime),
});
const left = (groupId: string, eventTime: number, userIds: string[]): Payload => ({
  ...fixture('group-after-member-exit'),
  GroupId: groupId,
  ExitMemberList: members(...userIds),
  EventTime: String(eventTime),
});
const memberChanged = (groupId: string, eventTime: number, userId: string, fields: Payload): Payload => {
  const payload: Payload = { ...fixture('group-after-member-field-changed'), GroupId: groupId, Member_Account: userId, EventTime: String(eventTime), ...fields };
  for (const field of ['Role', 'NameCard']) if (!(field in fields)) delete payload[field];
  return payload;
};
const attrs = (groupId: string, eventTime: number, option: string, pairs: [string, string][]): Payload => ({
  ...fixture('group-after-group-attr-changed'),
  GroupId: groupId,
  OptionType: option,
  GroupAttr: pairs.map(([key, value]) => ({ key, value })),
  EventTime: String(eventTime),
});
const sent = (groupId: string, msgSeq: number, extra: Payload = {}): Payload => ({ ...fixture('group-after-send-msg'), GroupId: groupId, MsgSeq: msgSeq, ...extra });
const recalled = (groupId: string, msgSeqs: number[], eventTime: number, extra: Payload = {}): Payload => ({
  ...fixture('group-after-recall-msg'),
  GroupId: groupId,
  MsgSeqList: msgSeqs.map((MsgSeq) => ({ MsgSeq })),
  EventTime: String(eventTime),
  ...extra,
});
const extension = (groupId: string, msgSeq: number, seq: number, operateType: 1 | 2 | 3, items: [string, string, number][]): Payload => ({
  ...fixture('group-after-group-msg-extension'),
  GroupId: groupId,
  MsgSeq: msgSeq,
  Seq: seq,
  OperateType: operateType,
  ExtensionList: items.map(([Key, Value, Seq]) => ({ Key, Value, Seq })),
  EventTime: 1764688540000 + seq,
});
const receipt = (groupId: string, msgSeq: number, readNum: number): Payload => ({
  ...fixture('group-after-read-receipt'),
  GroupId: groupId,
  GroupMsgReceiptList: [{ MsgSeq: msgSeq, ReadNum: readNum, UnreadNum: 10 - readNum, ReadReceiptMembers: members('jared') }],
});

const COMMUNITY = '@TGS#_@TGS#cQVLVHIM62CJ';
const TOPIC = `${COMMUNITY}@TOPIC#_TestTopic`;
const TOPIC2 = `${COMMUNITY}@TOPIC#_TestTopic2`;

describe('Group projections and read API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Posts each payload as Tencent does and waits until its callback is processed (its projections written). */
  async function deliver(...payloads: Payload[]): Promise<void> {
    for (const payload of payloads) {
      const answer = await postCallback(t, payload);
      expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: OK });
      await t.inboxRow(await callbackDedupeKey(payload), ['processed']);
    }
  }

  const get = async (path: string): Promise<request.Response> => readApi(t, path);
  const group = async (groupId: string) => (await get(`/groups/${enc(groupId)}`)).body as Record<string, unknown>;
  const memberIds = async (groupId: string) => ((await get(`/groups/${enc(groupId)}/members?limit=500`)).body as { items: { userId: string }[] }).items.map((m) => m.userId);
  const message = async (groupId: string, msgSeq: number, topicId?: string) =>
    get(`/groups/${enc(groupId)}/messages/${msgSeq}${topicId === undefined ? '' : `?topicId=${enc(topicId)}`}`);

  function expectFailure(answer: request.Response, status: number): void {
    expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status, body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) } });
  }

  // One group's story, step by step: each test reads the state the previous ones left (run the describe whole).
  describe('a group through its life, in order', () => {
    const G = '@TGS#2J4SZEAEL';

    it('created: the profile, the owner and the initial members', async () => {
      await deliver(created(G, 1_000));
      expect(await group(G)).toEqual({
        groupId: G,
        type: 'Public',
        name: 'MyFirstGroup',
        ownerAccount: 'leckie',
        introduction: null,
        notification: null,
        faceUrl: null,
        memberCount: null,
        maxMemberCount: null,
        full: false,
        destroyed: false,
        attributes: {},
        createdAt: 1_000,
      });
      const list = await get(`/groups/${enc(G)}/members`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        items: [
          { userId: 'bob', role: null, joinedAt: 1_000, joinType: null, operator: 'leckie', nameCard: null, mutedUntil: null },
          { userId: 'leckie', role: 'Owner', joinedAt: 1_000, joinType: null, operator: 'leckie', nameCard: null, mutedUntil: null },
          { userId: 'peter', role: null, joinedAt: 1_000, joinType: null, operator: 'leckie', nameCard: null, mutedUntil: null },
        ],
        nextCursor: null,
      });
    });

    it('info changed: only the fields sent change', async () => {
      await deliver(infoChanged(G, 2_000, { Notification: 'New Notification' }), infoChanged(G, 2_001, { Introduction: 'Red packets', FaceUrl: 'https://example.com/g.png' }));
      expect(await group(G)).toMatchObject({ name: 'MyFirstGroup', notification: 'New Notification', introduction: 'Red packets', faceUrl: 'https://example.com/g.png' });
    });

    it('attributes changed: set, modify, delete, clear', async () => {
      await deliver(attrs(G, 3_000, 'modify', [['a', '1'], ['b', '2']]));
      expect((await group(G)).attributes).toEqual({ a: '1', b: '2' });
      await deliver(attrs(G, 3_001, 'delete', [['a', '']]));
      expect((await group(G)).attributes).toEqual({ b: '2' });
      await deliver(attrs(G, 3_002, 'set', [['c', '3']]));
      expect((await group(G)).attributes).toEqual({ c: '3' });
      await deliver(attrs(G, 3_003, 'clear', []));
      expect((await group(G)).attributes).toEqual({});
    });

    it('members join, change, leave; owner changes; the group fills and empties', async () => {
      await deliver(joined(G, 4_000, ['jared', 'tommy'], 'Invited'));
      await deliver(memberChanged(G, 4_001, 'jared', { Role: 'Admin', NameCard: 'Jared the admin' }));
      await deliver({ ...fixture('group-after-change-group-owner'), GroupId: G, EventTime: '4002' });
      await deliver({ ...fixture('group-after-group-full'), GroupId: G, EventTime: '4003' });
      expect(await group(G)).toMatchObject({ ownerAccount: 'jared', full: true });
      const items = ((await get(`/groups/${enc(G)}/members`)).body as { items: Record<string, unknown>[] }).items;
      expect(items.find((m) => m.userId === 'jared')).toEqual({
        userId: 'jared',
        role: 'Owner',
        joinedAt: 4_000,
        joinType: 'Invited',
        operator: 'leckie',
        nameCard: 'Jared the admin',
        mutedUntil: null,
      });
      expect(items.find((m) => m.userId === 'leckie')).toMatchObject({ role: 'Member' });

      await deliver(left(G, 4_004, ['bob', 'tommy']));
      expect(await memberIds(G)).toEqual(['jared', 'leckie', 'peter']);
      expect(await group(G)).toMatchObject({ full: false });
    });

    it('destroyed', async () => {
      await deliver(destroyed(G, 5_000));
      expect(await group(G)).toMatchObject({ destroyed: true, name: 'MyFirstGroup', createdAt: 1_000 });
    });
  });

  describe('out of order and twice', () => {
    const profileCallbacks = (g: string) => [
      created(g, 1_000, { Name: 'first' }),
      infoChanged(g, 2_000, { Name: 'second' }),
      infoChanged(g, 3_000, { Name: 'third', Introduction: 'intro' }),
      { ...fixture('group-after-change-group-owner'), GroupId: g, EventTime: '2500' },
    ];

    it.each(permutations([0, 1, 2, 3]).map((order) => [order.join('')]))('profile callbacks in order %s end in the newest values', async (order) => {
      const g = `@TGS#order${order}`;
      const callbacks = profileCallbacks(g);
      const payloads = [...order].map((i) => callbacks[Number(i)]!);
      await deliver(...payloads, ...payloads);
      expect(await group(g)).toMatchObject({ name: 'third', introduction: 'intro', ownerAccount: 'jared', createdAt: 1_000, destroyed: false });
    });

    it('destroyed before its own creation arrives: destroyed; created again later: not destroyed', async () => {
      const g = '@TGS#custom-id';
      await deliver(destroyed(g, 2_000), created(g, 1_000));
      expect(await group(g)).toMatchObject({ destroyed: true, createdAt: 1_000 });
      await deliver(created(g, 3_000, { Name: 'again' }));
      expect(await group(g)).toMatchObject({ destroyed: false, name: 'again', createdAt: 3_000 });
    });

    it('a member who left, then a late older join: not a member; the join again later: a member', async () => {
      const g = '@TGS#late-join';
      await deliver(left(g, 2_000, ['jared']), joined(g, 1_000, ['jared', 'tommy']));
      expect(await memberIds(g)).toEqual(['tommy']);
      await deliver(joined(g, 3_000, ['jared']));
      expect(await memberIds(g)).toEqual(['jared', 'tommy']);
    });

    it('joins and exits of the same users delivered concurrently: each user as of their newest callback', async () => {
      const g = '@TGS#concurrent';
      const users = Array.from({ length: 12 }, (_, i) => `user${String(i).padStart(2, '0')}`);
      // Each callback lists every user, in a different order; the newest (time 1_009) is an exit of the even ones.
      const payloads: Payload[] = [];
      for (let i = 0; i < 9; i++) {
        const order = i % 2 === 0 ? users : [...users].reverse();
        payloads.push(i % 3 === 0 ? left(g, 1_000 + i, order) : joined(g, 1_000 + i, order));
      }
      payloads.push(left(g, 1_009, users.filter((_, i) => i % 2 === 0)));
      // Sent together, newest first, so that arrival order alone would get it wrong.
      await Promise.all([...payloads].reverse().map((payload) => deliver(payload)));
      // Odd users: newest is time 1_008 (8 % 3 != 0: a join).
      expect(await memberIds(g)).toEqual(users.filter((_, i) => i % 2 === 1));
    });

    it('a join and an exit in the same millisecond: not a member, whichever arrives first', async () => {
      await deliver(joined('@TGS#tie1', 1_000, ['jared']), left('@TGS#tie1', 1_000, ['jared']));
      await deliver(left('@TGS#tie2', 1_000, ['jared']), joined('@TGS#tie2', 1_000, ['jared']));
      expect(await memberIds('@TGS#tie1')).toEqual([]);
      expect(await memberIds('@TGS#tie2')).toEqual([]);
    });

    it('a name card change before the join, and an older one after it: the newest name card, once a member', async () => {
      const g = '@TGS#namecard';
      await deliver(memberChanged(g, 3_000, 'jared', { NameCard: 'new' }));
      expect(await memberIds(g)).toEqual([]);
      await deliver(joined(g, 1_000, ['jared']), memberChanged(g, 2_000, 'jared', { NameCard: 'old', Role: 'Admin' }));
      expect((await get(`/groups/${enc(g)}/members`)).body.items).toEqual([
        { userId: 'jared', role: 'Admin', joinedAt: 1_000, joinType: 'Apply', operator: 'leckie', nameCard: 'new', mutedUntil: null },
      ]);
    });

    it('attributes: an older modify arriving after a newer set or delete does not bring keys back', async () => {
      const g = '@TGS#attrs';
      await deliver(attrs(g, 3_000, 'set', [['x', 'new']]), attrs(g, 2_000, 'modify', [['y', 'old'], ['x', 'old']]));
      expect((await group(g)).attributes).toEqual({ x: 'new' });
      await deliver(attrs(g, 5_000, 'delete', [['x', '']]), attrs(g, 4_000, 'modify', [['x', 'older']]));
      expect((await group(g)).attributes).toEqual({});
    });

    it('full then an older exit: still full; an exit after it: not full', async () => {
      const g = '@TGS#full';
      await deliver({ ...fixture('group-after-group-full'), GroupId: g, EventTime: '2000' }, left(g, 1_000, ['bob']));
      expect(await group(g)).toMatchObject({ full: true });
      await deliver(left(g, 3_000, ['peter']));
      expect(await group(g)).toMatchObject({ full: false });
    });
  });

  describe('messages', () => {
    const G = '@TGS#messages';

    it('lists by msgSeq whatever the arrival order, with every GroupMessage field', async () => {
      await deliver(sent(G, 3), sent(G, 1), sent(G, 2), sent(G, 1));
      const list = await get(`/groups/${enc(G)}/messages`);
      expect(list.status).toBe(200);
      expect((list.body as { items: { msgSeq: number }[] }).items.map((m) => m.msgSeq)).toEqual([1, 2, 3]);
      expect((await message(G, 2)).body).toEqual({
        groupId: G,
        msgSeq: 2,
        topicId: null,
        from: 'jared',
        msgTime: 1490686222,
        msgRandom: 2837546,
        onlineOnly: false,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
        cloudCustomData: 'your cloud custom data',
        recalled: false,
        recalledAt: null,
        readCount: null,
        extensions: { seq: 0, items: [] },
      });
      expect(((await get(`/groups/${enc(G)}/messages?limit=2`)).body as { items: { msgSeq: number }[] }).items.map((m) => m.msgSeq)).toEqual([1, 2]);
    });

    it('a recall before its message: recalled once the message arrives; an older recall report keeps the earliest time', async () => {
      await deliver(recalled(G, [10], 5_000));
      expectFailure(await message(G, 10), 404);
      await deliver(sent(G, 10), recalled(G, [10, 11], 4_000));
      expect((await message(G, 10)).body).toMatchObject({ recalled: true, recalledAt: 4_000 });
      expect((await message(G, 2)).body).toMatchObject({ recalled: false, recalledAt: null });
    });

    it('read receipts: the greatest ReadNum stays', async () => {
      await deliver(receipt(G, 3, 2), receipt(G, 3, 1));
      expect((await message(G, 3)).body).toMatchObject({ readCount: 2 });
      await deliver(receipt(G, 3, 5));
      expect((await message(G, 3)).body).toMatchObject({ readCount: 5 });
    });

    it.each(permutations([0, 1, 2, 3]).map((order) => [order.join('')]))('extension changes in order %s end as applied by Seq', async (order) => {
      const msgSeq = 100 + Number(order);
      const changes = [
        extension(G, msgSeq, 1, 1, [['k1', 'v1', 1], ['k2', 'v2', 1]]),
        extension(G, msgSeq, 2, 1, [['k1', 'v1b', 2]]),
        extension(G, msgSeq, 3, 2, [['k2', '', 2]]),
        extension(G, msgSeq, 4, 1, [['k3', 'v3', 1]]),
      ];
      await deliver(sent(G, msgSeq), ...[...order].map((i) => changes[Number(i)]!));
      expect((await message(G, msgSeq)).body).toMatchObject({
        extensions: { seq: 4, items: [{ key: 'k1', value: 'v1b', seq: 2 }, { key: 'k3', value: 'v3', seq: 1 }] },
      });
    });

    it('a clear hides every key changed at or before it, whenever it arrives', async () => {
      await deliver(extension(G, 3, 2, 3, []), extension(G, 3, 1, 1, [['a', '1', 1]]), extension(G, 3, 3, 1, [['b', '2', 1]]));
      expect((await message(G, 3)).body).toMatchObject({ extensions: { seq: 3, items: [{ key: 'b', value: '2', seq: 1 }] } });
    });

    it('topic messages: MsgSeq counts per topic, apart from the group itself', async () => {
      const topicMsg = fixture('group-after-send-msg-topic');
      await deliver(topicMsg, { ...topicMsg, TopicId: TOPIC2, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'other topic' } }] });
      await deliver(recalled(COMMUNITY, [123], 9_000, { TopicId: TOPIC, Type: 'Community' }));
      expect((await message(COMMUNITY, 123, TOPIC)).body).toMatchObject({
        groupId: COMMUNITY,
        topicId: TOPIC,
        msgSeq: 123,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello topic' } }],
        recalled: true,
        recalledAt: 9_000,
      });
      expect((await message(COMMUNITY, 123, TOPIC2)).body).toMatchObject({ topicId: TOPIC2, recalled: false, body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'other topic' } }] });
      expectFailure(await message(COMMUNITY, 123), 404);
      expect((await get(`/groups/${enc(COMMUNITY)}/messages?topicId=${enc(TOPIC)}`)).body.items).toHaveLength(1);
      expect((await get(`/groups/${enc(COMMUNITY)}/messages`)).body).toEqual({ items: [] });
    });

    it('a failed send is kept, once, and is not a message', async () => {
      const failure = { ...fixture('group-send-msg-exception'), GroupId: G };
      await deliver(failure, failure);
      const rows = await t.db.select().from(groupMessageFailures).where(and(eq(groupMessageFailures.groupId, G)));
      expect(rows).toEqual([
        expect.objectContaining({ fromAccount: 'jared', msgRandom: 2837546, errorCode: 10023, errorInfo: 'The frequency of sending messages exceeds the limit.', topicId: '' }),
      ]);
    });

    it('answers 404 for an unknown message or group, 400 for a msgSeq that is not an integer', async () => {
      expectFailure(await message(G, 999), 404);
      expectFailure(await message('@TGS#nope', 1), 404);
      for (const bad of ['abc', '-1', '1.5', '1e3']) expectFailure(await get(`/groups/${enc(G)}/messages/${bad}`), 400);
    });
  });

  describe('topics', () => {
    it('created, renamed (when a TopicId is sent), destroyed; destroyed before created stays destroyed', async () => {
      const topicCreated = fixture('group-after-create-topic');
      await deliver(topicCreated, topicCreated);
      const renamed = { ...fixture('group-after-topic-info-changed'), TopicId: TOPIC, EventTime: String(Date.now() + 60_000) };
      await deliver(renamed);
      const list = await get(`/groups/${enc(COMMUNITY)}/topics`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [{ topicId: TOPIC, name: 'NewTopicName', createdAt: expect.any(Number), destroyed: false }] });

      // Destroys TOPIC and TOPIC2; TOPIC2's creation arrives late.
      await deliver(fixture('group-after-topic-destroyed'));
      await deliver({ ...topicCreated, TopicId: TOPIC2, Name: 'Second' });
      expect((await get(`/groups/${enc(COMMUNITY)}/topics`)).body).toEqual({
        items: [
          { topicId: TOPIC, name: 'NewTopicName', createdAt: expect.any(Number), destroyed: true },
          { topicId: TOPIC2, name: 'Second', createdAt: expect.any(Number), destroyed: true },
        ],
      });
    });

    it('a topic change without a TopicId (as documented) changes no topic', async () => {
      const before = (await get(`/groups/${enc(COMMUNITY)}/topics`)).body as unknown;
      const payload = { ...fixture('group-after-topic-info-changed'), Name: 'Unknowable', EventTime: String(Date.now() + 120_000) };
      await deliver(payload);
      expect((await get(`/groups/${enc(COMMUNITY)}/topics`)).body).toEqual(before);
    });
  });

  describe('members: paging and errors', () => {
    const G = '@TGS#paging';
    const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'];

    beforeAll(async () => {
      await deliver(joined(G, 1_000, USERS), left(G, 1_001, ['u3']));
    });

    it('pages through the current members with nextCursor', async () => {
      const seen: string[] = [];
      let path = `/groups/${enc(G)}/members?limit=2`;
      const cursors: (string | null)[] = [];
      for (;;) {
        const page = (await get(path)).body as { items: { userId: string }[]; nextCursor: string | null };
        seen.push(...page.items.map((m) => m.userId));
        cursors.push(page.nextCursor);
        if (page.nextCursor === null) break;
        path = `/groups/${enc(G)}/members?limit=2&cursor=${enc(page.nextCursor)}`;
      }
      expect(seen).toEqual(['u1', 'u2', 'u4', 'u5']);
      expect(cursors.at(-1)).toBeNull();
      expect(cursors).toHaveLength(2);
    });

    it('answers 400 for a cursor it did not give or a bad limit, 404 for an unknown group', async () => {
      for (const cursor of ['', '!!', 'a b', 'dTE=']) expectFailure(await get(`/groups/${enc(G)}/members?cursor=${enc(cursor)}`), 400);
      for (const route of ['members', 'messages', 'topics']) {
        for (const limit of ['0', '501', 'abc', '1.5']) expectFailure(await get(`/groups/${enc(G)}/${route}?limit=${limit}`), 400);
      }
      expectFailure(await get(`/groups/${enc('@TGS#nope')}`), 404);
      expectFailure(await get(`/groups/${enc('@TGS#nope')}/members`), 404);
      expect((await get(`/groups/${enc('@TGS#nope')}/topics`)).body).toEqual({ items: [] });
    });

    it('decodes the group id in the path: @ and # encoded or @ as is', async () => {
      expect((await get(`/groups/@TGS%23paging`)).body).toMatchObject({ groupId: G });
      expectFailure(await get('/groups/%40TGS'), 404);
    });

    it('answers 401 without the token', async () => {
      for (const path of [`/groups/${enc(G)}`, `/groups/${enc(G)}/members`, `/groups/${enc(G)}/messages`, `/groups/${enc(G)}/messages/1`, `/groups/${enc(G)}/topics`]) {
        expectFailure(await request(t.server).get(path), 401);
      }
    });
  });

  describe('Live group presence', () => {
    it('is emitted, not projected', async () => {
      const payload = { ...fixture('group-on-member-state-change'), EventTime: '1670574414123' };
      const emitted = t.events.waitFor('group.member.presence-changed', (e) => e.groupId === '@TGS#a6I4ZUUGO');
      await deliver(payload);
      expect(await emitted).toMatchObject({ online: false, members: ['brennan', 'jared'] });
      expectFailure(await get(`/groups/${enc('@TGS#a6I4ZUUGO')}`), 404);
    });
  });
});

describe('Group projections when a callback is dispatched again', () => {
  /** Fails the first dispatch of each message, after the group family's own listener has stored it, as a user listener that calls a service that is down would. */
  @Injectable()
  class FlakyListener {
    readonly failed = new Set<number>();
    @OnDomainEvent('group.message.sent')
    onSent(event: GroupMessageSentEvent): void {
      if (this.failed.has(event.msgSeq)) return;
      this.failed.add(event.msgSeq);
      throw new Error('notification service unavailable');
    }
  }
  @Module({ providers: [FlakyListener] })
  class FlakyModule {}

  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [FlakyModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a retry after a user listener failed is processed, and the message stays one, as first stored', async () => {
    const payload = sent('@TGS#retried', 7, { CloudCustomData: 'first' });
    expect((await postCallback(t, payload)).body).toEqual(OK);
    const key = await callbackDedupeKey(payload);
    const failed = await t.inboxRow(key, ['failed']);
    expect((await readApi(t, `/groups/${enc('@TGS#retried')}/messages/7`)).body).toMatchObject({ msgSeq: 7, cloudCustomData: 'first' });

    await t.db.update(webhookInbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(eq(webhookInbox.id, failed.id));
    await t.app.get(InboxRecoveryService).runOnce();

    expect(await t.inboxRow(key, ['processed'])).toMatchObject({ status: 'processed', attempts: 2 });
    expect((await readApi(t, `/groups/${enc('@TGS#retried')}/messages`)).body).toMatchObject({ items: [{ msgSeq: 7, cloudCustomData: 'first' }] });
    expect((await readApi(t, `/groups/${enc('@TGS#retried')}/messages`)).body.items).toHaveLength(1);
  });
});
