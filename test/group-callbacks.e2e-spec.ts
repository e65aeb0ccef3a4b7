import { Injectable, Module, type Type } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import {
  Decision,
  GroupBeforeApplyJoinGroupRequest,
  GroupBeforeCreateGroupRequest,
  GroupBeforeCreateTopicRequest,
  GroupBeforeInviteJoinGroupRequest,
  GroupBeforeSendMsgRequest,
  OnBeforeCallback,
  type BlockDecision,
  type InviteDecision,
  type MessageDecision,
  type PermissionDecision,
} from '../src/decisions/index.js';
import type { DomainEventMap, DomainEventName } from '../src/events/index.js';
import {
  GroupAttributesChangedEvent,
  GroupCreatedEvent,
  GroupDestroyedEvent,
  GroupFullEvent,
  GroupInfoChangedEvent,
  GroupMemberJoinedEvent,
  GroupMemberLeftEvent,
  GroupMemberPresenceChangedEvent,
  GroupMemberUpdatedEvent,
  GroupMessageExtensionChangedEvent,
  GroupMessageReadEvent,
  GroupMessageRecalledEvent,
  GroupMessageSendFailedEvent,
  GroupMessageSentEvent,
  GroupOwnerChangedEvent,
  GroupQuotaAlarmEvent,
  GroupTopicCreatedEvent,
  GroupTopicDestroyedEvent,
  GroupTopicUpdatedEvent,
} from '../src/events/index.js';
import { WebhookService } from '../src/webhook/webhook.service.js';
import { fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Payload = Record<string, unknown>;

const GROUP = '@TGS#2J4SZEAEL';
const COMMUNITY = '@TGS#_@TGS#cQVLVHIM62CJ';
const TOPIC = `${COMMUNITY}@TOPIC#_TestTopic`;
const TOPIC_2 = `${COMMUNITY}@TOPIC#_TestTopic2`;
const EVENT_TIME = 1670574414123;
const TEXT_BODY = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }];

/** One after command: its fixture, the event it becomes with the values taken from the payload, a distinct fact, and the field its dedupe key cannot do without. */
interface AfterCase {
  fixture: string;
  event: DomainEventName;
  eventClass: abstract new (...args: never[]) => object;
  expected: Record<string, unknown>;
  /** Another fact of the same kind: must not be taken for a duplicate. */
  distinct: (payload: Payload) => Payload;
  /** A field the dedupe key needs: without it the callback is refused 400, naming it. */
  keyField: string;
}

const AFTER_CASES: AfterCase[] = [
  {
    fixture: 'group-after-create-group',
    event: 'group.created',
    eventClass: GroupCreatedEvent,
    expected: {
      groupId: GROUP,
      type: 'Public',
      operator: 'leckie',
      owner: 'leckie',
      name: 'MyFirstGroup',
      members: ['bob', 'peter'],
      customFields: [
        { key: 'UserDefined1', value: 'hello' },
        { key: 'UserDefined2', value: 'world' },
      ],
      eventTime: EVENT_TIME,
    },
    // A custom GroupId created again after disbanding.
    distinct: (p) => ({ ...p, EventTime: String(EVENT_TIME + 60_000) }),
    keyField: 'GroupId',
  },
  {
    fixture: 'group-after-group-info-changed',
    event: 'group.info.changed',
    eventClass: GroupInfoChangedEvent,
    expected: { groupId: GROUP, type: 'Public', operator: 'admin', changes: { notification: 'New Notification' }, eventTime: EVENT_TIME },
    // Another change in the same millisecond.
    distinct: (p) => ({ ...p, Notification: undefined, Name: 'Renamed' }),
    keyField: 'GroupId',
  },
  {
    fixture: 'group-after-group-destroyed',
    event: 'group.destroyed',
    eventClass: GroupDestroyedEvent,
    expected: { groupId: GROUP, type: 'Public', owner: 'leckie', name: 'MyFirstGroup', members: ['leckie', 'peter'], eventTime: EVENT_TIME },
    distinct: (p) => ({ ...p, GroupId: '@TGS#OTHER' }),
    keyField: 'GroupId',
  },
  {
    fixture: 'group-after-group-full',
    event: 'group.full',
    eventClass: GroupFullEvent,
    expected: { groupId: GROUP, eventTime: EVENT_TIME },
    // The alert repeats when a later join fails because the group is full.
    distinct: (p) => ({ ...p, EventTime: String(EVENT_TIME + 1) }),
    keyField: 'GroupId',
  },
  {
    fixture: 'group-after-change-group-owner',
    event: 'group.owner.changed',
    eventClass: GroupOwnerChangedEvent,
    expected: { groupId: GROUP, type: 'Public', operator: 'leckie', oldOwner: 'leckie', newOwner: 'jared', eventTime: EVENT_TIME },
    distinct: (p) => ({ ...p, OldOwner_Account: 'jared', NewOwner_Account: 'tommy' }),
    keyField: 'NewOwner_Account',
  },
  {
    fixture: 'group-after-group-attr-changed',
    event: 'group.attributes.changed',
    eventClass: GroupAttributesChangedEvent,
    expected: {
      groupId: GROUP,
      type: 'Public',
      operator: 'leckie',
      operation: 'modify',
      attributes: [
        { key: 'attr_key1', value: 'attr_val1' },
        { key: 'attr_key2', value: 'attr_val2' },
      ],
      eventTime: EVENT_TIME,
    },
    distinct: (p) => ({ ...p, OptionType: 'delete', GroupAttr: [{ key: 'attr_key1', value: '' }] }),
    keyField: 'GroupId',
  },
  {
    fixture: 'group-after-new-member-join',
    event: 'group.member.joined',
    eventClass: GroupMemberJoinedEvent,
    expected: { groupId: GROUP, type: 'Public', joinType: 'Apply', operator: 'leckie', members: ['jared', 'tommy'], eventTime: EVENT_TIME },
    // Other users joining in the same millisecond.
    distinct: (p) => ({ ...p, NewMemberList: [{ Member_Account: 'peter' }] }),
    keyField: 'NewMemberList',
  },
  {
    fixture: 'group-after-member-exit',
    event: 'group.member.left',
    eventClass: GroupMemberLeftEvent,
    expected: { groupId: GROUP, type: 'Public', exitType: 'Kicked', operator: 'leckie', members: ['jared', 'tommy'], eventTime: EVENT_TIME },
    distinct: (p) => ({ ...p, EventTime: String(EVENT_TIME + 5_000) }),
    keyField: 'ExitMemberList',
  },
  {
    fixture: 'group-after-member-field-changed',
    event: 'group.member.updated',
    eventClass: GroupMemberUpdatedEvent,
    expected: { groupId: GROUP, type: 'Public', operator: 'leckie', userId: 'jared', role: 'Admin', nameCard: 'Jared the admin', eventTime: EVENT_TIME },
    distinct: (p) => ({ ...p, Member_Account: 'tommy' }),
    keyField: 'Member_Account',
  },
  {
    fixture: 'group-on-member-state-change',
    event: 'group.member.presence-changed',
    eventClass: GroupMemberPresenceChangedEvent,
    expected: { groupId: '@TGS#a6I4ZUUGO', type: null, state: 'Offline', online: false, cause: 'HeartbeatInterrupt', members: ['brennan', 'jared'] },
    distinct: (p) => ({ ...p, EventType: 'Online', EventCause: 'HeartbeatRecover' }),
    keyField: 'EventType',
  },
  {
    fixture: 'group-after-send-msg',
    event: 'group.message.sent',
    eventClass: GroupMessageSentEvent,
    expected: {
      groupId: GROUP,
      type: 'Public',
      topicId: null,
      from: 'jared',
      operator: 'admin',
      msgSeq: 123,
      msgRandom: 2837546,
      msgTime: 1490686222,
      msgId: null,
      onlineOnly: false,
      body: TEXT_BODY,
      cloudCustomData: 'your cloud custom data',
      eventTime: EVENT_TIME,
    },
    distinct: (p) => ({ ...p, MsgSeq: 124 }),
    keyField: 'MsgSeq',
  },
  {
    fixture: 'group-send-msg-exception',
    event: 'group.message.send-failed',
    eventClass: GroupMessageSendFailedEvent,
    expected: {
      groupId: GROUP,
      type: 'Public',
      topicId: null,
      from: 'jared',
      operator: 'admin',
      msgRandom: 2837546,
      onlineOnly: false,
      body: TEXT_BODY,
      cloudCustomData: 'your cloud custom data',
      errorCode: 10023,
      errorInfo: 'The frequency of sending messages exceeds the limit.',
      eventTime: EVENT_TIME,
    },
    // The same send failing for another reason.
    distinct: (p) => ({ ...p, ErrorCode: 10017, ErrorInfo: 'muted' }),
    keyField: 'Random',
  },
  {
    fixture: 'group-after-recall-msg',
    event: 'group.message.recalled',
    eventClass: GroupMessageRecalledEvent,
    expected: { groupId: GROUP, type: 'Public', topicId: null, operator: 'admin', msgSeqs: [120, 121], recalledAt: EVENT_TIME },
    distinct: (p) => ({ ...p, MsgSeqList: [{ MsgSeq: 122 }] }),
    keyField: 'MsgSeqList',
  },
  {
    fixture: 'group-after-group-msg-extension',
    event: 'group.message-extension.changed',
    eventClass: GroupMessageExtensionChangedEvent,
    expected: {
      groupId: GROUP,
      msgSeq: 123,
      operation: 'set',
      items: [
        { key: 'k1', value: 'v1', seq: 1 },
        { key: 'k2', value: 'v2', seq: 1 },
      ],
      seq: 1,
      eventTime: 1764688540182,
    },
    distinct: (p) => ({ ...p, OperateType: 2, ExtensionList: [{ Key: 'k1', Value: '', Seq: 2 }], Seq: 2 }),
    keyField: 'Seq',
  },
  {
    fixture: 'group-after-read-receipt',
    event: 'group.message.read',
    eventClass: GroupMessageReadEvent,
    expected: {
      groupId: GROUP,
      type: 'Public',
      receipts: [
        { msgSeq: 120, readNum: 1, unreadNum: 2, readers: ['jared'] },
        { msgSeq: 121, readNum: 2, unreadNum: 1, readers: ['jared', 'tommy'] },
      ],
      eventTime: EVENT_TIME,
    },
    // One more reader of message 120.
    distinct: (p) => ({ ...p, GroupMsgReceiptList: [{ MsgSeq: 120, ReadNum: 2, UnreadNum: 1, ReadReceiptMembers: [{ Member_Account: 'tommy' }] }] }),
    keyField: 'GroupMsgReceiptList',
  },
  {
    fixture: 'group-after-create-topic',
    event: 'group.topic.created',
    eventClass: GroupTopicCreatedEvent,
    expected: {
      groupId: COMMUNITY,
      topicId: TOPIC,
      type: 'Community',
      operator: 'leckie',
      owner: 'leckie',
      name: 'TestTopic',
      customFields: [{ key: 'UserDefined1', value: 'hello' }],
    },
    distinct: (p) => ({ ...p, TopicId: TOPIC_2, Name: 'TestTopic2' }),
    keyField: 'TopicId',
  },
  {
    fixture: 'group-after-topic-destroyed',
    event: 'group.topic.destroyed',
    eventClass: GroupTopicDestroyedEvent,
    expected: { groupId: COMMUNITY, type: 'Community', topicIds: [TOPIC, TOPIC_2] },
    distinct: (p) => ({ ...p, TopicIdList: [`${COMMUNITY}@TOPIC#_Other`] }),
    keyField: 'TopicIdList',
  },
  {
    fixture: 'group-after-topic-info-changed',
    event: 'group.topic.updated',
    eventClass: GroupTopicUpdatedEvent,
    expected: { groupId: COMMUNITY, topicId: null, type: 'Community', operator: 'leckie', changes: { name: 'NewTopicName', introduction: 'Topic introduction' } },
    distinct: (p) => ({ ...p, Name: 'Another name' }),
    keyField: 'GroupId',
  },
  {
    fixture: 'group-on-daily-group-quota-alarm',
    event: 'group.quota.alarm',
    eventClass: GroupQuotaAlarmEvent,
    expected: { quotaUsed: 7001, quota: 10000, eventTime: EVENT_TIME },
    distinct: (p) => ({ ...p, QuotaUsed: 7002, EventTime: EVENT_TIME + 1_000 }),
    keyField: 'QuotaUsed',
  },
];

/** Commands whose documented payload has no time: their retry is a duplicate only once Tencent sends EventTime. */
const WITHOUT_TIME = new Set(['group-on-member-state-change', 'group-after-topic-info-changed']);

/** A payload with the given fields removed. */
const without = (payload: Payload, ...fields: string[]): Payload => Object.fromEntries(Object.entries(payload).filter(([key]) => !fields.includes(key)));

/** The fixture, with EventTime added where its documented shape has none (so that a retry is recognisable). */
const timedFixture = (name: string): Payload => (WITHOUT_TIME.has(name) ? { ...fixture(name), EventTime: EVENT_TIME } : fixture(name));

describe('Group.* after callbacks', () => {
  let t: TestApp;

  // One app for the whole block (an app per test made this file the suite's slowest); each test
  // starts from an empty inbox and no recorded events, which is all these tests read.
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    await t.db.delete(webhookInbox);
    t.events.clear();
  });
  afterAll(async () => {
    await t.close();
  });

  const dedupeKeys = async (command: string): Promise<(string | null)[]> =>
    (await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, command))).map((row) => row.dedupeKey);

  it('models every after command of the protocol, each with its own DESIGN event', () => {
    expect(AFTER_CASES.map((c) => c.event).sort()).toEqual([
      'group.attributes.changed',
      'group.created',
      'group.destroyed',
      'group.full',
      'group.info.changed',
      'group.member.joined',
      'group.member.left',
      'group.member.presence-changed',
      'group.member.updated',
      'group.message-extension.changed',
      'group.message.read',
      'group.message.recalled',
      'group.message.send-failed',
      'group.message.sent',
      'group.owner.changed',
      'group.quota.alarm',
      'group.topic.created',
      'group.topic.destroyed',
      'group.topic.updated',
    ]);
  });

  describe.each(AFTER_CASES)('$fixture', (c) => {
    it(`answers OK and emits ${c.event} with the payload's values in camelCase, the raw callback and its metadata`, async () => {
      const payload = fixture(c.fixture);

      const answer = await postCallback(t, payload);

      expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: OK });
      const events = t.events.of(c.event);
      expect(events).toHaveLength(1);
      expect(events[0]).toBeInstanceOf(c.eventClass);
      expect(events[0]).toMatchObject({ ...c.expected, raw: payload });
      expect((events[0] as DomainEventMap[typeof c.event]).metadata).toMatchObject({ command: payload.CallbackCommand, sdkAppId: '1400000000', attempt: 1 });
      expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', c.event]);
    });

    it('takes a retry of the same payload for a duplicate (one event, one row), and a distinct fact for a new one', async () => {
      const payload = timedFixture(c.fixture);
      const command = String(payload.CallbackCommand);

      for (let i = 0; i < 2; i++) expect((await postCallback(t, payload)).body).toEqual(OK);
      expect(t.events.of(c.event)).toHaveLength(1);
      expect(await dedupeKeys(command)).toHaveLength(1);

      expect((await postCallback(t, c.distinct(payload))).body).toEqual(OK);
      expect(t.events.of(c.event)).toHaveLength(2);
      const keys = await dedupeKeys(command);
      expect(new Set(keys).size).toBe(2);
    });

    it(`refuses a payload without ${c.keyField} with 400 naming it, and keeps it as rejected`, async () => {
      const payload = without(fixture(c.fixture), c.keyField);

      const answer = await postCallback(t, payload);

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
      expect(answer.body.ErrorInfo).toContain(c.keyField);
      expect(t.events.of(c.event)).toHaveLength(0);
      const rows = await t.db.select().from(webhookInbox);
      expect(rows).toMatchObject([{ status: 'rejected', command: payload.CallbackCommand }]);
    });
  });

  describe('group messages', () => {
    it('keys a message by (GroupId, TopicId, MsgSeq): the same MsgSeq in another topic, or in the community itself, is another message', async () => {
      const inTopic = fixture('group-after-send-msg-topic');
      const otherTopic = { ...inTopic, TopicId: TOPIC_2 };
      const community = without(inTopic, 'TopicId');

      for (const payload of [inTopic, otherTopic, community, inTopic, { ...inTopic, TopicId: TOPIC }]) {
        expect((await postCallback(t, payload)).body).toEqual(OK);
      }

      const sent = t.events.of('group.message.sent');
      expect(sent.map((e) => [e.topicId, e.msgSeq])).toEqual([
        [TOPIC, 123],
        [TOPIC_2, 123],
        [null, 123],
      ]);
      expect(sent[0]).toMatchObject({ groupId: COMMUNITY, type: 'Community', from: 'jared', msgRandom: 5551234, msgTime: 1490686300, eventTime: 1670574414200 });
    });

    it('takes an empty TopicId for the group itself, and a retry with EventTime as a number for a duplicate', async () => {
      const seed = fixture('group-after-send-msg');
      for (const payload of [seed, { ...seed, TopicId: '', EventTime: EVENT_TIME }]) expect((await postCallback(t, payload)).body).toEqual(OK);

      expect(t.events.of('group.message.sent')).toHaveLength(1);
    });

    it('keeps a TRTC Live room message: Type Live, its MsgId, no OnlineOnlyFlag', async () => {
      const live = fixture('group-after-send-msg-live');

      expect((await postCallback(t, live)).body).toEqual(OK);

      const [event] = t.events.of('group.message.sent');
      expect(event).toMatchObject({
        groupId: 'live_room_1',
        type: 'Live',
        from: 'viewer_7',
        msgSeq: 88,
        msgRandom: 4026038328,
        msgId: '144115233874815003-1727580296-4026038328',
        onlineOnly: false,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi host' } }],
      });
    });

    it('takes a recall of the same messages in another order for a duplicate, and keeps the recall topic', async () => {
      const recall = { ...fixture('group-after-recall-msg'), TopicId: TOPIC };
      for (const payload of [recall, { ...recall, MsgSeqList: [{ MsgSeq: 121 }, { MsgSeq: 120 }] }]) expect((await postCallback(t, payload)).body).toEqual(OK);

      expect(t.events.of('group.message.recalled')).toMatchObject([{ topicId: TOPIC, msgSeqs: [120, 121] }]);
      // The same MsgSeq recalled in another topic is another message.
      expect((await postCallback(t, { ...recall, TopicId: TOPIC_2 })).body).toEqual(OK);
      expect(t.events.of('group.message.recalled')).toHaveLength(2);
    });

    it('names the extension operation for delete and clear', async () => {
      const seed = fixture('group-after-group-msg-extension');
      await postCallback(t, { ...seed, OperateType: 2, ExtensionList: [{ Key: 'k1', Value: '', Seq: 2 }], Seq: 2 });
      await postCallback(t, { ...seed, OperateType: 3, ExtensionList: [], Seq: 3 });

      expect(t.events.of('group.message-extension.changed').map((e) => [e.operation, e.seq, e.items.length])).toEqual([
        ['delete', 2, 1],
        ['clear', 3, 0],
      ]);
    });
  });

  describe('membership', () => {
    it('takes the same members in another order for a duplicate join', async () => {
      const join = fixture('group-after-new-member-join');
      const reordered = { ...join, NewMemberList: [{ Member_Account: 'tommy' }, { Member_Account: 'jared' }] };
      for (const payload of [join, reordered]) expect((await postCallback(t, payload)).body).toEqual(OK);

      expect(t.events.of('group.member.joined')).toHaveLength(1);
    });

    it('accepts the member as Modified_Account (the Java SDK spelling), and refuses a payload with neither', async () => {
      const seed = without(fixture('group-after-member-field-changed'), 'Member_Account');

      expect((await postCallback(t, { ...seed, Modified_Account: 'tommy' })).body).toEqual(OK);
      expect(t.events.of('group.member.updated')).toMatchObject([{ userId: 'tommy', role: 'Admin' }]);

      const neither = await postCallback(t, seed);
      expect(neither.status).toBe(400);
      expect(neither.body.ErrorInfo).toContain('Member_Account');
    });

    it('emits a member-state change without EventTime (as documented) timed by its receipt, each delivery as its own fact', async () => {
      const offline = fixture('group-on-member-state-change');
      const before = Date.now();

      for (let i = 0; i < 2; i++) expect((await postCallback(t, offline)).body).toEqual(OK);

      // Nothing tells a retry from a second flap: both are kept and emitted, never merged.
      const events = t.events.of('group.member.presence-changed');
      expect(events).toHaveLength(2);
      expect(events[0]!.eventTime).toBeGreaterThanOrEqual(before);
      expect(events[0]!.metadata.eventTimeIsReceipt).toBe(true);
    });
  });

  describe('topics', () => {
    it('emits a topic info change without TopicId or EventTime, each delivery as its own fact (a name can change back)', async () => {
      const renamed = fixture('group-after-topic-info-changed');

      for (let i = 0; i < 2; i++) expect((await postCallback(t, renamed)).body).toEqual(OK);

      expect(t.events.of('group.topic.updated')).toHaveLength(2);
    });

    it('keeps a TopicId when Tencent sends one with the info change', async () => {
      expect((await postCallback(t, { ...fixture('group-after-topic-info-changed'), TopicId: TOPIC })).body).toEqual(OK);

      expect(t.events.of('group.topic.updated')).toMatchObject([{ topicId: TOPIC }]);
    });

    it('takes the same destroyed topics in another order for a duplicate', async () => {
      const destroyed = fixture('group-after-topic-destroyed');
      for (const payload of [destroyed, { ...destroyed, TopicIdList: [TOPIC_2, TOPIC] }]) expect((await postCallback(t, payload)).body).toEqual(OK);

      expect(t.events.of('group.topic.destroyed')).toHaveLength(1);
    });
  });

  it('tolerates unknown fields and keeps them in the raw callback', async () => {
    const payload = { ...fixture('group-after-send-msg'), GroupAtInfo: [{ GroupAtAllFlag: 0, GroupAt_Account: 'tommy' }], SomethingNew: { x: 1 } };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    expect(t.events.of('group.message.sent')[0]!.raw).toEqual(payload);
  });
});

/** A module with one handler class, as a user would write it. */
function moduleWith(...providers: Type[]): Type {
  @Module({ providers })
  class HandlersModule {}
  return HandlersModule;
}

const ALLOW = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

const BEFORE_FIXTURES = [
  'group-before-send-msg',
  'group-before-create-group',
  'group-before-apply-join-group',
  'group-before-invite-join-group',
  'group-before-create-topic',
];

describe('Group.* before callbacks', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const decisions = async () => {
    await t.app.get(WebhookService).auditsWritten();
    return (await t.db.select().from(webhookInbox).where(eq(webhookInbox.status, 'decided'))).map((row) => row.decision as { outcome: string });
  };

  it.each(BEFORE_FIXTURES)('%s: allows when no handler is registered, and emits nothing but webhook.received', async (name) => {
    t = await createTestApp();

    const answer = await postCallback(t, fixture(name));

    expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: ALLOW });
    expect(await decisions()).toMatchObject([{ outcome: 'allow' }]);
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received']);
  });

  describe('Group.CallbackBeforeSendMsg', () => {
    const seen: GroupBeforeSendMsgRequest[] = [];
    @Injectable()
    class Moderation {
      @OnBeforeCallback('Group.CallbackBeforeSendMsg')
      decide(request: GroupBeforeSendMsgRequest): MessageDecision {
        seen.push(request);
        const text = (request.body[0]?.MsgContent as { Text?: string } | undefined)?.Text ?? '';
        if (text.includes('spam')) return Decision.drop();
        if (text.includes('banned')) return Decision.block({ code: 10_150, message: 'Not in this group.' });
        if (text.includes('refused')) return Decision.block();
        if (text.includes('bad-code')) return Decision.block({ code: 120_500, message: 'a one-to-one code' }) as BlockDecision;
        if (text.includes('secret')) return Decision.change({ msgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '***' } }], cloudCustomData: 'redacted' });
        return Decision.allow();
      }
    }
    const send = (text: string): Payload => ({ ...fixture('group-before-send-msg'), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }] });

    beforeEach(async () => {
      seen.length = 0;
      t = await createTestApp({ imports: [moduleWith(Moderation)] });
    });

    it('hands the handler the message in camelCase, and allows it', async () => {
      const payload = { ...fixture('group-before-send-msg'), TopicId: TOPIC, GroupId: COMMUNITY, Type: 'Community' };

      expect((await postCallback(t, payload)).body).toEqual(ALLOW);

      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(GroupBeforeSendMsgRequest);
      expect(seen[0]).toMatchObject({
        groupId: COMMUNITY,
        type: 'Community',
        topicId: TOPIC,
        from: 'jared',
        operator: 'admin',
        msgRandom: 2837546,
        onlineOnly: false,
        body: TEXT_BODY,
        cloudCustomData: 'your cloud custom data',
        eventTime: EVENT_TIME,
      });
      expect(seen[0]!.context).toMatchObject({ command: 'Group.CallbackBeforeSendMsg', sdkAppId: '1400000000' });
    });

    it('changes the body and CloudCustomData members receive', async () => {
      expect((await postCallback(t, send('a secret'))).body).toEqual({
        ...ALLOW,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '***' } }],
        CloudCustomData: 'redacted',
      });
      expect(await decisions()).toMatchObject([{ outcome: 'change' }]);
    });

    it('blocks with code 1 or a custom code of 10100-10200 and its message, and drops silently with 2', async () => {
      expect((await postCallback(t, send('refused'))).body).toEqual({ ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: '' });
      expect((await postCallback(t, send('banned word'))).body).toEqual({ ActionStatus: 'OK', ErrorCode: 10_150, ErrorInfo: 'Not in this group.' });
      expect((await postCallback(t, send('spam'))).body).toEqual({ ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' });
    });

    it('does not pass on a code outside the group range: the handler error allows (fail-open)', async () => {
      expect((await postCallback(t, send('bad-code'))).body).toEqual(ALLOW);
      const [decision] = await decisions();
      expect(JSON.stringify(decision)).toContain('block code 120500 is outside 1 or 10100-10200');
    });
  });

  describe('creating and joining', () => {
    const seen: object[] = [];
    @Injectable()
    class Gatekeeper {
      @OnBeforeCallback('Group.CallbackBeforeCreateGroup')
      create(request: GroupBeforeCreateGroupRequest): PermissionDecision {
        seen.push(request);
        return request.createdGroupCount !== null && request.createdGroupCount >= 5 ? Decision.block({ code: 10_100, message: 'Too many groups.' }) : Decision.allow();
      }
      @OnBeforeCallback('Group.CallbackBeforeApplyJoinGroup')
      apply(request: GroupBeforeApplyJoinGroupRequest): PermissionDecision {
        seen.push(request);
        return request.requestor === 'leckie' ? Decision.block() : Decision.allow();
      }
      @OnBeforeCallback('Group.CallbackBeforeInviteJoinGroup', { order: 1 })
      banned(request: GroupBeforeInviteJoinGroupRequest): InviteDecision {
        seen.push(request);
        if (request.groupId === '@TGS#CLOSED') return Decision.block({ code: 10_200, message: 'Closed group.' });
        return Decision.refuseMembers(request.invitees.filter((id) => id.startsWith('banned')));
      }
      @OnBeforeCallback('Group.CallbackBeforeInviteJoinGroup', { order: 2 })
      noTommy(request: GroupBeforeInviteJoinGroupRequest): InviteDecision {
        return request.invitees.includes('tommy') ? Decision.refuseMembers(['tommy', 'banned_user']) : Decision.allow();
      }
      @OnBeforeCallback('Group.CallbackBeforeCreateTopic')
      topic(request: GroupBeforeCreateTopicRequest): PermissionDecision {
        seen.push(request);
        return request.name === 'Forbidden' ? Decision.block({ code: 10_101, message: 'Pick another name.' }) : Decision.allow();
      }
    }

    beforeEach(async () => {
      seen.length = 0;
      t = await createTestApp({ imports: [moduleWith(Gatekeeper)] });
    });

    it('refuses some invitees with RefusedMembers_Account, accumulated across handlers, and lets the others in', async () => {
      const answer = await postCallback(t, fixture('group-before-invite-join-group'));

      expect(answer.body).toEqual({ ...ALLOW, RefusedMembers_Account: ['banned_user', 'tommy'] });
      expect(answer.body).not.toHaveProperty('RefusedSubscribers_Account');
      expect(seen[0]).toBeInstanceOf(GroupBeforeInviteJoinGroupRequest);
      expect(seen[0]).toMatchObject({ groupId: GROUP, type: 'Public', operator: 'leckie', invitees: ['jared', 'tommy', 'banned_user'], eventTime: EVENT_TIME });
      expect(await decisions()).toMatchObject([{ outcome: 'refuse-members' }]);
    });

    it('allows an invitation nobody refuses, and rejects a whole invitation with its code', async () => {
      expect((await postCallback(t, { ...fixture('group-before-invite-join-group'), DestinationMembers: [{ Member_Account: 'jared' }] })).body).toEqual(ALLOW);
      expect((await postCallback(t, { ...fixture('group-before-invite-join-group'), GroupId: '@TGS#CLOSED' })).body).toEqual({
        ActionStatus: 'OK',
        ErrorCode: 10_200,
        ErrorInfo: 'Closed group.',
      });
    });

    it('blocks a group creation with a custom code, and allows another', async () => {
      const seed = fixture('group-before-create-group');
      expect((await postCallback(t, seed)).body).toEqual(ALLOW);
      expect((await postCallback(t, { ...seed, CreateGroupNum: 5 })).body).toEqual({ ActionStatus: 'OK', ErrorCode: 10_100, ErrorInfo: 'Too many groups.' });
      expect(seen[0]).toBeInstanceOf(GroupBeforeCreateGroupRequest);
      expect(seen[0]).toMatchObject({ operator: 'leckie', owner: 'leckie', type: 'Public', name: 'MyFirstGroup', createdGroupCount: 1, members: ['bob', 'peter'] });
    });

    it('refuses an application to join with code 1, and allows another applicant', async () => {
      const seed = fixture('group-before-apply-join-group');
      expect((await postCallback(t, seed)).body).toEqual({ ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: '' });
      expect((await postCallback(t, { ...seed, Requestor_Account: 'jared' })).body).toEqual(ALLOW);
      expect(seen[0]).toMatchObject({ groupId: GROUP, type: 'Public', requestor: 'leckie', eventTime: EVENT_TIME });
    });

    it('blocks a topic creation by name; the community is unknown (not documented) unless sent', async () => {
      const seed = fixture('group-before-create-topic');
      expect((await postCallback(t, seed)).body).toEqual(ALLOW);
      expect((await postCallback(t, { ...seed, Name: 'Forbidden', GroupId: COMMUNITY })).body).toEqual({ ActionStatus: 'OK', ErrorCode: 10_101, ErrorInfo: 'Pick another name.' });
      expect(seen).toMatchObject([
        { groupId: null, operator: 'leckie', type: 'Community', name: 'TestTopic', eventTime: null },
        { groupId: COMMUNITY, name: 'Forbidden' },
      ]);
    });
  });

  it('refuses an invalid before callback with 400 naming the field', async () => {
    t = await createTestApp();
    const answer = await postCallback(t, without(fixture('group-before-invite-join-group'), 'DestinationMembers'));
    expect(answer.status).toBe(400);
    expect(answer.body.ErrorInfo).toContain('DestinationMembers');
  });
});
