import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Change = Record<string, unknown>;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const change = (operateType: 1 | 2 | 3, seq: number, items: [string, string][]): Change => ({
  ...fixture('c2c-msg-extension-set'),
  OperateType: operateType,
  Seq: seq,
  ExtensionList: items.map(([Key, Value]) => ({ Key, Value, Seq: seq })),
  EventTime: 1764688540182 + seq,
});

describe('C2C.CallbackAfterC2CMsgExtension', () => {
  let t: TestApp;
  let messageNumber = 0;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Posts the changes for a new message of user1 and user2 (the message itself last), returns its extensions. */
  async function applyInOrder(changes: Change[]): Promise<{ seq: number; items: { key: string; value: string; seq: number }[] }> {
    messageNumber += 1;
    const msgKey = `${messageNumber}_1287657_1764688415`;
    for (const c of changes) {
      const answer = await postCallback(t, { ...c, MsgKey: msgKey });
      expect(answer.body).toEqual(OK);
    }
    const message = { ...fixture('c2c-after-send-msg'), From_Account: 'user1', To_Account: 'user2', MsgSeq: messageNumber, MsgKey: msgKey };
    expect((await postCallback(t, message)).body).toEqual(OK);
    const read = await readApi(t, `/c2c/conversations/user2/user1/messages/${msgKey}`);
    expect(read.status).toBe(200);
    return read.body.extensions;
  }

  it('emits c2c.message-extension.changed with the operation in words', async () => {
    t.events.clear();
    await postCallback(t, { ...fixture('c2c-msg-extension-set'), MsgKey: 'event_check' });
    const [event] = t.events.of('c2c.message-extension.changed');
    expect(event).toMatchObject({
      from: 'user1',
      to: 'user2',
      msgKey: 'event_check',
      operation: 'set',
      seq: 1,
      eventTime: 1764688540182,
      items: [
        { key: 'k1', value: 'v1', seq: 1 },
        { key: 'k2', value: 'v2', seq: 1 },
        { key: 'k3', value: 'v3', seq: 1 },
      ],
    });
  });

  it('shows the keys set on a message', async () => {
    expect(await applyInOrder([fixture('c2c-msg-extension-set')])).toEqual({
      seq: 1,
      items: [
        { key: 'k1', value: 'v1', seq: 1 },
        { key: 'k2', value: 'v2', seq: 1 },
        { key: 'k3', value: 'v3', seq: 1 },
      ],
    });
  });

  it('gives the same final state for all six arrival orders of the seed set / delete / clear', async () => {
    const seed = [fixture('c2c-msg-extension-set'), fixture('c2c-msg-extension-delete'), fixture('c2c-msg-extension-clear')];
    for (const order of permutations(seed)) {
      expect(await applyInOrder(order)).toEqual({ seq: 3, items: [] });
    }
    // Set then delete, in either order, leaves nothing either.
    for (const order of permutations(seed.slice(0, 2))) {
      expect(await applyInOrder(order)).toEqual({ seq: 2, items: [] });
    }
  });

  it('gives the Seq-order state for every arrival order of set, delete, clear-all and set-again', async () => {
    const changes = [
      change(1, 1, [['k1', 'a'], ['k2', 'b']]),
      change(2, 2, [['k1', '']]),
      change(1, 3, [['k3', 'c'], ['k2', 'b2']]),
      change(3, 4, []),
      change(1, 5, [['k4', 'd']]),
      change(1, 6, [['k2', 'b3']]),
    ];
    const expected = { seq: 6, items: [{ key: 'k2', value: 'b3', seq: 6 }, { key: 'k4', value: 'd', seq: 5 }] };
    expect(await applyInOrder(changes)).toEqual(expected);
    expect(await applyInOrder([...changes].reverse())).toEqual(expected);
    for (const order of permutations(changes.slice(0, 4)).slice(1)) {
      expect(await applyInOrder(order)).toEqual({ seq: 4, items: [] });
    }
    for (const order of permutations(changes.slice(0, 3))) {
      expect(await applyInOrder(order)).toEqual({ seq: 3, items: [{ key: 'k2', value: 'b2', seq: 3 }, { key: 'k3', value: 'c', seq: 3 }] });
    }
  });

  it('does not let a late older value overwrite a newer one, nor a late set bring back a cleared or deleted key', async () => {
    const older = change(1, 1, [['k1', 'old']]);
    const newer = change(1, 2, [['k1', 'new']]);
    expect(await applyInOrder([newer, older])).toEqual({ seq: 2, items: [{ key: 'k1', value: 'new', seq: 2 }] });

    const cleared = change(3, 2, []);
    expect(await applyInOrder([cleared, older])).toEqual({ seq: 2, items: [] });

    const deleted = change(2, 2, [['k1', '']]);
    expect(await applyInOrder([deleted, older])).toEqual({ seq: 2, items: [] });
  });

  it('treats a repeated change as a duplicate with no second effect', async () => {
    const set = fixture('c2c-msg-extension-set');
    t.events.clear();
    expect(await applyInOrder([set, set, set])).toMatchObject({ seq: 1 });
    expect(t.events.of('c2c.message-extension.changed')).toHaveLength(1);
  });

  it('keeps changes that arrive before their message and shows them once it arrives', async () => {
    const msgKey = 'early_1_1764688415';
    await postCallback(t, { ...fixture('c2c-msg-extension-set'), MsgKey: msgKey });
    expect((await readApi(t, `/c2c/conversations/user1/user2/messages/${msgKey}`)).status).toBe(404);

    await postCallback(t, { ...fixture('c2c-after-send-msg'), From_Account: 'user2', To_Account: 'user1', MsgKey: msgKey });

    const list = await readApi(t, '/c2c/conversations/user1/user2/messages?limit=500');
    const message = (list.body.items as { msgKey: string; extensions: unknown }[]).find((m) => m.msgKey === msgKey);
    expect(message?.extensions).toMatchObject({ seq: 1, items: [{ key: 'k1' }, { key: 'k2' }, { key: 'k3' }] });
  });

  it('does not share extensions between conversations that use the same MsgKey', async () => {
    const msgKey = 'shared_1_1764688415';
    await postCallback(t, { ...fixture('c2c-msg-extension-set'), MsgKey: msgKey });
    await postCallback(t, { ...fixture('c2c-after-send-msg'), From_Account: 'user1', To_Account: 'user3', MsgKey: msgKey });
    const read = await readApi(t, `/c2c/conversations/user1/user3/messages/${msgKey}`);
    expect(read.body.extensions).toEqual({ seq: 0, items: [] });
  });
});
