/**
 * Database outage: the built server runs on a throwaway PostgreSQL cluster which the test stops
 * (`pg_ctl stop -m immediate`) and starts again mid-run. While it is down every callback is answered
 * 503 in the envelope, never 200; once it is back the service answers 200 again by itself, without a
 * restart; every callback answered 200 is processed and readable; the process never dies.
 * PostgreSQL project only (PGlite cannot go away).
 */
import http from 'node:http';
import pg from 'pg';
import {
  createPgCluster,
  destroyAllPgClusters,
  generateCallbacks,
  isFailEnvelope,
  isOkAnswer,
  readApiProblem,
  runPool,
  startServer,
  stopAllServers,
  type HttpAnswer,
  type PgCluster,
  type ServerProcess,
} from './utils/server-process.js';

const WORKERS = 8;
/** Pause between two callbacks of one worker, so that the outage window does not burn thousands. */
const PACE_MS = 10;
const POLL_MS = 20;
const OK_BEFORE = 150;
const OK_AFTER = 150;
/** The cluster stays down until this many callbacks sent after it stopped have been answered. */
const ANSWERED_WHILE_DOWN = 50;
const RECOVERY_DEADLINE_MS = 15_000;

interface Sent {
  startedAt: number;
  doneAt?: number;
  answer?: HttpAnswer;
  error?: string;
}

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const onPostgres = process.env.TEST_DRIVER === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

async function until(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

describeOnPostgres(`database outage${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: a throwaway cluster stopped and started mid-run`, () => {
  let cluster: PgCluster | undefined;
  let server: ServerProcess | undefined;
  let pool: pg.Pool | undefined;

  afterAll(async () => {
    await stopAllServers();
    await pool?.end();
    await destroyAllPgClusters();
  });

  it('503 in the envelope while the database is down, 200 again without a restart, every 200 processed and readable, the process alive', async () => {
    const setupStart = Date.now();
    cluster = await createPgCluster();
    await cluster.start();
    const clusterMs = Date.now() - setupStart;
    server = await startServer({
      databaseUrl: cluster.url(),
      env: { WEBHOOK_RETRY_BASE_DELAY_MS: '200', WEBHOOK_RETRY_MAX_DELAY_MS: '1000' },
    });
    const live = server;
    const callbacks = generateCallbacks('outage', 4_000, 3);
    const sent = new Map<number, Sent>();
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const timeline = { stopBegin: 0, stopEnd: 0, startBegin: 0, startEnd: 0, firstOkAfterStart: 0 };
    const okCount = (): number => [...sent.values()].filter((r) => r.answer && isOkAnswer(r.answer)).length;

    let streaming = true;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (streaming && next < callbacks.length) {
        const i = next++;
        const record: Sent = { startedAt: Date.now() };
        sent.set(i, record);
        try {
          record.answer = await live.postCallback(callbacks[i]!.payload, { agent, timeoutMs: 10_000 });
        } catch (error) {
          record.error = error instanceof Error ? error.message : String(error);
        }
        record.doneAt = Date.now();
        await delay(PACE_MS);
      }
    };
    const stream = Promise.all(Array.from({ length: WORKERS }, worker));

    try {
      // 1. Callbacks flow and are answered 200.
      expect(await until(() => okCount() >= OK_BEFORE, 20_000)).toBe(true);

      // 2. The database goes away mid-stream, like a crash (no shutdown checkpoint, connections cut).
      timeline.stopBegin = Date.now();
      await cluster.stop('immediate');
      timeline.stopEnd = Date.now();
      const answeredWhileDown = (): number => [...sent.values()].filter((r) => r.startedAt >= timeline.stopEnd && r.doneAt !== undefined).length;
      expect(await until(() => answeredWhileDown() >= ANSWERED_WHILE_DOWN, 20_000)).toBe(true);

      // 3. It comes back on the same port and data directory; the service must notice by itself.
      timeline.startBegin = Date.now();
      await cluster.start();
      timeline.startEnd = Date.now();
      const okAfterStart = (): Sent[] =>
        [...sent.values()].filter((r) => r.startedAt >= timeline.startEnd && r.answer && isOkAnswer(r.answer));
      const recovered = await until(() => okAfterStart().length > 0, RECOVERY_DEADLINE_MS);
      timeline.firstOkAfterStart = Math.min(...okAfterStart().map((r) => r.doneAt!));
      if (recovered) await until(() => okAfterStart().length >= OK_AFTER, 20_000);
    } finally {
      streaming = false;
      await stream;
      agent.destroy();
    }

    const records = [...sent];
    const whileDown = records.filter(([, r]) => r.startedAt >= timeline.stopEnd && r.doneAt! <= timeline.startBegin);
    const whileDownNot503 = whileDown.filter(([, r]) => !(r.answer?.status === 503 && isFailEnvelope(r.answer)));
    const anyOkWhileDown = whileDown.filter(([, r]) => r.answer?.status === 200);
    const unexpected = records.filter(([, r]) => !(r.answer && (isOkAnswer(r.answer) || (r.answer.status === 503 && isFailEnvelope(r.answer)))));
    const answered503 = records.filter(([, r]) => r.answer?.status === 503).map(([i]) => i);
    const okBefore = records.filter(([, r]) => r.doneAt! <= timeline.stopBegin && r.answer && isOkAnswer(r.answer)).length;
    const okAfter = records.filter(([, r]) => r.startedAt >= timeline.startEnd && r.answer && isOkAnswer(r.answer)).length;
    const aliveAfterOutage = server.exit() === undefined;

    // 4. What was refused is delivered again (as a retrying sender would): accepted now.
    const resent = new Map<number, HttpAnswer | string>();
    await runPool(answered503, WORKERS, async (i) => {
      resent.set(i, await live.postCallback(callbacks[i]!.payload).catch((error: unknown) => String(error)));
    });
    const resentNotOk = [...resent.values()].filter((a) => typeof a === 'string' || !isOkAnswer(a));

    // 5. Every callback answered 200 (before, during the transitions, after, resent) is processed and readable.
    const acked = records.filter(([, r]) => r.answer && isOkAnswer(r.answer)).map(([i]) => i);
    for (const [i, a] of resent) if (typeof a !== 'string' && isOkAnswer(a)) acked.push(i);
    const ackedSet = new Set(acked);
    pool = new pg.Pool({ connectionString: cluster.url(), max: 2 });
    const keys = acked.map((i) => callbacks[i]!.dedupeKey);
    const processDeadline = Date.now() + 20_000;
    let notProcessed: string[] = keys;
    while (notProcessed.length > 0 && Date.now() < processDeadline) {
      const { rows } = await pool.query<{ dedupe_key: string; status: string }>(
        'select dedupe_key, status from webhook_inbox where dedupe_key = any($1::text[])',
        [keys],
      );
      const status = new Map(rows.map((r) => [r.dedupe_key, r.status]));
      notProcessed = keys.filter((k) => status.get(k) !== 'processed');
      if (notProcessed.length > 0) await delay(100);
    }
    const { rows: statuses } = await pool.query<{ status: string; n: string }>('select status, count(*) as n from webhook_inbox group by status order by status');
    const readAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const invisible: string[] = [];
    await runPool(
      acked.filter((i) => callbacks[i]!.kind !== 'extension' || ackedSet.has(callbacks[i]!.messageIndex!)),
      8,
      async (i) => {
        const problem = await readApiProblem(live, callbacks[i]!, readAgent).catch((error: unknown) => String(error));
        if (problem) invisible.push(problem);
      },
    );
    readAgent.destroy();
    const stillAlive = server.exit() === undefined;
    if (!stillAlive) {
      // The process died: its last words are the diagnosis.
      process.stdout.write(
        `database-outage: the server exited ${JSON.stringify(server.exit())}\nits stderr (end):\n${server.stderr().slice(-6000)}\nits stdout (end):\n${server.stdout().slice(-6000)}\n`,
      );
    }

    process.stdout.write(
      `database-outage: cluster-initdb+start-ms=${clusterMs} ok-before-stop=${okBefore} stop-ms=${timeline.stopEnd - timeline.stopBegin} ` +
        `sent-while-down=${whileDown.length} (503-envelope: ${whileDown.length - whileDownNot503.length}, 200: ${anyOkWhileDown.length}) ` +
        `restart-ms=${timeline.startEnd - timeline.startBegin} first-200-ms-after-cluster-start=${timeline.firstOkAfterStart - timeline.startEnd} ` +
        `ok-after-restart=${okAfter} total-sent=${records.length} total-503=${answered503.length} unexpected=${unexpected.length} ` +
        `resent-503-now-ok=${resent.size - resentNotOk.length}/${resent.size} acknowledged=${acked.length} not-processed=${notProcessed.length} ` +
        `invisible=${invisible.length} inbox=${statuses.map((s) => `${s.status}:${s.n}`).join(',')} process-alive=${stillAlive}\n`,
    );

    expect({
      aliveAfterOutage,
      stillAlive,
      sentWhileDown: whileDown.length >= ANSWERED_WHILE_DOWN,
      whileDownNot503: whileDownNot503.slice(0, 3).map(([, r]) => r.error ?? `${r.answer?.status} ${r.answer?.text}`),
      unexpected: unexpected.slice(0, 3).map(([, r]) => r.error ?? `${r.answer?.status} ${r.answer?.text}`),
      recoveredWithinDeadline: timeline.firstOkAfterStart - timeline.startEnd <= RECOVERY_DEADLINE_MS,
      okAfterRestart: okAfter >= OK_AFTER,
      resentNotOk: resentNotOk.slice(0, 3),
      notProcessed: notProcessed.slice(0, 5),
      invisible: invisible.slice(0, 5),
    }).toEqual({
      aliveAfterOutage: true,
      stillAlive: true,
      sentWhileDown: true,
      whileDownNot503: [],
      unexpected: [],
      recoveredWithinDeadline: true,
      okAfterRestart: true,
      resentNotOk: [],
      notProcessed: [],
      invisible: [],
    });
  }, 90_000);
  it('a database that stops answering (SIGSTOP: a hung server or a network partition) gets 503 within Tencent\'s 2 s, then 200 again once it answers', async () => {
    const hung = await createPgCluster();
    await hung.start();
    const app = await startServer({ databaseUrl: hung.url() });
    const tag = 'hung';
    const calls = generateCallbacks(tag, 40, 9).filter((c) => c.kind !== 'extension');
    const [warm, whileHung, after] = [calls.slice(0, 10), calls.slice(10, 15), calls.slice(15, 25)];
    try {
      for (const c of warm) expect(isOkAnswer(await app.postCallback(c.payload))).toBe(true);

      hung.freeze();
      const answers = await Promise.all(
        whileHung.map(async (c) => {
          const startedAt = Date.now();
          const answer = await app.postCallback(c.payload, { timeoutMs: 5_000 }).catch((error: unknown) => String(error));
          return { ms: Date.now() - startedAt, answer };
        }),
      );
      hung.thaw();

      // Back: without a restart, callbacks are accepted again; every 200 is processed.
      const deadline = Date.now() + RECOVERY_DEADLINE_MS;
      const post = (payload: Record<string, unknown>): Promise<HttpAnswer | string> =>
        app.postCallback(payload, { timeoutMs: 5_000 }).catch((error: unknown) => String(error));
      const ok = (a: HttpAnswer | string): boolean => typeof a !== 'string' && isOkAnswer(a);
      const afterAnswers: (HttpAnswer | string)[] = [];
      for (const c of after) {
        let answer = await post(c.payload);
        while (!ok(answer) && Date.now() < deadline) {
          await delay(100);
          answer = await post(c.payload);
        }
        afterAnswers.push(answer);
      }
      const acked = [...warm, ...after.filter((_, i) => ok(afterAnswers[i]!)), ...whileHung.filter((_, i) => ok(answers[i]!.answer))];
      const invisible: string[] = [];
      const visibleDeadline = Date.now() + 20_000;
      for (const c of acked) {
        let problem = await readApiProblem(app, c);
        while (problem && Date.now() < visibleDeadline) {
          await delay(100);
          problem = await readApiProblem(app, c);
        }
        if (problem) invisible.push(problem);
      }
      const show = (a: HttpAnswer | string): string => (typeof a === 'string' ? a : `${a.status} ${a.text}`);
      process.stdout.write(
        `database-outage: hung-database answers=${JSON.stringify(answers.map((a) => `${show(a.answer)} after ${a.ms} ms`))} ` +
          `after-thaw=${afterAnswers.filter(ok).length}/${after.length} ok, invisible=${invisible.length}, ` +
          `process-alive=${app.exit() === undefined}\n`,
      );

      expect({
        whileHung: answers.map((a) => (typeof a.answer !== 'string' && a.answer.status === 503 && isFailEnvelope(a.answer) && a.ms <= 2_000 ? '503 within 2 s' : `${show(a.answer)} after ${a.ms} ms`)),
        afterThaw: afterAnswers.map((a) => (ok(a) ? 'OK' : show(a))),
        invisible,
        alive: app.exit() === undefined,
      }).toEqual({
        whileHung: whileHung.map(() => '503 within 2 s'),
        afterThaw: after.map(() => 'OK'),
        invisible: [],
        alive: true,
      });
    } finally {
      hung.thaw();
      await app.stop();
      await hung.destroy();
    }
  }, 90_000);
});
