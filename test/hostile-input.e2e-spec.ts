import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { signCallback } from '../src/webhook/callback-signature.js';
import { HOSTILE_CORPUS, SIGNING_TOKEN, type HostileCase, type Signer } from './hostile-input/corpus.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/**
 * Runs every case of test/hostile-input/corpus.ts against a real app (issue 3, item 7). For each:
 * the answer is Tencent's envelope as JSON with the expected status and never a 5xx; a refused
 * case leaves every projection as it was (a validation failure may add one inbox row, rejected);
 * an accepted case is processed, not left failing; no prototype is polluted. Afterwards the apps
 * still take and serve a normal callback.
 */

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const PIECE = 64 * 1024;

/** One request with exactly these bytes and headers (supertest would add or change some). */
function send(t: TestApp, c: HostileCase, query: string): Promise<RawAnswer> {
  const { port } = t.server.address() as AddressInfo;
  const body = typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body;
  const headers: Record<string, string> = { ...(c.headers ?? { 'Content-Type': 'application/json' }) };
  if (c.chunked) headers['Transfer-Encoding'] = 'chunked';
  else headers['Content-Length'] = String(body.length);
  const path = `${c.path ?? t.config.webhookPath}${query === '' ? '' : `?${query}`}`;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, path, method: c.method ?? 'POST', agent: false, headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may answer an oversized body and close before reading it all: that is not a client error.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (c.chunked) {
      for (let at = 0; at < body.length; at += PIECE) req.write(body.subarray(at, at + PIECE));
      req.end();
    } else {
      req.end(body);
    }
  });
}

const PROJECTIONS = ['c2c_messages', 'c2c_unread_counts', 'c2c_message_extension_keys', 'c2c_message_extension_versions', 'official_account_messages'] as const;
/** Small projections that are updated in place: compared by content, not only by row count. */
const DIGESTED = ['c2c_unread_counts', 'c2c_message_extension_keys', 'c2c_message_extension_versions'] as const;

interface Snapshot {
  /** Row count of each projection table. */
  counts: Record<string, number>;
  /** Content digest of each updatable projection. */
  digests: Record<string, string>;
  maxInboxId: number;
  /** The inbox rows added since `sinceId`, in order. */
  added: { status: string; lastError: string | null }[];
}

/** One query, so that a snapshot is consistent and cheap. */
const SNAPSHOT_SQL = `select
  json_build_object(${PROJECTIONS.map((table) => `'${table}', (select count(*)::int from ${table})`).join(', ')}) as counts,
  json_build_object(${DIGESTED.map((table) => `'${table}', (select md5(coalesce(string_agg(md5(x::text), ',' order by md5(x::text)), '')) from ${table} x)`).join(', ')}) as digests,
  (select coalesce(max(id), 0)::bigint::text from webhook_inbox) as max_inbox_id,
  (select coalesce(json_agg(json_build_object('status', status, 'lastError', left(last_error, 400)) order by id), '[]'::json)
     from webhook_inbox where id > $SINCE) as added`;

/** JSON columns come back parsed from one driver and as text from the other. */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

async function snapshot(t: TestApp, sinceId = 0): Promise<Snapshot> {
  const result = (await t.db.execute(sql.raw(SNAPSHOT_SQL.replace('$SINCE', String(Math.trunc(sinceId)))))) as unknown as { rows: Record<string, unknown>[] };
  const row = result.rows[0]!;
  return {
    counts: fromJson(row.counts),
    digests: fromJson(row.digests),
    maxInboxId: Number(row.max_inbox_id),
    added: fromJson(row.added),
  };
}

const protoNames = (): string[] => [Object.prototype, Array.prototype, Function.prototype].flatMap((p) => Object.getOwnPropertyNames(p)).sort();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const signer: Signer = {
  now: () => Math.floor(Date.now() / 1000),
  sign: (requestTime, token = SIGNING_TOKEN) => signCallback(token, requestTime),
};

const label = (c: HostileCase): string => `${c.expectedStatus} ${c.app === 'signed' ? '[signed] ' : ''}${c.name}${c.bug ? ' [known bug: see its corpus note]' : ''}`;

describe('POST /webhook: hostile input corpus', () => {
  let plain: TestApp;
  let signed: TestApp;
  const initialProto = protoNames();

  beforeAll(async () => {
    plain = await createTestApp();
    signed = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: SIGNING_TOKEN } });
  }, 60_000);
  afterAll(async () => {
    await plain?.close();
    await signed?.close();
  });

  it.each(HOSTILE_CORPUS.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    try {
      await runCase(c);
    } catch (error) {
      // A known bug: say which, next to what was answered.
      if (c.bug && error instanceof Error) error.message = `${error.message}\n\nKnown bug in src/: ${c.bug}`;
      throw error;
    }
  });

  async function runCase(c: HostileCase): Promise<void> {
    const t = c.app === 'signed' ? signed : plain;
    const before = await snapshot(t);

    const answer = await send(t, c, typeof c.query === 'function' ? c.query(signer) : c.query);

    const body = parseJson(answer.text);
    // Status and envelope first, in one assertion, so a failure shows what was answered.
    expect({ status: answer.status, body }).toEqual({
      status: c.expectedStatus,
      body: c.expectedStatus === 200 ? OK : { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.any(String) },
    });
    expect(answer.status).toBeLessThan(500);
    expect(String(answer.headers['content-type'])).toMatch(/^application\/json\b/);
    const info = (body as { ErrorInfo: string }).ErrorInfo;
    if (answer.status !== 200) expect(info.trim()).not.toBe('');
    for (const field of c.infoIncludes ?? []) expect(info).toContain(field);

    const after = await snapshot(t, before.maxInboxId);
    const added = after.added;
    if (answer.status >= 400) {
      expect(after.counts).toEqual(before.counts);
      expect(after.digests).toEqual(before.digests);
      // A callback that fails validation is kept, as rejected (DESIGN section 4); nothing else is stored.
      expect(added.map((row) => row.status)).toEqual(answer.status === 400 && added.length > 0 ? ['rejected'] : []);
    } else {
      // Accepted: stored and dispatched, and every listener succeeded (a failed row would fail again on every retry).
      expect(added.filter((row) => row.status !== 'processed' && row.status !== 'unhandled')).toEqual([]);
    }

    expect(protoNames()).toEqual(initialProto);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

    if (c.readBack) {
      const read = await readApi(t, c.readBack.path);
      expect({ status: read.status }).toEqual({ status: c.readBack.status ?? 200 });
      if (c.readBack.match) expect(read.body).toMatchObject(c.readBack.match);
    }
  }

  it('is still healthy after the corpus: each app takes and serves a normal callback of every modelled command', async () => {
    for (const [t, token] of [
      [plain, undefined],
      [signed, SIGNING_TOKEN],
    ] as const) {
      const msgKey = `healthy_${t === plain ? 'plain' : 'signed'}_1_1557481126`;
      const sent = { ...fixture('c2c-after-send-msg'), From_Account: 'healthy-a', To_Account: 'healthy-b', MsgKey: msgKey };
      const extension = { ...fixture('c2c-msg-extension-set'), From_Account: 'healthy-a', To_Account: 'healthy-b', MsgKey: msgKey };
      const official = { ...fixture('official-account-after-send-msg'), Official_Account: 'healthy-oa', MsgKey: msgKey };

      for (const payload of [sent, extension, official]) {
        const answer = await postCallback(t, payload, { token });
        expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: OK });
      }

      const message = await readApi(t, `/c2c/conversations/healthy-b/healthy-a/messages/${msgKey}`);
      expect(message.status).toBe(200);
      expect(message.body).toMatchObject({
        msgKey,
        from: 'healthy-a',
        to: 'healthy-b',
        extensions: { seq: 1, items: [{ key: 'k1', value: 'v1', seq: 1 }, { key: 'k2', value: 'v2', seq: 1 }, { key: 'k3', value: 'v3', seq: 1 }] },
      });
      expect((await readApi(t, '/c2c/users/healthy-b/unread')).body).toEqual({ userId: 'healthy-b', unreadMsgNum: 7 });
      expect((await readApi(t, `/official-accounts/healthy-oa/messages/${msgKey}`)).body).toMatchObject({ msgKey, officialAccount: 'healthy-oa' });
    }
    // And still refuses what it should, in the envelope.
    const refused = await postCallback(plain, { ...fixture('c2c-after-send-msg'), MsgSeq: 'x' });
    expect({ status: refused.status, body: refused.body }).toMatchObject({ status: 400, body: { ActionStatus: 'FAIL', ErrorCode: 1 } });
  });
});
