// Issue 17, item 7: DATABASE_WRITE_TIMEOUT_MS when PostgreSQL stops answering without closing its
// connections. The service's DATABASE_URL points at a pausable TCP proxy in front of PostgreSQL.
// With the proxy paused, three signed callbacks are sent at once: each should be answered 503 in
// the envelope within DATABASE_WRITE_TIMEOUT_MS (under Tencent's 2 s). The proxy then forwards
// again, Tencent's retry of each callback (same body, signed anew) should be answered OK, and each
// callback should end as one inbox row, processed, dispatched once (attempts 1), read from
// PostgreSQL directly (not through the proxy) and through the read API.
// Run with the default (1500 ms) and with 500 ms. The servers run with WEBHOOK_LEASE_SECONDS=2 and
// WEBHOOK_RETRY_POLL_MS=200, so that a write that commits after the 503 is dispatched by recovery
// within seconds (the defaults, 30 s and 1 s, would do the same, later).
import {
  c2cMessage,
  createDatabase,
  dedupeKeyOf,
  delay,
  formatSpread,
  inboxRows,
  ms,
  onCleanup,
  postSigned,
  progress,
  queryOnce,
  spread,
  startService,
  tally,
  type Answer,
  type Platform,
} from './common.js';
import { startPausableProxy } from './pausable-proxy.js';

const TIMEOUTS: (number | undefined)[] = [undefined, 500];
const HUNG_CALLBACKS = 3;
const COMMAND = 'C2C.CallbackAfterSendMsg';

interface InboxRecord {
  dedupe_key: string;
  status: string;
  attempts: number;
  received_at: Date;
  processed_at: Date | null;
}

async function once(platform: Platform, writeTimeoutMs: number | undefined): Promise<string[]> {
  const label = writeTimeoutMs === undefined ? 'DATABASE_WRITE_TIMEOUT_MS unset (default 1500)' : `DATABASE_WRITE_TIMEOUT_MS=${writeTimeoutMs}`;
  const tag = `dbt-${platform}-${writeTimeoutMs ?? 'default'}`;
  const db = await createDatabase(`dbt_${platform}`);
  const real = new URL(db.url);
  const proxy = await startPausableProxy(real.hostname, Number(real.port || 5432));
  const viaProxy = new URL(db.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const env: Record<string, string> = { WEBHOOK_LEASE_SECONDS: '2', WEBHOOK_RETRY_POLL_MS: '200' };
  if (writeTimeoutMs !== undefined) env.DATABASE_WRITE_TIMEOUT_MS = String(writeTimeoutMs);
  const server = await startService({ name: tag, platform, databaseUrl: viaProxy.toString(), env });
  // On ^C, before the server is stopped (cleanup runs newest first): its shutdown would wait for the hung database.
  const resume = onCleanup('resume the proxy', async () => proxy.resume());
  const lines: string[] = [`${label}:`];
  try {
    for (let i = 0; i < 5; i++) {
      const warm = await postSigned(server.port, c2cMessage(`${tag}-warm`, i));
      if (warm.status !== 200) throw new Error(`warm-up callback answered ${warm.status}: ${warm.text}`);
    }
    const hung = Array.from({ length: HUNG_CALLBACKS }, (_, i) => c2cMessage(tag, i));

    progress(`${platform}, ${label}: proxy paused, ${HUNG_CALLBACKS} callbacks`);
    proxy.pause();
    const pausedAt = performance.now();
    const first = await Promise.all(hung.map((payload) => postSigned(server.port, payload, undefined, 10_000).catch((error: unknown) => error as Error)));
    const answers = first.filter((a): a is Answer => !(a instanceof Error));
    lines.push(
      `  database hung: ${tally(first.map((a) => (a instanceof Error ? `error ${a.message}` : a.status)))}; time from request to answer ${formatSpread(spread(answers.map((a) => a.ms)))}`,
    );
    const sample = answers.find((a) => a.status !== 200);
    if (sample) lines.push(`  answer: ${sample.status} ${sample.text}`);
    await delay(500);
    proxy.resume();
    lines.push(`  the proxy held every byte for ${ms(performance.now() - pausedAt)}, then forwarded again`);

    const retriedAt = Date.now();
    const retries = await Promise.all(hung.map((payload) => postSigned(server.port, payload)));
    lines.push(`  Tencent's retry of each (same body, signed again): ${tally(retries.map((a) => a.status))} ${tally(retries.map((a) => (a.json as { ActionStatus?: string } | undefined)?.ActionStatus))}; ${formatSpread(spread(retries.map((a) => a.ms)))}`);

    // Until each has a processed row (recovery dispatches a row whose write committed after the 503).
    const keys = hung.map(dedupeKeyOf);
    const deadline = Date.now() + 20_000;
    let records: InboxRecord[] = [];
    for (;;) {
      records = await queryOnce<InboxRecord>(db.url, 'SELECT dedupe_key, status, attempts, received_at, processed_at FROM webhook_inbox WHERE dedupe_key = ANY($1)', [keys]);
      if ((records.length === keys.length && records.every((r) => r.status === 'processed')) || Date.now() > deadline) break;
      await delay(200);
    }
    const perKey = keys.map((key) => records.filter((r) => r.dedupe_key === key));
    lines.push(
      `  in PostgreSQL (directly): rows per callback ${tally(perKey.map((rows) => rows.length))}; status ${tally(records.map((r) => r.status))}; attempts ${tally(records.map((r) => r.attempts))}; processed after receipt ${formatSpread(spread(records.filter((r) => r.processed_at).map((r) => r.processed_at!.getTime() - r.received_at.getTime())))}`,
    );
    // received_at is the service's time of receipt: before the retries, the row is the first delivery's write, committed after its 503.
    lines.push(
      `  each row written by: ${tally(records.map((r) => (r.received_at.getTime() < retriedAt ? 'the first delivery (committed after its 503; dispatched by recovery)' : "Tencent's retry")))}`,
    );
    const viaApi = (await inboxRows(server.port, COMMAND)).filter((row) => row.dedupeKey !== null && keys.includes(row.dedupeKey));
    lines.push(`  read API (GET /webhook-events?command=${COMMAND}): ${viaApi.length} rows for the ${keys.length} callbacks, status ${tally(viaApi.map((r) => r.status))}, attempts ${tally(viaApi.map((r) => r.attempts))}`);
    const met = answers.length === HUNG_CALLBACKS && answers.every((a) => a.status === 503 && a.ms < 2000) && retries.every((a) => a.status === 200) && perKey.every((rows) => rows.length === 1 && rows[0]!.status === 'processed' && rows[0]!.attempts === 1);
    lines.push(`  target (503 in under 2 s; the retry OK; processed once): ${met ? 'met' : 'NOT met'}`);
    const errors = server.log().split('\n').filter((line) => line.includes('Could not store')).length;
    lines.push(`  server log: ${errors} "Could not store" error line(s); the proxy accepted ${proxy.accepted()} connections in all`);
  } finally {
    await resume();
    await server.stop();
    await proxy.close();
    await db.drop();
  }
  return lines;
}

export async function databaseWriteTimeout(platform: Platform): Promise<string[]> {
  const lines: string[] = [];
  for (const timeout of TIMEOUTS) lines.push(...(await once(platform, timeout)));
  return lines;
}
