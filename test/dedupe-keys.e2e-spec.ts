/**
 * The test kit's dedupe keys against the keys the service stores: `callbackDedupeKey(payload)` is
 * the inbox row's key for every modelled command, `dedupeKeyOf` with the parts README's "Dedupe
 * keys" table lists gives the same key, and `unmodelledDedupeKey` is the key of a command the
 * project does not model.
 */
import { createHash } from 'node:crypto';
import { desc } from 'drizzle-orm';
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

    const key = await callbackDedupeKey(payload);
    expect(key).toBe(dedupeKeyOf(command, ...README_PARTS[command]!(payload)));
    expect(await callbackDedupeKey(payload, { registry: t.app.get(CallbackRegistry) })).toBe(key);
    expect(await t.inboxRow(key)).toMatchObject({ command, status: 'processed' });
  });

  it('an unmodelled command: unmodelledDedupeKey of the body as posted, which callbackDedupeKey gives too', async () => {
    const payload = { CallbackCommand: 'Group.CallbackAfterSendMsg', GroupId: '@TGS#2J4SZEAEL', MsgSeq: 123 };

    expect((await postCallback(t, payload)).body).toEqual(OK);

    const key = unmodelledDedupeKey('Group.CallbackAfterSendMsg', JSON.stringify(payload));
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

    const [row] = await t.db.select().from(webhookInbox).orderBy(desc(webhookInbox.id)).limit(1);
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
