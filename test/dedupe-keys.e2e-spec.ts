/**
 * The test kit's dedupe keys against the keys the service stores: `callbackDedupeKey(payload)` is
 * the inbox row's key for every modelled command, `dedupeKeyOf` with the parts README's "Dedupe
 * keys" table lists gives the same key, and `unmodelledDedupeKey` is the key of a command the
 * project does not model.
 */
import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { CallbackRegistry } from '../src/webhook/commands/callback-registry.js';
import {
  CALLBACK_SAMPLES,
  callbackDedupeKey,
  callbackSample,
  createTestApp,
  dedupeKeyOf,
  OK,
  postCallback,
  unmodelledDedupeKey,
  type CallbackSample,
  type TestApp,
} from '../src/testing/index.js';

type Fields = Record<string, unknown> & { Info?: Record<string, unknown> };
const users = (c: Fields): string[] => [String(c.From_Account), String(c.To_Account)].sort();
const digest = (ids: unknown[]): string => createHash('sha256').update(JSON.stringify([...new Set(ids.map(String))].sort())).digest('hex');
/** README's "digest": SHA-256 of the listed values as a JSON array (order kept). */
const valuesDigest = (values: unknown[]): string => createHash('sha256').update(JSON.stringify(values)).digest('hex');
const members = (list: unknown): unknown[] => ((list as Fields[] | undefined) ?? []).map((m) => m.Member_Account);
const topic = (c: Fields): string => (c.TopicId === undefined || c.TopicId === '' ? '' : String(c.TopicId));
const profile = (c: Fields): unknown[] => [c.Operator_Account ?? null, c.Name ?? null, c.Introduction ?? null, c.Notification ?? null, c.FaceUrl ?? null];
/** EventTime as sent, or "" (never the receipt time): topic creation and destruction. */
const sentTime = (c: Fields): number | string => (c.EventTime === undefined ? '' : Number(c.EventTime));
/** The time part: EventTime in milliseconds, or without one `received:<ms>`, the receipt time. */
const timeOf = (c: Fields, receivedAt?: Date): number | string =>
  c.EventTime === undefined || c.EventTime === null ? `received:${receivedAt!.getTime()}` : Number(c.EventTime);

/** README, "Dedupe keys": the parts of each modelled command's key, after the command. */
const README_PARTS: Record<string, (c: Fields, receivedAt?: Date) => (string | number)[]> = {
  'C2C.CallbackAfterSendMsg': (c) => [...users(c), String(c.MsgKey)],
  'C2C.CallbackAfterC2CMsgExtension': (c) => [...users(c), String(c.MsgKey), Number(c.Seq)],
  'C2C.CallbackAfterMsgReport': (c) => [String(c.Report_Account), String(c.Peer_Account), Number(c.LastReadTime)],
  'C2C.CallbackAfterMsgWithDraw': (c) => [...users(c), String(c.MsgKey)],
  'C2C.CallbackAfterModifyMsg': (c, at) => [...users(c), String(c.MsgKey), timeOf(c, at)],
  'OfficialAccount.CallbackAfterSendMsg': (c) => [String(c.Official_Account), String(c.MsgKey)],
  'OfficialAccount.CallbackAfterCreateOfficialAccount': (c, at) => [String(c.Official_Account), timeOf(c, at)],
  'OfficialAccount.CallbackAfterOfficialAccountInfoChanged': (c, at) => [String(c.Official_Account), timeOf(c, at)],
  'OfficialAccount.CallbackAfterOfficialAccountDestroyed': (c, at) => [String(c.Official_Account), timeOf(c, at)],
  'OfficialAccount.CallbackAfterOfficialAccountFull': (c, at) => [String(c.Official_Account), timeOf(c, at)],
  'OfficialAccount.CallbackAfterAddSubscriber': (c, at) => [
    String(c.Official_Account),
    timeOf(c, at),
    digest((c.SubscribeAccountList as Fields[]).map((s) => s.Subscriber_Account)),
  ],
  'OfficialAccount.CallbackAfterDeleteSubscriber': (c, at) => [
    String(c.Official_Account),
    timeOf(c, at),
    digest((c.SubscribeAccountList as Fields[]).map((s) => s.Subscriber_Account)),
  ],
  'OfficialAccount.CallbackAfterMsgWithDraw': (c, at) => [String(c.Official_Account), timeOf(c, at), digest((c.WithdrawMsgList as Fields[]).map((m) => m.MsgKey))],
  'State.StateChange': (c, at) => [String(c.Info!.To_Account), timeOf(c, at), String(c.Info!.Action)],
  'Group.CallbackAfterCreateGroup': (c, at) => [String(c.GroupId), timeOf(c, at)],
  'Group.CallbackAfterGroupDestroyed': (c, at) => [String(c.GroupId), timeOf(c, at)],
  'Group.CallbackAfterGroupFull': (c, at) => [String(c.GroupId), timeOf(c, at)],
  'Group.CallbackAfterGroupInfoChanged': (c, at) => [String(c.GroupId), timeOf(c, at), valuesDigest(profile(c))],
  'Group.CallbackAfterChangeGroupOwner': (c, at) => [String(c.GroupId), String(c.NewOwner_Account), timeOf(c, at)],
  'Group.CallbackAfterGroupAttrChanged': (c, at) => [
    String(c.GroupId),
    timeOf(c, at),
    valuesDigest([c.OptionType ?? null, ((c.GroupAttr as Fields[] | undefined) ?? []).map((a) => [a.key, a.value])]),
  ],
  'Group.CallbackAfterNewMemberJoin': (c, at) => [String(c.GroupId), timeOf(c, at), digest(members(c.NewMemberList))],
  'Group.CallbackAfterMemberExit': (c, at) => [String(c.GroupId), timeOf(c, at), digest(members(c.ExitMemberList))],
  'Group.CallbackAfterMemberFieldChanged': (c, at) => [
    String(c.GroupId),
    String(c.Member_Account ?? c.Modified_Account),
    timeOf(c, at),
    valuesDigest([c.Role ?? null, c.NameCard ?? null]),
  ],
  'Group.CallbackOnMemberStateChange': (c, at) => [String(c.GroupId), String(c.EventType), timeOf(c, at), digest(members(c.MemberList))],
  'Group.CallbackAfterSendMsg': (c) => [String(c.GroupId), topic(c), Number(c.MsgSeq)],
  'Group.CallbackSendMsgException': (c) => [String(c.GroupId), topic(c), String(c.From_Account), Number(c.Random), Number(c.ErrorCode)],
  'Group.CallbackAfterRecallMsg': (c) => [String(c.GroupId), topic(c), digest((c.MsgSeqList as Fields[]).map((m) => m.MsgSeq))],
  'Group.CallbackAfterGroupMsgExtension': (c) => [String(c.GroupId), Number(c.MsgSeq), Number(c.Seq)],
  'Group.CallbackAfterReadReceipt': (c) => [
    String(c.GroupId),
    valuesDigest((c.GroupMsgReceiptList as Fields[]).map((r) => [r.MsgSeq, r.ReadNum]).sort(([a, x], [b, y]) => Number(a) - Number(b) || Number(x) - Number(y))),
  ],
  'Group.CallbackAfterCreateTopic': (c) => [String(c.GroupId), String(c.TopicId), sentTime(c)],
  'Group.CallbackAfterTopicDestroyed': (c) => [String(c.GroupId), digest(c.TopicIdList as unknown[]), sentTime(c)],
  'Group.CallbackAfterTopicInfoChanged': (c, at) => [String(c.GroupId), topic(c), timeOf(c, at), valuesDigest(profile(c))],
  'Group.CallbackOnDailyGroupQuotaAlarm': (c, at) => [Number(c.QuotaUsed), c.Quota === undefined ? '' : Number(c.Quota), timeOf(c, at)],
};

const AFTER_COMMANDS = Object.keys(CALLBACK_SAMPLES).filter((command) => !command.includes('CallbackBefore'));

describe('dedupe keys in the test kit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('has the README parts for every modelled "after" command, and nothing else', () => {
    expect(Object.keys(README_PARTS).sort()).toEqual([...AFTER_COMMANDS].sort());
  });

  it.each(AFTER_COMMANDS)('%s: callbackDedupeKey(payload) and the README parts give the key the service stores', async (command) => {
    const payload = callbackSample(command)!;

    expect((await postCallback(t, payload)).body).toEqual(OK);

    // Samples of commands Tencent documents without EventTime (member state, topic changes) are timed by their receipt.
    const receivedAt = 'EventTime' in payload ? undefined : (await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, command)))[0]!.receivedAt;
    const key = await callbackDedupeKey(payload, { receivedAt });
    expect(key).toBe(dedupeKeyOf(command, ...README_PARTS[command]!(payload, receivedAt)));
    expect(await callbackDedupeKey(payload, { receivedAt, registry: t.app.get(CallbackRegistry) })).toBe(key);
    expect(await t.inboxRow(key)).toMatchObject({ command, status: 'processed' });
  });

  it('an unmodelled command: unmodelledDedupeKey of the body as posted, which callbackDedupeKey gives too', async () => {
    const payload = { CallbackCommand: 'Sns.CallbackFriendAdd', PairList: [{ From_Account: 'jared', To_Account: 'Jonh' }] };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const key = unmodelledDedupeKey('Sns.CallbackFriendAdd', JSON.stringify(payload));
    expect(await callbackDedupeKey(payload)).toBe(key);
    expect(await t.inboxRow(key, ['unhandled'])).toMatchObject({ status: 'unhandled' });
  });

  it('refuses a payload the service stores without a key: invalid, or a "before" callback', async () => {
    const invalid = { ...callbackSample('C2C.CallbackAfterSendMsg')!, MsgKey: 42 };
    await expect(callbackDedupeKey(invalid)).rejects.toThrow(/rejects this payload.*MsgKey/);
    await expect(callbackDedupeKey(callbackSample('C2C.CallbackBeforeSendMsg')!)).rejects.toThrow(/"before" callback/);
  });

  // Older payload shapes have no EventTime: the callback is kept, and where its key has a time
  // part that part is `received:<ms>`, which only the inbox row's receivedAt tells.
  it.each(AFTER_COMMANDS.filter((command) => 'EventTime' in CALLBACK_SAMPLES[command]!))('%s without EventTime: the README parts, received:<ms> for the time', async (command) => {
    const payload: CallbackSample = callbackSample(command)!;
    delete payload.EventTime;
    if ('MsgKey' in payload) payload.MsgKey = `${String(payload.MsgKey)}-no-event-time`;

    expect((await postCallback(t, payload)).body).toEqual(OK);

    // Where the key has no time part the callback is a duplicate of the sample posted above: that row.
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, command)).orderBy(desc(webhookInbox.id)).limit(1);
    const key = dedupeKeyOf(command, ...README_PARTS[command]!(payload, row!.receivedAt));
    expect(row).toMatchObject({ command, dedupeKey: key });
    expect(await callbackDedupeKey(payload, { receivedAt: row!.receivedAt })).toBe(key);
    if (key.includes('"received:')) {
      await expect(callbackDedupeKey(payload)).rejects.toThrow(/pass \{ receivedAt \}/);
    } else {
      expect(await callbackDedupeKey(payload)).toBe(key); // no time part: the receipt time plays no part
    }
  });
});
