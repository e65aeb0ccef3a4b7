/**
 * Crash test: the built server is SIGKILLed while 24 callbacks are in flight; whatever it answered
 * 200 OK must be in the inbox and, after a restart on the same database, processed and visible
 * through the read API. PostgreSQL only (the postgres jest project): a real server survives the
 * crash independently of the process, which is the point.
 */
import http from 'node:http';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';
import {
  generateCallbacks,
  isOkAnswer,
  readApiProblem,
  runPool,
  viewProblem,
  startServer,
  stopAllServers,
  type GeneratedCallback,
  type ServerProcess,
} from './utils/server-process.js';

const ROUNDS = 3;
const CALLBACKS_PER_ROUND = 2_000;
const IN_FLIGHT = 24;
/** SIGKILL once this share of the round's callbacks has been answered (or failed). */
const KILL_AFTER_SHARE = 0.4;
const RECOVERY_DEADLINE_MS = 20_000;
const POLL_MS = 100;

type Outcome = { state: 'ok' } | { state: 'failed'; error: string } | { state: 'not-ok'; status: number; text: string };

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const onPostgres = process.env.TEST_DRIVER === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres(`crash recovery${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: SIGKILL mid-stream, restart, nothing acknowledged is lost`, () => {
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
  });

  afterAll(async () => {
    await stopAllServers();
    await pool?.end();
    await database?.drop();
  });

  /** Inbox status by dedupe key, for the given keys (absent: no row). */
  async function inboxStatuses(keys: string[]): Promise<Map<string, string>> {
    const { rows } = await pool!.query<{ dedupe_key: string; status: string }>(
      'select dedupe_key, status from webhook_inbox where dedupe_key = any($1::text[])',
      [keys],
    );
    return new Map(rows.map((row) => [row.dedupe_key, row.status]));
  }

  /** Polls until every key is processed or the deadline passes; returns the keys still not processed. */
  async function waitProcessed(keys: string[], deadlineMs: number): Promise<string[]> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const statuses = await inboxStatuses(keys);
      const pending = keys.filter((key) => statuses.get(key) !== 'processed');
      if (pending.length === 0 || Date.now() > deadline) return pending;
      await delay(POLL_MS);
    }
  }

  /** Read-API problems of the given callbacks (an extension only when its message is in `withMessages`). */
  async function readProblems(server: ServerProcess, all: GeneratedCallback[], indexes: number[], withMessages: Set<number>): Promise<Map<number, string>> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const problems = new Map<number, string>();
    const checked = indexes.filter((i) => all[i]!.kind !== 'extension' || withMessages.has(all[i]!.messageIndex!));
    await runPool(checked, 16, async (i) => {
      const problem = await readApiProblem(server, all[i]!, agent).catch((error: unknown) => `read API request failed: ${String(error)}`);
      if (problem) problems.set(i, problem);
    });
    agent.destroy();
    return problems;
  }

  /**
   * The same check for many callbacks at once through the list routes: one GET per conversation or
   * official account instead of one per callback.
   */
  async function listProblems(server: ServerProcess, all: GeneratedCallback[], indexes: number[]): Promise<string[]> {
    const enc = (value: unknown): string => encodeURIComponent(String(value));
    const listPath = (c: GeneratedCallback): string =>
      c.kind === 'official-account'
        ? `/official-accounts/${enc(c.payload.Official_Account)}/messages?limit=500`
        : `/c2c/conversations/${enc(c.payload.From_Account)}/${enc(c.payload.To_Account)}/messages?limit=500`;
    const views = new Map<string, unknown>();
    const problems: string[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    await runPool([...new Set(indexes.map((i) => listPath(all[i]!)))], 8, async (path) => {
      const answer = await server.get(path, agent);
      const items = (answer.json as { items?: { msgKey: string }[] } | undefined)?.items;
      if (answer.status !== 200 || !items) problems.push(`GET ${path}: ${answer.status}`);
      else if (items.length === 500) problems.push(`GET ${path}: 500 items, the check needs fewer per list`);
      else for (const item of items) views.set(`${path}#${item.msgKey}`, item);
    });
    agent.destroy();
    for (const i of indexes) {
      const problem = viewProblem(all[i]!, views.get(`${listPath(all[i]!)}#${String(all[i]!.payload.MsgKey)}`));
      if (problem) problems.push(problem);
    }
    return problems;
  }

  async function send(server: ServerProcess, all: GeneratedCallback[], indexes: number[], outcomes: Map<number, Outcome>, onAnswered?: () => void, stop?: () => boolean): Promise<void> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    try {
      await runPool(
        indexes,
        IN_FLIGHT,
        async (i) => {
          let outcome: Outcome;
          try {
            const answer = await server.postCallback(all[i]!.payload, { agent });
            outcome = isOkAnswer(answer) ? { state: 'ok' } : { state: 'not-ok', status: answer.status, text: answer.text };
          } catch (error) {
            outcome = { state: 'failed', error: error instanceof Error ? error.message : String(error) };
          }
          outcomes.set(i, outcome);
          onAnswered?.();
        },
        stop,
      );
    } finally {
      agent.destroy();
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}/${ROUNDS}: ${CALLBACKS_PER_ROUND} callbacks, ${IN_FLIGHT} in flight, SIGKILL after ${KILL_AFTER_SHARE * 100}%`, async () => {
      const roundStart = Date.now();
      const callbacks = generateCallbacks(`crash${round}`, CALLBACKS_PER_ROUND, round);
      const everything = callbacks.map((_, i) => i);
      const keyOf = (i: number): string => callbacks[i]!.dedupeKey;

      // 1. Stream callbacks; SIGKILL the server once 40% are answered, with the rest of the window in flight.
      const first = await startServer({ databaseUrl: database!.url });
      const beforeKill = new Map<number, Outcome>();
      let answeredAtKill = 0;
      let killed = false;
      const killAfter = Math.floor(CALLBACKS_PER_ROUND * KILL_AFTER_SHARE);
      const sendStart = Date.now();
      await send(
        first,
        callbacks,
        everything,
        beforeKill,
        () => {
          if (!killed && beforeKill.size >= killAfter) {
            killed = true;
            answeredAtKill = beforeKill.size;
            first.kill('SIGKILL');
          }
        },
        () => killed,
      );
      const sendMs = Date.now() - sendStart;
      // Workers stop taking callbacks at the kill, so whatever was answered after it was in flight then.
      const inFlightAtKill = beforeKill.size - answeredAtKill;
      expect((await first.waitForExit(10_000)).signal).toBe('SIGKILL');

      const sent = [...beforeKill.keys()];
      const acked = sent.filter((i) => beforeKill.get(i)!.state === 'ok');
      const failed = sent.filter((i) => beforeKill.get(i)!.state === 'failed');
      const notOk = [...beforeKill.values()].filter((o) => o.state === 'not-ok');

      // 2. The inbox as the crash left it.
      const atKill = await inboxStatuses(sent.map(keyOf));
      const storedAtKill = sent.filter((i) => atKill.has(keyOf(i)));
      const pendingAtKill = storedAtKill.filter((i) => atKill.get(keyOf(i)) !== 'processed');
      const ackedMissingAtKill = acked.filter((i) => !atKill.has(keyOf(i)));
      const ackedPendingAtKill = acked.filter((i) => atKill.has(keyOf(i)) && atKill.get(keyOf(i)) !== 'processed');
      const storedUnacked = failed.filter((i) => atKill.has(keyOf(i)));

      // 3. Restart on the same database. Before anything is sent again, start-up recovery and the retry
      //    loop must finish every row the crash left pending, and every acknowledged callback must be
      //    processed and visible.
      const restartAt = Date.now();
      const second = await startServer({ databaseUrl: database!.url });
      try {
        const stillPending = await waitProcessed([...new Set([...acked, ...storedAtKill])].map(keyOf), RECOVERY_DEADLINE_MS);
        const recoverMs = Date.now() - restartAt;
        const stillPendingSet = new Set(stillPending);
        const invisible = await readProblems(second, callbacks, acked, new Set(acked));
        const lost = new Set([...acked.map(keyOf).filter((k) => stillPendingSet.has(k)), ...[...invisible.keys()].map(keyOf)]);
        const recovered = pendingAtKill.filter((i) => !stillPendingSet.has(keyOf(i))).length;

        // 4. The rest of the set: never sent, and those the crash cut off (as a retrying sender would).
        const remaining = everything.filter((i) => beforeKill.get(i)?.state !== 'ok');
        const afterRestart = new Map<number, Outcome>();
        await send(second, callbacks, remaining, afterRestart);
        const notAckedAfterRestart = [...afterRestart.values()].filter((o) => o.state !== 'ok');
        const allPending = await waitProcessed(callbacks.map((c) => c.dedupeKey), RECOVERY_DEADLINE_MS);
        // The whole set, through the list routes (step 3 read the acknowledged ones one by one).
        const allInvisible = await listProblems(second, callbacks, everything);
        const { rows: counted } = await pool!.query<{ n: string }>('select count(*) as n from webhook_inbox where dedupe_key = any($1::text[])', [
          callbacks.map((c) => c.dedupeKey),
        ]);

        process.stdout.write(
          `crash-test: round ${round}/${ROUNDS} callbacks=${callbacks.length} sent-before-kill=${sent.length} acknowledged=${acked.length} ` +
            `in-flight-at-kill=${inFlightAtKill} failed=${failed.length} non-ok=${notOk.length} ` +
            `stored-at-kill=${storedAtKill.length} (unacknowledged ${storedUnacked.length}) pending-at-kill=${pendingAtKill.length} ` +
            `acknowledged-missing-at-kill=${ackedMissingAtKill.length} acknowledged-pending-at-kill=${ackedPendingAtKill.length} ` +
            `recovered-after-restart=${recovered} lost=${lost.size} time-to-recover-ms=${recoverMs} (of which server start-up ${second.startupMs}) ` +
            `sent-after-restart=${remaining.length} processed=${callbacks.length - allPending.length}/${callbacks.length} ` +
            `send-rate=${Math.round((sent.length * 1000) / sendMs)}/s round-ms=${Date.now() - roundStart}\n`,
        );

        expect({
          lost: [...lost].slice(0, 5),
          invisible: [...invisible.values()].slice(0, 5),
          ackedMissingAtKill: ackedMissingAtKill.map(keyOf).slice(0, 5),
          notOk: notOk.slice(0, 3),
          notAckedAfterRestart: notAckedAfterRestart.slice(0, 3),
          allPending: allPending.slice(0, 5),
          allInvisible: allInvisible.slice(0, 5),
        }).toEqual({ lost: [], invisible: [], ackedMissingAtKill: [], notOk: [], notAckedAfterRestart: [], allPending: [], allInvisible: [] });
        expect(lost.size).toBe(0);
        expect(inFlightAtKill).toBeGreaterThanOrEqual(20);
        expect(Number(counted[0]!.n)).toBe(callbacks.length); // one inbox row each: nothing doubled
      } finally {
        await second.stop();
      }
    }, 80_000);
  }
});
