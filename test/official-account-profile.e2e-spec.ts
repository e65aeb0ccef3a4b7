import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { OfficialAccountCreatedEvent } from '../src/official-account/events/official-account-created.event.js';
import { OfficialAccountDestroyedEvent } from '../src/official-account/events/official-account-destroyed.event.js';
import { OfficialAccountFullEvent } from '../src/official-account/events/official-account-full.event.js';
import { OfficialAccountMessageRecalledEvent } from '../src/official-account/events/official-account-message-recalled.event.js';
import { OfficialAccountSubscribersAddedEvent, OfficialAccountSubscribersRemovedEvent } from '../src/official-account/events/official-account-subscribers-changed.event.js';
import { OfficialAccountUpdatedEvent } from '../src/official-account/events/official-account-updated.event.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Payload = Record<string, unknown>;

const SEED_ACCOUNT = '@TOA#_2J4SZEAEL';
const SEED_PATH = `/official-accounts/${encodeURIComponent(SEED_ACCOUNT)}`;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const accountPath = (account: string) => `/official-accounts/${encodeURIComponent(account)}`;
const withAccount = (name: string, account: string, extra: Payload = {}): Payload => ({ ...fixture(name), Official_Account: account, ...extra });
const created = (account: string, eventTime: number, extra: Payload = {}) => withAccount('official-account-after-create', account, { EventTime: eventTime, ...extra });
const changed = (account: string, eventTime: number, fields: Payload): Payload => ({
  CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountInfoChanged',
  Official_Account: account,
  Operator_Account: 'jared',
  ...fields,
  EventTime: eventTime,
});
const subscribers = (command: 'add' | 'delete', account: string, eventTime: number | string, users: string[]): Payload =>
  withAccount(`official-account-after-${command}-subscriber`, account, {
    SubscribeAccountList: users.map((Subscriber_Account) => ({ Subscriber_Account })),
    EventTime: eventTime,
  });

describe('Official Account profiles, subscribers and recalls', () => {
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

  async function account(officialAccount: string): Promise<Payload> {
    const answer = await readApi(t, accountPath(officialAccount));
    expect(answer.status).toBe(200);
    return answer.body as Payload;
  }

  async function subscriberList(officialAccount: string, query = ''): Promise<{ userId: string; subscribedAt: number }[]> {
    const answer = await readApi(t, `${accountPath(officialAccount)}/subscribers${query}`);
    expect(answer.status).toBe(200);
    return (answer.body as { items: { userId: string; subscribedAt: number }[] }).items;
  }

  const expectCamelCase = (event: object) => {
    for (const key of Object.keys(event)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
  };

  it.each([
    ['official-account-after-create', 'official-account.created'],
    ['official-account-after-info-changed', 'official-account.updated'],
    ['official-account-after-destroyed', 'official-account.destroyed'],
    ['official-account-after-full', 'official-account.full'],
    ['official-account-after-add-subscriber', 'official-account.subscribers.added'],
    ['official-account-after-delete-subscriber', 'official-account.subscribers.removed'],
    ['official-account-after-msg-withdraw', 'official-account.message.recalled'],
  ] as const)('turns %s into webhook.received, then %s', async (name, eventName) => {
    const payload = withAccount(name, '@TOA#_each');
    await post(payload);
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', eventName]);
    expect(t.events.of('webhook.received')[0]).toMatchObject({ payload, metadata: { command: payload.CallbackCommand } });
  });

  describe('profile', () => {
    it('creates the profile from the seed callback and emits official-account.created in camelCase', async () => {
      const seed = fixture('official-account-after-create');
      await post(seed);

      expect(await account(SEED_ACCOUNT)).toEqual({
        officialAccount: SEED_ACCOUNT,
        name: 'Red Packet News',
        ownerAccount: 'jared',
        faceUrl: null,
        introduction: null,
        organization: null,
        subscriberCount: 0,
        full: false,
        destroyed: false,
      });
      const [event] = t.events.of('official-account.created');
      expect(event).toBeInstanceOf(OfficialAccountCreatedEvent);
      expect(event).toMatchObject({ officialAccount: SEED_ACCOUNT, operator: 'admin', owner: 'jared', name: 'Red Packet News', eventTime: 1670574400000, raw: seed });
      expect(event!.metadata).toMatchObject({ command: 'OfficialAccount.CallbackAfterCreateOfficialAccount', attempt: 1 });
      expectCamelCase(event!);
    });

    it('applies an info change to the fields it carries and emits official-account.updated with only those', async () => {
      const seed = fixture('official-account-after-info-changed');
      await post(seed);
      expect(await account(SEED_ACCOUNT)).toMatchObject({
        name: 'Red Packet Daily',
        ownerAccount: 'jared',
        faceUrl: 'https://example.com/red-packet.png',
        introduction: 'Red packets, every day',
        organization: 'Red Packet Inc.',
      });
      const [full] = t.events.of('official-account.updated');
      expect(full).toBeInstanceOf(OfficialAccountUpdatedEvent);
      expect(full).toMatchObject({
        officialAccount: SEED_ACCOUNT,
        operator: 'jared',
        changes: { name: 'Red Packet Daily', faceUrl: 'https://example.com/red-packet.png', introduction: 'Red packets, every day', organization: 'Red Packet Inc.' },
        eventTime: 1670574410000,
        raw: seed,
      });
      expectCamelCase(full!);

      await post(changed(SEED_ACCOUNT, 1670574411000, { Introduction: '' }));
      expect(t.events.of('official-account.updated')[1]!.changes).toEqual({ introduction: '' });
      expect(await account(SEED_ACCOUNT)).toMatchObject({ name: 'Red Packet Daily', introduction: '', organization: 'Red Packet Inc.' });
    });

    it('keeps the newest value of each field whatever the arrival order (an older change arriving late wins only fields no newer one set)', async () => {
      const callbacks = (a: string) => [
        created(a, 1000, { Name: 'N0', Owner_Account: 'owner' }),
        changed(a, 2000, { Name: 'N1', FaceUrl: 'F1', Organization: 'O1' }),
        changed(a, 3000, { Name: 'N2', Introduction: 'I2' }),
        changed(a, 4000, { FaceUrl: '' }),
      ];
      for (const [i, order] of permutations(callbacks('x')).entries()) {
        const a = `@TOA#_order_${i}`;
        await post(...order.map((c) => ({ ...c, Official_Account: a })));
        expect(await account(a)).toEqual({
          officialAccount: a,
          name: 'N2',
          ownerAccount: 'owner',
          faceUrl: '',
          introduction: 'I2',
          organization: 'O1',
          subscriberCount: 0,
          full: false,
          destroyed: false,
        });
      }
    });

    it('marks the account destroyed and emits official-account.destroyed; a late creation does not bring it back', async () => {
      const seed = fixture('official-account-after-destroyed');
      await post(seed);
      expect(await account(SEED_ACCOUNT)).toMatchObject({ destroyed: true, name: 'Red Packet Daily' });
      const [event] = t.events.of('official-account.destroyed');
      expect(event).toBeInstanceOf(OfficialAccountDestroyedEvent);
      expect(event).toMatchObject({ officialAccount: SEED_ACCOUNT, owner: 'jared', name: 'Red Packet Daily', eventTime: 1670574500000, raw: seed });
      expectCamelCase(event!);

      await post(withAccount('official-account-after-destroyed', '@TOA#_gone', { EventTime: 2000 }), created('@TOA#_gone', 1000, { Name: 'Old name' }));
      expect(await account('@TOA#_gone')).toMatchObject({ destroyed: true, name: 'Red Packet Daily', ownerAccount: 'jared' });
    });

    it('marks the account full and emits official-account.full, until a subscriber is removed after it', async () => {
      const a = '@TOA#_full';
      const seed = withAccount('official-account-after-full', a);
      await post(subscribers('add', a, 1670574420000, ['u1', 'u2']), seed);
      expect(await account(a)).toMatchObject({ full: true, subscriberCount: 2 });
      const [event] = t.events.of('official-account.full');
      expect(event).toBeInstanceOf(OfficialAccountFullEvent);
      expect(event).toMatchObject({ officialAccount: a, eventTime: 1670574440000, raw: seed });
      expectCamelCase(event!);

      // A removal older than the full callback, arriving late, changes nothing.
      await post(subscribers('delete', a, 1670574430000, ['u0']));
      expect(await account(a)).toMatchObject({ full: true });
      await post(subscribers('delete', a, 1670574450000, ['u2']));
      expect(await account(a)).toMatchObject({ full: false, subscriberCount: 1 });
    });

    it('answers a duplicate profile callback OK with no second effect', async () => {
      const c = created('@TOA#_dup', 1000);
      await post(c, { ...c, EventTime: '1000' });
      expect(t.events.of('official-account.created')).toHaveLength(1);
    });

    it('answers 404 in the envelope for an unknown account and its subscribers', async () => {
      for (const path of [accountPath('@TOA#_unknown'), `${accountPath('@TOA#_unknown')}/subscribers`]) {
        const answer = await readApi(t, path);
        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
      }
    });
  });

  describe('subscribers', () => {
    const a = '@TOA#_subs';

    it('adds subscribers, makes the account known, and emits official-account.subscribers.added in camelCase', async () => {
      const seed = withAccount('official-account-after-add-subscriber', a);
      await post(seed);

      expect(await subscriberList(a)).toEqual([
        { userId: 'Jonh', subscribedAt: 1670574420000 },
        { userId: 'lily', subscribedAt: 1670574420000 },
      ]);
      expect(await account(a)).toEqual({
        officialAccount: a,
        name: null,
        ownerAccount: null,
        faceUrl: null,
        introduction: null,
        organization: null,
        subscriberCount: 2,
        full: false,
        destroyed: false,
      });
      const [event] = t.events.of('official-account.subscribers.added');
      expect(event).toBeInstanceOf(OfficialAccountSubscribersAddedEvent);
      expect(event).toMatchObject({ officialAccount: a, operator: 'jared', subscribers: ['Jonh', 'lily'], eventTime: 1670574420000, raw: seed });
      expectCamelCase(event!);
    });

    it('removes subscribers and emits official-account.subscribers.removed in camelCase', async () => {
      const seed = withAccount('official-account-after-delete-subscriber', a);
      await post(seed);

      expect(await subscriberList(a)).toEqual([{ userId: 'Jonh', subscribedAt: 1670574420000 }]);
      expect(await account(a)).toMatchObject({ subscriberCount: 1 });
      const [event] = t.events.of('official-account.subscribers.removed');
      expect(event).toBeInstanceOf(OfficialAccountSubscribersRemovedEvent);
      expect(event).toMatchObject({ officialAccount: a, operator: 'lily', subscribers: ['lily'], eventTime: 1670574430000, raw: seed });
      expectCamelCase(event!);
    });

    it('keeps membership by EventTime: a late older add does not undo a newer remove, a newer add does', async () => {
      const b = '@TOA#_membership';
      await post(subscribers('delete', b, 2000, ['mia']), subscribers('add', b, 1000, ['mia', 'noa']));
      expect(await subscriberList(b)).toEqual([{ userId: 'noa', subscribedAt: 1000 }]);

      await post(subscribers('add', b, '3000', ['mia']));
      expect(await subscriberList(b)).toEqual([
        { userId: 'noa', subscribedAt: 1000 },
        { userId: 'mia', subscribedAt: 3000 },
      ]);
      expect(await account(b)).toMatchObject({ subscriberCount: 2 });
      expect(await subscriberList(b, '?limit=1')).toEqual([{ userId: 'noa', subscribedAt: 1000 }]);
    });

    it('resolves an add and a remove with the same EventTime to removed, in either order', async () => {
      for (const [i, order] of permutations([subscribers('add', 'x', 5000, ['tie']), subscribers('delete', 'x', 5000, ['tie'])]).entries()) {
        const b = `@TOA#_tie_${i}`;
        await post(...order.map((c) => ({ ...c, Official_Account: b })));
        expect(await subscriberList(b)).toEqual([]);
      }
    });

    it('answers a duplicate (the same users in another order, a user listed twice) OK with no second effect', async () => {
      const b = '@TOA#_subs_dup';
      await post(subscribers('add', b, 6000, ['p', 'q', 'q']), subscribers('add', b, 6000, ['q', 'p']));
      expect(t.events.of('official-account.subscribers.added')).toHaveLength(1);
      expect(await subscriberList(b)).toEqual([
        { userId: 'p', subscribedAt: 6000 },
        { userId: 'q', subscribedAt: 6000 },
      ]);
    });
  });

  describe('OfficialAccount.CallbackAfterMsgWithDraw', () => {
    it('marks the message recalled with the EventTime (sent as a string) and emits official-account.message.recalled in camelCase', async () => {
      const seed = fixture('official-account-after-msg-withdraw');
      await post(fixture('official-account-after-send-msg'), seed);

      const message = await readApi(t, `${SEED_PATH}/messages/71_1_1698741698`);
      expect(message.body).toMatchObject({ msgKey: '71_1_1698741698', recalled: true, recalledAt: 1670574450000 });
      const [event] = t.events.of('official-account.message.recalled');
      expect(event).toBeInstanceOf(OfficialAccountMessageRecalledEvent);
      expect(event).toMatchObject({ officialAccount: SEED_ACCOUNT, msgKeys: ['71_1_1698741698'], eventTime: 1670574450000, raw: seed });
      expectCamelCase(event!);
    });

    it('applies a recall that arrives before its messages, for every MsgKey it lists, and to that account only', async () => {
      const b = '@TOA#_recall';
      await post(withAccount('official-account-after-msg-withdraw', b, { WithdrawMsgList: [{ MsgKey: 'r1' }, { MsgKey: 'r2' }], EventTime: 7000 }));
      expect((await readApi(t, `${accountPath(b)}/messages/r1`)).status).toBe(404);

      const send = (account: string, msgKey: string) => withAccount('official-account-after-send-msg', account, { MsgKey: msgKey });
      await post(send(b, 'r1'), send(b, 'r2'), send(b, 'r3'), send('@TOA#_other', 'r1'));

      const list = (await readApi(t, `${accountPath(b)}/messages`)).body as { items: { msgKey: string; recalled: boolean; recalledAt: number | null }[] };
      expect(list.items.map((m) => [m.msgKey, m.recalled, m.recalledAt])).toEqual([
        ['r1', true, 7000],
        ['r2', true, 7000],
        ['r3', false, null],
      ]);
      expect((await readApi(t, `${accountPath('@TOA#_other')}/messages/r1`)).body).toMatchObject({ recalled: false, recalledAt: null });
    });

    it('answers a duplicate recall OK with no second effect', async () => {
      const r = withAccount('official-account-after-msg-withdraw', '@TOA#_recall_dup', { WithdrawMsgList: [{ MsgKey: 'a' }, { MsgKey: 'b' }] });
      await post(r, { ...r, WithdrawMsgList: [{ MsgKey: 'b' }, { MsgKey: 'a' }] });
      expect(t.events.of('official-account.message.recalled')).toHaveLength(1);
    });
  });

  describe('validation', () => {
    it.each([
      ['official-account-after-create', 'Name', { Name: undefined }],
      ['official-account-after-info-changed', 'EventTime', { EventTime: 'yesterday' }],
      ['official-account-after-destroyed', 'Official_Account', { Official_Account: 42 }],
      ['official-account-after-full', 'EventTime', { EventTime: -1 }],
      ['official-account-after-add-subscriber', 'SubscribeAccountList', { SubscribeAccountList: [] }],
      ['official-account-after-delete-subscriber', 'Subscriber_Account', { SubscribeAccountList: [{ Subscriber_Account: '' }] }],
      ['official-account-after-msg-withdraw', 'MsgKey', { WithdrawMsgList: [{}] }],
    ] as const)('refuses %s with a bad %s, and keeps it as rejected', async (name, field, change) => {
      const payload: Payload = { ...fixture(name), ...change };
      const answer = await postCallback(t, payload);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
      expect((answer.body as { ErrorInfo: string }).ErrorInfo).toContain(field);
      const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, String(payload.CallbackCommand)));
      expect(rows.filter((row) => row.status === 'rejected').map((row) => JSON.parse(row.payload) as unknown)).toContainEqual(JSON.parse(JSON.stringify(payload)));
    });
  });
});
