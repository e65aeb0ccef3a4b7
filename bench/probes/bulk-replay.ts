// Issue 20, item 3: a bulk replay must never starve live callbacks. 20,000 dead C2C sends are
// stored straight into the inbox (PROBE_REPLAY_ROWS), then live signed callbacks are sent at a
// steady rate (PROBE_LIVE_RATE a second, open loop, keep-alive) for PROBE_WINDOW_S seconds, three
// times: with no replay running; with a bulk replay of the dead rows running at the default
// INBOX_REPLAY_RATE_PER_SECOND (200); and, on a second server, with the replay unthrottled (the
// rate set to 100000), to show what the throttle buys. Prints the live callbacks' latency (p50,
// p99, max) in each window and how many rows the replay got through meanwhile.
import http from 'node:http';
import {
  apiGet,
  c2cMessage,
  createDatabase,
  delay,
  ms,
  postSigned,
  progress,
  queryOnce,
  request,
  startService,
  API_TOKEN,
  type Answer,
  type Platform,
  type Service,
} from './common.js';

const ROWS = Number(process.env.PROBE_REPLAY_ROWS ?? 20_000);
const LIVE_RATE = Number(process.env.PROBE_LIVE_RATE ?? 200);
const WINDOW_S = Number(process.env.PROBE_WINDOW_S ?? 15);

/** Dead C2C sends, valid for today's DTOs, one INSERT ... SELECT (generate_series). */
const SEED = `
  INSERT INTO webhook_inbox (command, payload, query, sdk_app_id, dedupe_key, status, attempts, last_error, received_at)
  SELECT 'C2C.CallbackAfterSendMsg',
    json_build_object(
      'CallbackCommand', 'C2C.CallbackAfterSendMsg', 'From_Account', 'bulk-sender-' || (i % 17), 'To_Account', 'bulk-peer-' || (i % 5),
      'MsgSeq', i, 'MsgRandom', i, 'MsgTime', 1700000000, 'MsgKey', i || '_bulk_1700000000', 'OnlineOnlyFlag', 0, 'SendMsgResult', 0,
      'ErrorInfo', 'send msg succeed', 'UnreadMsgNum', 0,
      'MsgBody', json_build_array(json_build_object('MsgType', 'TIMTextElem', 'MsgContent', json_build_object('Text', 'bulk ' || i)))
    ),
    '{"SdkAppid":"1400000000","CallbackCommand":"C2C.CallbackAfterSendMsg","contenttype":"json"}',
    '1400000000', 'bulk-probe:' || i, 'dead', 8, 'Error: CRM is down', now() - interval '1 hour'
  FROM generate_series(1, $1::int) AS i`;

interface Window {
  label: string;
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
  replayedDuring?: number;
  /** Rows a second in the 5 s after the window, without live traffic. */
  replayedIdle?: number;
}

/** Sends LIVE_RATE signed callbacks a second for WINDOW_S seconds (open loop: a slow answer does not slow the sending). */
async function liveWindow(server: Service, label: string, tag: string): Promise<Window> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const window: Window = { label, latencies: [], statuses: new Map(), errors: 0 };
  const inFlight: Promise<void>[] = [];
  const total = LIVE_RATE * WINDOW_S;
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / LIVE_RATE;
    const wait = due - performance.now();
    if (wait > 1) await delay(wait);
    inFlight.push(
      postSigned(server.port, c2cMessage(tag, n), agent, 10_000).then(
        (answer: Answer) => {
          window.latencies.push(answer.ms);
          window.statuses.set(answer.status, (window.statuses.get(answer.status) ?? 0) + 1);
        },
        () => void (window.errors += 1),
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return window;
}

function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function describeWindow(w: Window): string {
  const statuses = [...w.statuses].map(([status, count]) => `${status}x${count}`).join(' ');
  const replay = w.replayedDuring === undefined ? '' : `; replay meanwhile: ${w.replayedDuring} rows (${(w.replayedDuring / WINDOW_S).toFixed(0)}/s), then ${w.replayedIdle?.toFixed(0)}/s without live traffic`;
  return `  ${w.label}: live p50 ${ms(quantile(w.latencies, 0.5))}, p99 ${ms(quantile(w.latencies, 0.99))}, max ${ms(quantile(w.latencies, 1))} (n=${w.latencies.length}, ${statuses}${w.errors ? `, ${w.errors} errors` : ''})${replay}`;
}

async function replayState(server: Service, id: number): Promise<{ state: string; replayed: number; ratePerSecond: number }> {
  const answer = await apiGet(server.port, `/ops/replays/${id}`);
  if (answer.status !== 200) throw new Error(`GET /ops/replays/${id} answered ${answer.status}: ${answer.text}`);
  return answer.json as { state: string; replayed: number; ratePerSecond: number };
}

/** Starts a bulk replay of the dead rows, runs a live window, returns it with the rows replayed meanwhile; cancels the replay. */
async function windowWithReplay(server: Service, label: string, tag: string): Promise<Window> {
  const post = (body: unknown): Promise<Answer> =>
    request({ port: server.port, method: 'POST', path: '/ops/replays', body: JSON.stringify(body), headers: { authorization: `Bearer ${API_TOKEN}` } });
  const dry = await post({ status: ['dead'], dryRun: true });
  progress(`${label}: dry run ${dry.status} ${dry.text}`);
  const started = await post({ status: ['dead'] });
  if (started.status !== 202) throw new Error(`POST /ops/replays answered ${started.status}: ${started.text}`);
  const id = (started.json as { id: number }).id;
  await delay(1000); // the replay under way before the window starts
  const before = await replayState(server, id);
  const window = await liveWindow(server, label, tag);
  const after = await replayState(server, id);
  window.replayedDuring = after.replayed - before.replayed;
  // And with no live traffic: the rate limit alone.
  await delay(5000);
  const idle = await replayState(server, id);
  window.replayedIdle = (idle.replayed - after.replayed) / 5;
  await request({ port: server.port, method: 'POST', path: `/ops/replays/${id}/cancel`, headers: { authorization: `Bearer ${API_TOKEN}` } });
  for (let i = 0; i < 100 && (await replayState(server, id)).state === 'running'; i++) await delay(100);
  return window;
}

export async function bulkReplay(platform: Platform): Promise<string[]> {
  const db = await createDatabase(`bulk_replay_${platform}`);
  const lines = [`${ROWS} dead rows; live traffic ${LIVE_RATE} callbacks/s (open loop, keep-alive) for ${WINDOW_S} s per window:`];
  const throttled = await startService({ name: `bulk-replay-${platform}`, platform, databaseUrl: db.url });
  try {
    progress(`seeding ${ROWS} dead rows`);
    await queryOnce(db.url, SEED, [ROWS]);
    await queryOnce(db.url, 'ANALYZE webhook_inbox');
    // Warm-up: connections, prepared statements, JIT.
    await liveWindow(throttled, 'warm-up', `warm-${platform}`).then((w) => progress(describeWindow(w)));
    const idle = await liveWindow(throttled, 'no replay', `idle-${platform}`);
    lines.push(describeWindow(idle));
    progress(lines.at(-1)!);
    const withReplay = await windowWithReplay(throttled, 'bulk replay at INBOX_REPLAY_RATE_PER_SECOND=200 (default)', `throttled-${platform}`);
    lines.push(describeWindow(withReplay));
    progress(lines.at(-1)!);
  } finally {
    await throttled.stop();
  }
  const unthrottled = await startService({ name: `bulk-replay-unthrottled-${platform}`, platform, databaseUrl: db.url, env: { INBOX_REPLAY_RATE_PER_SECOND: '100000' } });
  try {
    await liveWindow(unthrottled, 'warm-up', `warm2-${platform}`);
    const withFastReplay = await windowWithReplay(unthrottled, 'bulk replay at INBOX_REPLAY_RATE_PER_SECOND=100000 (no rate limit; gaps in live traffic only)', `unthrottled-${platform}`);
    lines.push(describeWindow(withFastReplay));
    progress(lines.at(-1)!);
  } finally {
    await unthrottled.stop();
    await db.drop();
  }
  return lines;
}
