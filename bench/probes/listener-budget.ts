// Issue 17, item 11: LISTENER_BUDGET_MS. The service runs with one extra listener that takes 5 s on
// every c2c.message.sent (bench/probes/slow-listener/main.ts). Three distinct signed callbacks are
// sent at once: each answer should come after about the budget, not after 5 s; each inbox row
// should become processed about 5 s after receipt; two seconds in, Tencent's retry of the first one
// (same body, signed anew) should be answered OK without a second dispatch. Nothing doubled: one
// row per callback, attempts 1, the listener started and finished once per callback (its own log
// lines). Run with the default budget (1000 ms) and with 300 ms.
import { join } from 'node:path';
import {
  c2cMessage,
  createDatabase,
  dedupeKeyOf,
  delay,
  formatSpread,
  inboxRows,
  ms,
  officialAccountMessage,
  postSigned,
  progress,
  ROOT,
  spread,
  startService,
  tally,
  type Answer,
  type InboxSummary,
  type Platform,
} from './common.js';

const SLOW_LISTENER_MS = 5000;
const BUDGETS: (number | undefined)[] = [undefined, 300];
const CALLBACKS = 3;
const COMMAND = 'C2C.CallbackAfterSendMsg';
const SCRIPT = join(ROOT, 'dist', 'bench', 'bench', 'probes', 'slow-listener', 'main.js');

async function once(platform: Platform, budgetMs: number | undefined): Promise<string[]> {
  const label = budgetMs === undefined ? 'LISTENER_BUDGET_MS unset (default 1000)' : `LISTENER_BUDGET_MS=${budgetMs}`;
  const tag = `budget-${platform}-${budgetMs ?? 'default'}`;
  const db = await createDatabase(`budget_${platform}`);
  const env: Record<string, string> = { SLOW_LISTENER_MS: String(SLOW_LISTENER_MS) };
  if (budgetMs !== undefined) env.LISTENER_BUDGET_MS = String(budgetMs);
  const server = await startService({ name: tag, platform, databaseUrl: db.url, env, script: SCRIPT });
  const lines: string[] = [`${label}, listener ${SLOW_LISTENER_MS} ms:`];
  try {
    // Warm-up on a command the slow listener does not get.
    for (let i = 0; i < 5; i++) {
      const warm = await postSigned(server.port, officialAccountMessage(`${tag}-warm`, i));
      if (warm.status !== 200) throw new Error(`warm-up callback answered ${warm.status}: ${warm.text}`);
    }
    const payloads = Array.from({ length: CALLBACKS }, (_, i) => c2cMessage(tag, i));
    progress(`${platform}, ${label}: ${CALLBACKS} callbacks at once, the first retried 2 s in`);
    const sentAt = Date.now();
    const answering = Promise.all(payloads.map((payload) => postSigned(server.port, payload, undefined, 15_000)));
    await delay(2000);
    const retry = await postSigned(server.port, payloads[0]!);
    const answers = await answering;
    lines.push(`  answers: ${tally(answers.map((a) => a.status))} ${tally(answers.map((a) => (a.json as { ActionStatus?: string } | undefined)?.ActionStatus))}; time to answer ${formatSpread(spread(answers.map((a) => a.ms)))}`);
    lines.push(`  Tencent's retry of the first, 2 s in: ${retry.status} ${retry.text} in ${ms(retry.ms)}`);

    const keys = payloads.map(dedupeKeyOf);
    const deadline = Date.now() + SLOW_LISTENER_MS + 15_000;
    let rows: InboxSummary[] = [];
    for (;;) {
      rows = (await inboxRows(server.port, COMMAND)).filter((row) => row.dedupeKey !== null && keys.includes(row.dedupeKey));
      if ((rows.length >= keys.length && rows.every((r) => r.status === 'processed')) || Date.now() > deadline) break;
      await delay(100);
    }
    // Each row's processedAt is after the listener's end: the time from receipt is the listener's 5 s plus the mark.
    const processedAfter = rows.filter((r) => r.processedAt).map((r) => Date.parse(r.processedAt!) - Date.parse(r.receivedAt));
    lines.push(`  inbox (read API): ${rows.length} rows for ${keys.length} callbacks (rows per callback ${tally(keys.map((k) => rows.filter((r) => r.dedupeKey === k).length))}); status ${tally(rows.map((r) => r.status))}; attempts ${tally(rows.map((r) => r.attempts))}`);
    lines.push(`  processedAt - receivedAt: ${formatSpread(spread(processedAfter))}; first processed ${ms(Math.min(...rows.filter((r) => r.processedAt).map((r) => Date.parse(r.processedAt!))) - sentAt)} after the callbacks were sent`);
    await delay(300);
    const log = server.log();
    const starts = payloads.map((p) => log.split('\n').filter((line) => line.startsWith(`probe-listener start ${String(p.MsgKey)} `)).length);
    const dones = payloads.map((p) => log.split('\n').filter((line) => line.startsWith(`probe-listener done ${String(p.MsgKey)} `)).length);
    const outcomes = log.split('\n').filter((line) => line.includes('"outcome":') && line.includes(COMMAND)).map((line) => /"outcome":"(\w+)"/.exec(line)?.[1]);
    lines.push(`  access log outcome of the ${COMMAND} answers: ${tally(outcomes)}`);
    lines.push(`  slow listener runs per callback: started ${tally(starts)}, finished ${tally(dones)}`);
    const budget = budgetMs ?? 1000;
    const met =
      answers.every((a: Answer) => a.status === 200 && a.ms < budget + 1000) &&
      retry.status === 200 &&
      rows.length === keys.length &&
      rows.every((r) => r.status === 'processed' && r.attempts === 1) &&
      starts.every((n) => n === 1) &&
      dones.every((n) => n === 1);
    lines.push(`  target (answered after about the budget, processed once, about ${SLOW_LISTENER_MS} ms later): ${met ? 'met' : 'NOT met'}`);
  } finally {
    await server.stop();
    await db.drop();
  }
  return lines;
}

export async function listenerBudget(platform: Platform): Promise<string[]> {
  const lines: string[] = [];
  for (const budget of BUDGETS) lines.push(...(await once(platform, budget)));
  return lines;
}
