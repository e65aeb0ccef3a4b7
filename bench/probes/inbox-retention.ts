// Issue 20, item 2: deleting never blocks the webhook path. A fresh PostgreSQL database is seeded
// with 1,000,000 processed callbacks received 40 days ago (INSERT ... SELECT generate_series), then
// the service starts with INBOX_RETENTION_DAYS=30 (batch size and pause at their defaults unless
// PROBE_RETENTION_BATCH_SIZE / PROBE_RETENTION_PAUSE_MS say otherwise). Signed callbacks arrive at a
// steady rate (PROBE_RETENTION_RATE per second, open loop: sent on schedule whether or not earlier
// ones were answered) from the start: before the first retention pass (30 s after start) they are
// the baseline; from the first deleted row (tcw_inbox_retention_deleted_total, scraped every
// 250 ms) to the pass's log line they are "during the purge". Prints both latency spreads, the
// purge's duration and rate (its own log line), and what is left in the inbox.
import http from 'node:http';
import {
  c2cMessage,
  createDatabase,
  delay,
  now,
  postSigned,
  progress,
  queryOnce,
  startService,
  tally,
  type Answer,
  type Platform,
} from './common.js';

const SEEDED = Number(process.env.PROBE_RETENTION_ROWS ?? 1_000_000);
const RATE = Number(process.env.PROBE_RETENTION_RATE ?? 200);
const BATCH_SIZE = process.env.PROBE_RETENTION_BATCH_SIZE;
const PAUSE_MS = process.env.PROBE_RETENTION_PAUSE_MS;
/** Callbacks of the first seconds (connections opening, JIT) are not part of the baseline. */
const WARM_UP_MS = 3000;
/** Traffic goes on this long after the purge ended (autovacuum of the deleted rows may start meanwhile). */
const AFTER_MS = 15_000;

interface Sent {
  at: number;
  answer?: Answer;
  error?: string;
}

const SEED_SQL = `
INSERT INTO webhook_inbox (command, dedupe_key, status, payload, query, sdk_app_id, attempts, received_at, processed_at, processed_txid, updated_at)
SELECT 'C2C.CallbackAfterSendMsg', 'seed-' || g, 'processed',
  json_build_object('CallbackCommand', 'C2C.CallbackAfterSendMsg', 'From_Account', 'seed-sender-' || (g % 97), 'To_Account', 'seed-recipient-' || (g % 89),
    'MsgSeq', g, 'MsgRandom', g, 'MsgTime', 1700000000, 'MsgKey', g || '_seed', 'OnlineOnlyFlag', 0,
    'MsgBody', json_build_array(json_build_object('MsgType', 'TIMTextElem', 'MsgContent', json_build_object('Text', 'seeded message number ' || g)))),
  json_build_object('SdkAppid', '1400000000', 'CallbackCommand', 'C2C.CallbackAfterSendMsg', 'contenttype', 'json', 'ClientIP', '203.0.113.7', 'OptPlatform', 'RESTAPI'),
  '1400000000', 1, t, t, 1, t
FROM generate_series(1, $1::int) g, LATERAL (SELECT now() - interval '40 days' + g * interval '1 millisecond' AS t) times`;

function quantile(sorted: number[], q: number): number | undefined {
  return sorted.length === 0 ? undefined : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function latencyLine(label: string, sent: Sent[]): string {
  const ok = sent.filter((s) => s.answer?.status === 200).map((s) => s.answer!.ms).sort((a, b) => a - b);
  const f = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)} ms`);
  const statuses = tally(sent.map((s) => s.answer?.status ?? s.error ?? 'none'));
  return `  ${label}: ${sent.length} callbacks (${statuses}); latency p50 ${f(quantile(ok, 0.5))}, p99 ${f(quantile(ok, 0.99))}, max ${f(ok.at(-1))}`;
}

async function deletedSoFar(port: number): Promise<number> {
  const text = await new Promise<string>((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => done(body));
      })
      .on('error', fail);
  });
  return Number(/^tcw_inbox_retention_deleted_total (\d+)/m.exec(text)?.[1] ?? 0);
}

export async function inboxRetention(platform: Platform): Promise<string[]> {
  const db = await createDatabase(`retention_${platform}`);
  const lines: string[] = [];
  try {
    // A first start applies the migrations; the rows are seeded while no retention runs.
    const migrator = await startService({ name: `retention-migrate-${platform}`, platform, databaseUrl: db.url });
    await migrator.stop();
    progress(`seeding ${SEEDED.toLocaleString('en')} processed callbacks received 40 days ago`);
    const seedStarted = now();
    await queryOnce(db.url, SEED_SQL, [SEEDED]);
    // Vacuumed, analyzed and checkpointed now: otherwise autovacuum and the checkpoint of 1,000,000
    // fresh rows run during the baseline (a first run measured a baseline p99 above the purge's).
    await queryOnce(db.url, 'VACUUM (ANALYZE) webhook_inbox');
    await queryOnce(db.url, 'CHECKPOINT');
    const [size] = await queryOnce<{ size: string }>(db.url, `SELECT pg_size_pretty(pg_total_relation_size('webhook_inbox')) AS size`);
    lines.push(`seeded ${SEEDED.toLocaleString('en')} processed rows received 40 days ago in ${((now() - seedStarted) / 1000).toFixed(1)} s (webhook_inbox with its indexes: ${size?.size})`);

    const env: Record<string, string> = { INBOX_RETENTION_DAYS: '30' };
    if (BATCH_SIZE) env.INBOX_RETENTION_BATCH_SIZE = BATCH_SIZE;
    if (PAUSE_MS) env.INBOX_RETENTION_PAUSE_MS = PAUSE_MS;
    const server = await startService({ name: `retention-${platform}`, platform, databaseUrl: db.url, env });
    const startedAt = now();
    lines.push(`service: INBOX_RETENTION_DAYS=30, INBOX_RETENTION_BATCH_SIZE=${BATCH_SIZE ?? '1000 (default)'}, INBOX_RETENTION_PAUSE_MS=${PAUSE_MS ?? '100 (default)'}; the first pass 30 s after start; traffic ${RATE} signed C2C.CallbackAfterSendMsg per second (open loop, keep-alive)`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const sent: Sent[] = [];
    const inFlight = new Set<Promise<void>>();
    let purgeStartedAt: number | undefined;
    let purgeEndedAt: number | undefined;
    let stopTraffic = false;
    try {
      // Open loop: every tick sends what the schedule says is due.
      const traffic = (async () => {
        const intervalMs = 1000 / RATE;
        let n = 0;
        while (!stopTraffic) {
          const due = Math.floor((now() - startedAt) / intervalMs);
          for (; n < due; n++) {
            const entry: Sent = { at: now() };
            sent.push(entry);
            const p = postSigned(server.port, c2cMessage(`retention-${platform}-${process.pid}`, n), agent, 10_000).then(
              (answer) => void (entry.answer = answer),
              (error: unknown) => void (entry.error = error instanceof Error ? error.message : String(error)),
            );
            inFlight.add(p);
            void p.finally(() => inFlight.delete(p));
          }
          await delay(5);
        }
      })();

      const deadline = Date.now() + 30 * 60_000;
      let pass: RegExpExecArray | null = null;
      while (!pass && Date.now() < deadline) {
        await delay(250);
        if (purgeStartedAt === undefined && (await deletedSoFar(server.port)) > 0) {
          purgeStartedAt = now() - 125;
          progress('the purge started');
        }
        pass = /Retention pass: deleted (\d+) .* in ([\d.]+) s(?: \((\d+) rows\/s\))?/.exec(server.log());
      }
      purgeEndedAt = now();
      if (!pass) throw new Error('no retention pass within 30 minutes');
      progress(`the purge ended: ${pass[0]}`);
      await delay(AFTER_MS);
      stopTraffic = true;
      await traffic;
      await Promise.all([...inFlight]);

      const baseline = sent.filter((s) => s.at - startedAt >= WARM_UP_MS && s.at < (purgeStartedAt ?? purgeEndedAt!));
      const during = sent.filter((s) => purgeStartedAt !== undefined && s.at >= purgeStartedAt && s.at <= purgeEndedAt!);
      const after = sent.filter((s) => s.at > purgeEndedAt!);
      lines.push(`purge (the service's own line): deleted ${Number(pass[1]).toLocaleString('en')} rows in ${pass[2]} s${pass[3] ? `, ${Number(pass[3]).toLocaleString('en')} rows/s` : ''}`);
      lines.push(latencyLine(`baseline (from ${WARM_UP_MS / 1000} s after start to the first deleted row)`, baseline));
      lines.push(latencyLine('during the purge', during));
      lines.push(latencyLine(`after it (${AFTER_MS / 1000} s)`, after));
      const [left] = await queryOnce<{ old: string; recent: string }>(
        db.url,
        `SELECT count(*) FILTER (WHERE received_at < now() - interval '30 days') AS old, count(*) FILTER (WHERE received_at >= now() - interval '30 days') AS recent FROM webhook_inbox`,
      );
      lines.push(`inbox afterwards: ${left?.old} rows older than 30 days, ${left?.recent} recent (the probe's callbacks)`);
      // The latency target is a comparison on a machine whose speed drifts: printed, not enforced.
      // What must hold whatever the load fails the probe (and .ci/run): every callback answered OK,
      // every old row deleted by the pass.
      const p99 = (s: Sent[]) => quantile(s.filter((x) => x.answer?.status === 200).map((x) => x.answer!.ms).sort((a, b) => a - b), 0.99) ?? Infinity;
      const met = during.length > 0 && p99(during) <= 2 * p99(baseline) + 20;
      lines.push(`  target (p99 during the purge at most twice the baseline's, plus 20 ms): ${met ? 'met' : 'NOT met'}`);
      const notOk = sent.filter((s) => s.answer?.status !== 200);
      if (notOk.length > 0 || Number(left?.old) !== 0 || Number(pass[1]) !== SEEDED) {
        throw new Error(`${notOk.length} callback(s) not answered 200, ${left?.old} old row(s) left, ${pass[1]} deleted of ${SEEDED}:\n${lines.join('\n')}`);
      }
    } finally {
      stopTraffic = true;
      agent.destroy();
      await server.stop();
    }
  } finally {
    await db.drop();
  }
  return lines;
}
