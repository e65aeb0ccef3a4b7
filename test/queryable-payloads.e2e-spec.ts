import { sql } from 'drizzle-orm';
import { conversationOf } from '../src/common/conversation.js';
import { dedupeKeyOf } from '../src/webhook/commands/callback-command.js';
import request from 'supertest';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, type TestApp } from './utils/test-app.js';

const SEND = 'C2C.CallbackAfterSendMsg';

// JSON.parse accepts \u0000 and lone surrogates, so these are valid callbacks; PostgreSQL's JSON
// operators refuse a whole value holding either, so the inbox keeps a queryable payload beside
// the body as received (issue 17, item 10).
const UNQUERYABLE_TEXTS = { nul: 'a\u0000b', loneSurrogate: 'x\ud800y' };

function sendWithText(seq: number, text: string): Record<string, unknown> {
  return {
    ...fixture('c2c-after-send-msg'),
    MsgSeq: seq,
    MsgKey: `${seq}_2837546_1557481126`,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  };
}

function sendKey(seq: number): string {
  const { userA, userB } = conversationOf('jared', 'Jonh');
  return dedupeKeyOf(SEND, userA, userB, `${seq}_2837546_1557481126`);
}

interface QueriedRow {
  id: string;
  from_account: string;
  text: string;
}

describe('stored payloads with \\u0000 or a lone surrogate (issue 17, item 10)', () => {
  let t: TestApp;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp();
    let seq = 1;
    for (const [name, text] of Object.entries(UNQUERYABLE_TEXTS)) {
      const answer = await postCallback(t, sendWithText(seq, text));
      expect({ name, status: answer.status, body: answer.body as unknown }).toEqual({ name, status: 200, body: OK });
      ids.set(name, (await t.inboxRow(sendKey(seq), ['processed'])).id);
      seq += 1;
    }
  });
  afterAll(async () => t.close());

  it("stay readable with PostgreSQL's JSON operators, every field of them", async () => {
    const { rows } = (await t.db.execute(
      sql`SELECT id::text AS id, payload ->> 'From_Account' AS from_account, payload #>> '{MsgBody,0,MsgContent,Text}' AS text FROM webhook_inbox ORDER BY id`,
    )) as unknown as { rows: QueriedRow[] };
    expect(rows).toEqual([
      { id: String(ids.get('nul')), from_account: 'jared', text: 'a\ufffdb' },
      { id: String(ids.get('loneSurrogate')), from_account: 'jared', text: 'x\ufffdy' },
    ]);
    const asJsonb = (await t.db.execute(sql`SELECT count(*)::int AS n FROM webhook_inbox WHERE (payload::jsonb) ? 'MsgBody'`)) as unknown as { rows: unknown[] };
    expect(asJsonb.rows).toEqual([{ n: 2 }]);
  });

  it('are shown exactly as received by the read API', async () => {
    for (const [name, text] of Object.entries(UNQUERYABLE_TEXTS)) {
      const answer = await readApi(t, `/webhook-events/${ids.get(name)}`);
      expect({ name, status: answer.status, text: (answer.body as { payload: { MsgBody: { MsgContent: { Text: string } }[] } }).payload.MsgBody[0]?.MsgContent.Text }).toEqual({
        name,
        status: 200,
        text,
      });
    }
  });

  it('are dispatched again exactly as received (a replay reads the stored row)', async () => {
    t.events.clear();
    for (const [name, text] of Object.entries(UNQUERYABLE_TEXTS)) {
      const answer = await request(t.server).post(`/webhook-events/${ids.get(name)}/replay`).set('Authorization', `Bearer ${TEST_API_TOKEN}`);
      expect({ name, status: answer.status }).toEqual({ name, status: 200 });
      const event = await t.events.waitFor('c2c.message.sent', (e) => e.metadata.inboxId === ids.get(name));
      expect({ name, body: event.body, raw: (event.raw.MsgBody as { MsgContent: { Text: string } }[])[0]?.MsgContent.Text }).toEqual({
        name,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
        raw: text,
      });
    }
  });
});
