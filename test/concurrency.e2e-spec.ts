import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { c2cMessages, webhookInbox } from '../src/database/schema.js';
import { callbackUrl, fixture, OK, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { until } from './utils/wait.js';

// Real concurrency exists on PostgreSQL (a pool of connections); on PGlite the same requests are
// serialised by its single connection, which the suite also checks.

/** Deterministic shuffle (mulberry32), so a failure can be reproduced. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('concurrent deliveries', () => {
  let t: TestApp;
  let agent: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    agent = new Agent({ keepAlive: true, maxSockets: 200 });
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  /** Posts all payloads at once, each on its own connection where possible; resolves with the answers. */
  function postAll(payloads: Record<string, unknown>[]): Promise<{ status: number; body: unknown }[]> {
    const { port } = t.server.address() as AddressInfo;
    return Promise.all(
      payloads.map(
        (payload) =>
          new Promise<{ status: number; body: unknown }>((resolve, reject) => {
            const body = JSON.stringify(payload);
            const req = httpRequest(
              { host: '127.0.0.1', port, method: 'POST', agent, path: callbackUrl({ command: String(payload.CallbackCommand) }), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
              (res) => {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => (text += chunk));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
              },
            );
            req.on('error', reject);
            req.end(body);
          }),
      ),
    );
  }

  it('200 concurrent deliveries of one callback: one message, one processed row, one event', async () => {
    t.events.clear();
    const seed = fixture('c2c-after-send-msg');

    const answers = await postAll(Array.from({ length: 200 }, () => seed));

    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.every((a) => JSON.stringify(a.body) === JSON.stringify(OK))).toBe(true);
    const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, 'C2C.CallbackAfterSendMsg'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('processed');
    expect(await t.db.select().from(c2cMessages).where(eq(c2cMessages.msgKey, String(seed.MsgKey)))).toHaveLength(1);
    expect(t.events.of('c2c.message.sent')).toHaveLength(1);
  });

  it('concurrent extension changes of one message in random order, duplicated: the Seq-order state', async () => {
    const msgKey = '77_1_1764688415';
    // Seq 1..40: sets and deletes over 6 keys, a clear at 25; reference state computed in Seq order.
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const changes = Array.from({ length: 40 }, (_, i) => {
      const seq = i + 1;
      const operateType = seq === 25 ? 3 : seq % 5 === 0 ? 2 : 1;
      const touched = operateType === 3 ? [] : [keys[seq % keys.length]!, keys[(seq * 7) % keys.length]!].filter((k, j, all) => all.indexOf(k) === j);
      return {
        ...fixture('c2c-msg-extension-set'),
        MsgKey: msgKey,
        OperateType: operateType,
        Seq: seq,
        ExtensionList: touched.map((Key) => ({ Key, Value: operateType === 1 ? `v${seq}` : '', Seq: seq })),
      };
    });
    const expected = new Map<string, { value: string; seq: number }>();
    for (const change of changes) {
      if (change.OperateType === 3) expected.clear();
      for (const item of change.ExtensionList) {
        if (change.OperateType === 1) expected.set(item.Key, { value: item.Value, seq: item.Seq });
        else expected.delete(item.Key);
      }
    }

    const answers = await postAll(shuffled([...changes, ...changes.slice(0, 15)], 7));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    await postAll([{ ...fixture('c2c-after-send-msg'), From_Account: 'user1', To_Account: 'user2', MsgKey: msgKey }]);

    const message = await readApi(t, `/c2c/conversations/user1/user2/messages/${msgKey}`);
    expect(message.body.extensions).toEqual({
      seq: 40,
      items: [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, { value, seq }]) => ({ key, value, seq })),
    });
  });

  it('concurrent sends in random order: each user\'s unread total is the newest send\'s, a tie in its second broken by MsgSeq', async () => {
    // Per user: 20 older sends (over 10 seconds, with higher MsgSeqs and unread totals than the rest:
    // MsgSeq counts per conversation, and each sender has its own), and 10 sends in the newest second
    // from 10 senders, MsgSeq 100-109. The answer must be the unread total of MsgSeq 109 (23): not that
    // of the highest MsgSeq overall, not the highest total, not the first or last of the second to arrive.
    const NEWEST = 1_700_000_100;
    const unreadInNewestSecond = [24, 27, 21, 29, 22, 26, 28, 20, 25, 23];
    const send = (user: string, sender: number, msgSeq: number, msgTime: number, unread: number) => ({
      ...fixture('c2c-after-send-msg'),
      From_Account: `sender${sender}`,
      To_Account: user,
      MsgSeq: msgSeq,
      MsgTime: msgTime,
      MsgKey: `${msgSeq}_${sender}_${msgTime}`,
      UnreadMsgNum: unread,
    });
    const older = (user: string) => Array.from({ length: 20 }, (_, i) => send(user, i % 5, 5000 + i, NEWEST - 10 + Math.floor(i / 2), 500 + i));
    const ties = (user: string) => unreadInNewestSecond.map((unread, i) => send(user, 10 + i, 100 + i, NEWEST, unread));
    const winner = (user: string) => ties(user)[9]!;
    const losers = (user: string) => ties(user).slice(0, 9);
    // Three ways the newest second arrives (three users each): the ties before the winner, the ties
    // after it (each in a later round, once the round before is processed), or all in one round.
    const tiesFirst = ['tie-first-0', 'tie-first-1', 'tie-first-2'];
    const tiesLast = ['tie-last-0', 'tie-last-1', 'tie-last-2'];
    const together = ['together-0', 'together-1', 'together-2'];
    const users = [...tiesFirst, ...tiesLast, ...together];
    const rounds = [
      [...users.flatMap(older), ...tiesFirst.flatMap(losers), ...together.flatMap(ties)],
      [...tiesFirst, ...tiesLast].map(winner),
      tiesLast.flatMap(losers),
    ];

    for (const [round, sends] of rounds.entries()) {
      const answers = await postAll(shuffled(sends, 11 + round));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      // The answer waits for the listeners LISTENER_BUDGET_MS at most: the round is over once every callback is processed.
      const unsettled = async () => (await t.db.select().from(webhookInbox).where(inArray(webhookInbox.status, ['received', 'failed']))).length;
      await until(async () => (await unsettled()) === 0, 10_000, { what: async () => `round ${round}: ${await unsettled()} callbacks not processed` });
    }

    const shown = [];
    for (const user of users) shown.push((await readApi(t, `/c2c/users/${user}/unread`)).body as unknown);
    expect(shown).toEqual(users.map((user) => ({ userId: user, unreadMsgNum: 23 })));
  });
});
