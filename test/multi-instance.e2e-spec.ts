/**
 * Two instances of the built server (dist/main.js) on one PostgreSQL database, as behind a load
 * balancer: both are loaded at once, a share of the callbacks is delivered to both at the same
 * moment (Tencent retrying on another instance), and one instance is SIGKILLed mid-run while the
 * sender carries on with the survivor and resends what the killed one did not acknowledge.
 * Whatever either answered 200 must be in the inbox once, processed, and visible through the
 * survivor's read API; the rows the killed instance left pending must be taken over by the
 * survivor (no earlier than their lease allows); the projections must hold the state Tencent does.
 * PostgreSQL only (the postgres jest project).
 */
import http from 'node:http';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';
import {
  dedupeKeyOfPayload,
  generateCallbacks,
  isOkAnswer,
  runPool,
  startServer,
  stopAllServers,
  viewProblem,
  type GeneratedCallback,
  type ServerProcess,
} from './utils/server-process.js';
import { holdsWithin } from './utils/wait.js';

/** Distinct callbacks from the shared generator (70% C2C sends, 20% extension changes, 10% official account). */
const GENERATED = 1_200;
/** C2C messages that also get a longer history of extension changes (overwrites, deletes, clears). */
const MESSAGES_WITH_HISTORY = 30;
/** Share of the callbacks delivered to both instances at the same moment. */
const DUPLICATE_SHARE = 0.2;
const IN_FLIGHT = 48;
/** SIGKILL instance B once this share of the callbacks has been answered and B has MIN_B_IN_FLIGHT requests open... */
const KILL_AFTER_SHARE = 0.4;
const MIN_B_IN_FLIGHT = 12;
/** ...or, whatever B has open, once this share has been answered. */
const KILL_AT_THE_LATEST_SHARE = 0.6;
/** Looks at a frozen B before killing it anyway. */
const KILL_ATTEMPTS = 200;
const LEASE_SECONDS = 2;
const RETRY_POLL_MS = 200;
const SETTLE_DEADLINE_MS = 20_000;
const RESEND_ROUNDS = 5;
/** B's sessions carry this name, so that the test can see which statements are B's (pg_stat_activity). */
const B_APPLICATION_NAME = 'multi-instance-B';

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const onPostgres = process.env.TEST_DRIVER === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

type Instance = 'A' | 'B';
type Route = Instance | 'both';
type Outcome = { state: 'ok' } | { state: 'failed'; error: string } | { state: 'not-ok'; status: number; text: string };
interface Delivery {
  instance: Instance;
  /** Sent after B was killed (resends and rerouted callbacks). */
  afterKill: boolean;
  outcome: Outcome;
}

// ---------------------------------------------------------------------------------------------
// Extension histories and the Seq-order reference
// ---------------------------------------------------------------------------------------------

type Operation = 'set' | 'delete' | 'clear';
interface ExtensionsView {
  seq: number;
  items: { key: string; value: string; seq: number }[];
}
const OPERATE_TYPES: Record<number, Operation> = { 1: 'set', 2: 'delete', 3: 'clear' };

/** Six changes of one message: overwrites, a delete, a set after it, and (every third message) a clear. */
function extensionHistory(message: Record<string, unknown>, m: number): Record<string, unknown>[] {
  const steps: [Operation, string[]][] = [
    ['set', ['a', 'b']],
    ['set', ['a']],
    ['delete', ['b']],
    m % 3 === 0 ? ['clear', []] : ['set', ['c', 'b']],
    ['set', ['d']],
    m % 2 === 0 ? ['delete', ['a']] : ['set', ['a']],
  ];
  return steps.map(([operation, keys], i) => {
    const seq = i + 1;
    return {
      CallbackCommand: 'C2C.CallbackAfterC2CMsgExtension',
      // Either party may make a change.
      From_Account: seq % 2 === 0 ? message.To_Account : message.From_Account,
      To_Account: seq % 2 === 0 ? message.From_Account : message.To_Account,
      MsgKey: message.MsgKey,
      OperateType: operation === 'set' ? 1 : operation === 'delete' ? 2 : 3,
      ExtensionList: keys.map((key) => ({ Key: key, Value: operation === 'set' ? `m${m}-${key}-s${seq}` : '', Seq: seq })),
      Seq: seq,
      EventTime: 1_764_700_000_000 + m * 100 + seq,
    };
  });
}

/** The state Tencent holds: each change applied once, in Seq order. */
function extensionReference(changes: Record<string, unknown>[]): ExtensionsView {
  const state = new Map<string, { value: string; seq: number }>();
  let seq = 0;
  for (const change of [...changes].sort((a, b) => Number(a.Seq) - Number(b.Seq))) {
    const operation = OPERATE_TYPES[Number(change.OperateType)];
    if (operation === 'clear') state.clear();
    for (const item of change.ExtensionList as { Key: string; Value: string; Seq: number }[]) {
      if (operation === 'set') state.set(item.Key, { value: item.Value, seq: item.Seq });
      else state.delete(item.Key);
    }
    seq = Math.max(seq, Number(change.Seq));
  }
  const items = [...state].map(([key, held]) => ({ key, value: held.value, seq: held.seq }));
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { seq, items };
}

/** Seeded shuffle (the same run every time). */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describeOnPostgres(`several instances${onPostgres ? '' : ' [postgres project only: skipped on PGlite]'}: two servers on one database, one SIGKILLed mid-run`, () => {
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

  it(`${IN_FLIGHT} in flight over A and B, ${DUPLICATE_SHARE * 100}% delivered to both, B SIGKILLed after ${KILL_AFTER_SHARE * 100}%`, async () => {
    const runStart = Date.now();

    // 1. The callbacks: the shared mix, plus extension histories on messages the mix leaves alone.
    const generated = generateCallbacks('multi', GENERATED, 7);
    const changed = new Set(generated.filter((c) => c.kind === 'extension').map((c) => c.messageIndex!));
    const historyTargets = generated
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => c.kind === 'c2c' && !changed.has(i))
      .slice(0, MESSAGES_WITH_HISTORY);
    const histories: GeneratedCallback[] = historyTargets.flatMap(({ c, i }, m) =>
      extensionHistory(c.payload, m).map((payload) => ({ kind: 'extension' as const, payload, dedupeKey: dedupeKeyOfPayload(payload), messageIndex: i })),
    );
    const callbacks = [...generated, ...histories];
    const order = shuffled(
      callbacks.map((_, i) => i),
      11,
    );
    // Which instance each gets: alternate, and every fifth (seeded) to both at once.
    const routes = new Map<number, Route>(order.map((i, position) => [i, position % Math.round(1 / DUPLICATE_SHARE) === 0 ? 'both' : position % 2 === 0 ? 'A' : 'B']));
    expect(new Set(callbacks.map((c) => c.dedupeKey)).size).toBe(callbacks.length);

    // 2. Two instances on the same fresh database, started together (both migrate; one waits on the other's lock).
    const env = { WEBHOOK_LEASE_SECONDS: String(LEASE_SECONDS), WEBHOOK_RETRY_POLL_MS: String(RETRY_POLL_MS) };
    const urlOfB = new URL(database!.url!);
    urlOfB.searchParams.set('application_name', B_APPLICATION_NAME);
    const [a, b] = await Promise.all([startServer({ databaseUrl: database!.url, env }), startServer({ databaseUrl: urlOfB.toString(), env })]);
    const servers: Record<Instance, ServerProcess> = { A: a, B: b };
    const agents: Record<Instance, http.Agent> = {
      A: new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT }),
      B: new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT }),
    };
    try {
      const deliveries = new Map<number, Delivery[]>(callbacks.map((_, i) => [i, []]));
      const sent: Record<Instance, number> = { A: 0, B: 0 };
      const inFlight: Record<Instance, number> = { A: 0, B: 0 };
      let killed = false;
      let killedAt = 0;
      let inFlightAtKill = 0;
      let answered = 0;
      /** Answers (or failures) of requests to B, counted as they come back. */
      let answeredByB = 0;
      const killAfter = Math.floor(callbacks.length * KILL_AFTER_SHARE);
      const killAtTheLatest = Math.floor(callbacks.length * KILL_AT_THE_LATEST_SHARE);
      let answeredAtKill = 0;

      /** Indexes each instance has been sent (counted when the request starts). */
      const startedOn: Record<Instance, Set<number>> = { A: new Set(), B: new Set() };
      const deliver = async (instance: Instance, i: number): Promise<Outcome> => {
        const afterKill = killed;
        startedOn[instance].add(i);
        sent[instance] += 1;
        inFlight[instance] += 1;
        let outcome: Outcome;
        try {
          const answer = await servers[instance].postCallback(callbacks[i]!.payload, { agent: agents[instance] });
          outcome = isOkAnswer(answer) ? { state: 'ok' } : { state: 'not-ok', status: answer.status, text: answer.text };
        } catch (error) {
          outcome = { state: 'failed', error: error instanceof Error ? error.message : String(error) };
        } finally {
          inFlight[instance] -= 1;
          if (instance === 'B') answeredByB += 1;
        }
        deliveries.get(i)!.push({ instance, afterKill, outcome });
        return outcome;
      };
      const acked = (i: number): boolean => deliveries.get(i)!.some((d) => d.outcome.state === 'ok');

      // The inbox right after the kill, taken as soon as B is gone while A carries on: rows still
      // pending that only B was ever sent can only be finished by A's retry loop (a resend to A
      // finds the row and answers OK without dispatching it).
      interface KillSnapshot {
        statuses: Map<string, string>;
        sentToA: Set<number>;
        sentToB: Set<number>;
      }
      const snapshotAfterExit = async (): Promise<KillSnapshot> => {
        await b.waitForExit(10_000);
        const sentToA = new Set(startedOn.A);
        const sentToB = new Set(startedOn.B);
        const { rows } = await pool!.query<{ dedupe_key: string; status: string }>('select dedupe_key, status from webhook_inbox');
        return { statuses: new Map(rows.map((row) => [row.dedupe_key, row.status])), sentToA, sentToB };
      };
      let snapshot: Promise<KillSnapshot> | undefined;

      // Whether B holds stored rows that only B was sent and that are not processed yet: what its
      // death must leave behind for A to take over.
      const bHoldsPendingRows = async (): Promise<boolean> => {
        const { rows } = await pool!.query<{ dedupe_key: string }>("select dedupe_key from webhook_inbox where status in ('received', 'failed')");
        const pending = new Set(rows.map((row) => row.dedupe_key));
        return [...startedOn.B].some((i) => !startedOn.A.has(i) && pending.has(callbacks[i]!.dedupeKey));
      };
      // B commits and dispatches a batch within milliseconds, so a kill at a random moment may leave
      // nothing pending. Freeze B (SIGSTOP: nothing more of it reaches the database), look, and kill
      // it only while it holds pending rows; otherwise let it run a moment and look again.
      // Statements of B's sessions the server is still running (one waiting for a lock may wait for
      // frozen B itself: it is not counted).
      const runningOfB = async (): Promise<number> => {
        const { rows } = await pool!.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where application_name = $1 and state = 'active' and wait_event_type is distinct from 'Lock'",
          [B_APPLICATION_NAME],
        );
        return rows[0]!.n;
      };
      const killB = async (): Promise<void> => {
        for (let attempt = 1; ; attempt++) {
          b.kill('SIGSTOP');
          // The statements B had already sent finish: none of its sessions runs one, twice in a row (a
          // statement just read from the socket may not show as active yet). If they do not within a
          // second, look anyway: this only picks a good moment to kill.
          let quiet = 0;
          await holdsWithin(async () => ((await runningOfB()) === 0 ? ++quiet >= 2 : ((quiet = 0), false)), 1_000);
          if (attempt === KILL_ATTEMPTS || (await bHoldsPendingRows())) break;
          const answeredByBWhenFrozen = answeredByB;
          b.kill('SIGCONT');
          // Let B run until it has answered one more callback (the load goes on), then look again.
          await holdsWithin(() => answeredByB > answeredByBWhenFrozen, 1_000);
        }
        answeredAtKill = answered;
        killed = true;
        killedAt = Date.now();
        inFlightAtKill = inFlight.B;
        b.kill('SIGKILL');
        snapshot = snapshotAfterExit();
        snapshot.catch(() => undefined);
      };
      let killing = false;

      // 3. Load both; SIGKILL B with its share of the window in flight; from then on, everything goes to A.
      const loadStart = Date.now();
      await runPool(order, IN_FLIGHT, async (i) => {
        const route = routes.get(i)!;
        if (killed || route === 'A') await deliver('A', i);
        else if (route === 'B') await deliver('B', i);
        else await Promise.all([deliver('A', i), deliver('B', i)]);
        answered += 1;
        if (!killing && answered >= killAfter && (inFlight.B >= MIN_B_IN_FLIGHT || answered >= killAtTheLatest)) {
          killing = true;
          await killB();
        }
      });
      const loadMs = Date.now() - loadStart;
      expect((await b.waitForExit(10_000)).signal).toBe('SIGKILL');

      // Not an assertion (the test sets snapshot itself when it kills B); what matters, that B left rows
      // behind and A took every one of them over, is asserted below.
      if (!snapshot) throw new Error(`B was never killed: the load ended after ${answered} answers`);
      const atKill = await snapshot;
      const leftByB = [...atKill.sentToB].filter(
        (i) => !atKill.sentToA.has(i) && ['received', 'failed'].includes(atKill.statuses.get(callbacks[i]!.dedupeKey) ?? ''),
      );
      const pendingAtKill = [...atKill.statuses.values()].filter((status) => status === 'received' || status === 'failed').length;
      const bAckedBeforeKill = [...deliveries.values()].flat().filter((d) => d.instance === 'B' && d.outcome.state === 'ok').length;
      const bUnanswered = [...deliveries.values()].flat().filter((d) => d.instance === 'B' && d.outcome.state !== 'ok').length;

      // 4. A retrying sender: whatever nobody acknowledged goes to the survivor again.
      let resent = 0;
      for (let round = 0; round < RESEND_ROUNDS; round++) {
        const missing = callbacks.map((_, i) => i).filter((i) => !acked(i));
        if (missing.length === 0) break;
        // A sender's real pause between its retries (Tencent's retry interval), not synchronisation.
        if (round > 0) await delay(500);
        resent += missing.length;
        await runPool(missing, IN_FLIGHT, (i) => deliver('A', i));
      }
      const neverAcked = callbacks.map((_, i) => i).filter((i) => !acked(i));

      // 5. Every row processed within a bounded wait (B's leases expire after LEASE_SECONDS).
      const settleStart = Date.now();
      let counts: Record<string, number> = {};
      // Not settled by the deadline: the assertions below say which rows.
      await holdsWithin(
        async () => {
          const { rows } = await pool!.query<{ status: string; n: number }>('select status, count(*)::int as n from webhook_inbox group by status');
          counts = Object.fromEntries(rows.map((row) => [row.status, row.n]));
          return (counts.received ?? 0) + (counts.failed ?? 0) === 0 || (counts.dead ?? 0) > 0;
        },
        SETTLE_DEADLINE_MS,
        100,
      );
      const settleMs = Date.now() - settleStart;

      const { rows: inbox } = await pool!.query<{ dedupe_key: string | null; status: string; attempts: number; received_at: Date; processed_at: Date | null }>(
        'select dedupe_key, status, attempts, received_at, processed_at from webhook_inbox',
      );
      const rowsByKey = new Map<string, typeof inbox>();
      for (const row of inbox) rowsByKey.set(row.dedupe_key ?? '', [...(rowsByKey.get(row.dedupe_key ?? '') ?? []), row]);
      const keyOf = (i: number): string => callbacks[i]!.dedupeKey;
      const ackedIndexes = callbacks.map((_, i) => i).filter(acked);
      const ackedNotProcessed = ackedIndexes.filter((i) => rowsByKey.get(keyOf(i))?.[0]?.status !== 'processed').map(keyOf);
      const storedTwice = [...rowsByKey].filter(([, rows]) => rows.length > 1).map(([key]) => key);
      const strangers = inbox.filter((row) => !callbacks.some((c) => c.dedupeKey === row.dedupe_key)).length;
      const notProcessed = inbox.filter((row) => row.status !== 'processed');
      // One attempt per row: a duplicate delivery never dispatches, and no row is dispatched by both
      // instances. A listener failure (a query timeout on this loaded machine) legitimately adds
      // an attempt; each is logged, so more rows with extra attempts than failures logged is a double dispatch.
      const dispatchedTwice = inbox.filter((row) => row.attempts !== 1);
      const failuresLogged = [a, b].reduce((n, server) => n + (`${server.stdout()}${server.stderr()}`.match(/Listener failed for/g) ?? []).length, 0);
      // Taken over by A, and not before B's lease could have run out (lease_until >= received_at + lease).
      const recovered = leftByB.filter((i) => rowsByKey.get(keyOf(i))?.[0]?.status === 'processed');
      // (A row B had marked failed was released with a backoff instead: only 'received' ones are held by B's lease.)
      const takenEarly = recovered
        .filter((i) => atKill.statuses.get(keyOf(i)) === 'received')
        .map((i) => rowsByKey.get(keyOf(i))![0]!)
        .filter((row) => row.processed_at!.getTime() < row.received_at.getTime() + LEASE_SECONDS * 1000 - 50)
        .map((row) => `${row.dedupe_key} received ${row.received_at.toISOString()} processed ${row.processed_at!.toISOString()}`);
      const takeoverMs = recovered.length === 0 ? 0 : Math.max(...recovered.map((i) => rowsByKey.get(keyOf(i))![0]!.processed_at!.getTime())) - killedAt;

      // 6. Through the survivor's read API: every message (one GET per conversation or account),
      //    extensions equal to the Seq-order reference, unread totals equal to the newest send.
      const enc = (value: unknown): string => encodeURIComponent(String(value));
      const listPath = (c: GeneratedCallback): string =>
        c.kind === 'official-account'
          ? `/official-accounts/${enc(c.payload.Official_Account)}/messages?limit=500`
          : `/c2c/conversations/${enc(c.payload.From_Account)}/${enc(c.payload.To_Account)}/messages?limit=500`;
      const messageOf = (i: number): GeneratedCallback => (callbacks[i]!.kind === 'extension' ? callbacks[callbacks[i]!.messageIndex!]! : callbacks[i]!);
      const views = new Map<string, unknown>();
      const readProblems: string[] = [];
      const readAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      await runPool([...new Set(callbacks.map((c) => listPath(c.kind === 'extension' ? callbacks[c.messageIndex!]! : c)))], 8, async (path) => {
        const answer = await a.get(path, readAgent);
        const items = (answer.json as { items?: { msgKey: string }[] } | undefined)?.items;
        if (answer.status !== 200 || !items) readProblems.push(`GET ${path}: ${answer.status}`);
        else if (items.length === 500) readProblems.push(`GET ${path}: 500 items, the check needs fewer per list`);
        else for (const item of items) views.set(`${path}#${item.msgKey}`, item);
      });
      const viewOf = (i: number): unknown => views.get(`${listPath(messageOf(i))}#${String(messageOf(i).payload.MsgKey)}`);
      const invisible = ackedIndexes
        .filter((i) => callbacks[i]!.kind !== 'extension')
        .map((i) => viewProblem(callbacks[i]!, viewOf(i)))
        .filter((problem): problem is string => problem !== undefined);

      const changesByMessage = new Map<number, Record<string, unknown>[]>();
      for (const c of callbacks) if (c.kind === 'extension') changesByMessage.set(c.messageIndex!, [...(changesByMessage.get(c.messageIndex!) ?? []), c.payload]);
      const extensionMismatches: string[] = [];
      for (const [messageIndex, changes] of changesByMessage) {
        const expected = extensionReference(changes);
        const shown = (viewOf(messageIndex) as { extensions?: ExtensionsView } | undefined)?.extensions;
        if (JSON.stringify(shown) !== JSON.stringify(expected)) {
          extensionMismatches.push(`${String(callbacks[messageIndex]!.payload.MsgKey)}: shown ${JSON.stringify(shown)}, expected ${JSON.stringify(expected)}`);
        }
      }

      const newestSend = new Map<string, Record<string, unknown>>();
      for (const c of callbacks) {
        if (c.kind !== 'c2c' || c.payload.SendMsgResult !== 0) continue;
        const to = String(c.payload.To_Account);
        const held = newestSend.get(to);
        const newer = !held || Number(c.payload.MsgTime) > Number(held.MsgTime) || (c.payload.MsgTime === held.MsgTime && Number(c.payload.MsgSeq) > Number(held.MsgSeq));
        if (newer) newestSend.set(to, c.payload);
      }
      const unreadMismatches: string[] = [];
      await runPool([...newestSend], 8, async ([user, payload]) => {
        const answer = await a.get(`/c2c/users/${enc(user)}/unread`, readAgent);
        const shown = (answer.json as { unreadMsgNum?: number } | undefined)?.unreadMsgNum;
        if (answer.status !== 200 || shown !== payload.UnreadMsgNum) unreadMismatches.push(`${user}: ${answer.status} ${answer.text}, expected ${String(payload.UnreadMsgNum)}`);
      });
      readAgent.destroy();

      const all = [...deliveries.values()].flat();
      const okFrom = (instance: Instance): number => all.filter((d) => d.instance === instance && d.outcome.state === 'ok').length;
      const duplicates = order.filter((i) => routes.get(i) === 'both' && deliveries.get(i)!.some((d) => d.instance === 'B'));
      const duplicatesBothOk = duplicates.filter((i) => ['A', 'B'].every((x) => deliveries.get(i)!.some((d) => d.instance === x && d.outcome.state === 'ok')));
      const notOkFromA = all.filter((d) => d.instance === 'A' && d.outcome.state !== 'ok');
      const sentToAAfterKill = all.filter((d) => d.instance === 'A' && d.afterKill).length;
      const lost = new Set([...ackedNotProcessed, ...invisible]);
      process.stdout.write(
        `multi-instance: callbacks=${callbacks.length} (c2c=${callbacks.filter((c) => c.kind === 'c2c').length} extension=${callbacks.filter((c) => c.kind === 'extension').length} ` +
          `official-account=${callbacks.filter((c) => c.kind === 'official-account').length}) lease=${LEASE_SECONDS}s poll=${RETRY_POLL_MS}ms in-flight=${IN_FLIGHT}\n` +
          `multi-instance: sent A=${sent.A} B=${sent.B} acknowledged A=${okFrom('A')} B=${okFrom('B')} distinct-acknowledged=${ackedIndexes.length}/${callbacks.length} ` +
          `duplicates-to-both=${duplicates.length} (both answered OK: ${duplicatesBothOk.length}) not-ok-from-A=${notOkFromA.length}\n` +
          `multi-instance: B killed after ${answeredAtKill} answered, ${Math.round(killedAt - loadStart)} ms into the load: in-flight-at-kill=${inFlightAtKill} ` +
          `B-acknowledged=${bAckedBeforeKill} B-unanswered=${bUnanswered} sent-to-A-after-kill=${sentToAAfterKill} (of which resent ${resent}) never-acknowledged=${neverAcked.length}\n` +
          `multi-instance: pending-at-kill=${pendingAtKill} rows-left-pending-by-B=${leftByB.length} recovered-by-survivor=${recovered.length} taken-before-lease-expiry=${takenEarly.length} ` +
          `takeover-ms-after-kill=${takeoverMs} settle-ms=${settleMs} statuses=${JSON.stringify(counts)} dispatched-more-than-once=${dispatchedTwice.length} listener-failures-logged=${failuresLogged}\n` +
          `multi-instance: lost=${lost.size} stored-twice=${storedTwice.length} not-processed=${notProcessed.length} invisible=${invisible.length} ` +
          `extension-mismatches=${extensionMismatches.length}/${changesByMessage.size} unread-mismatches=${unreadMismatches.length}/${newestSend.size} ` +
          `load-ms=${loadMs} rate=${Math.round((all.length * 1000) / Math.max(1, loadMs))}/s total-ms=${Date.now() - runStart}\n`,
      );

      expect({
        lost: [...lost].slice(0, 5),
        neverAcked: neverAcked.map(keyOf).slice(0, 5),
        storedTwice: storedTwice.slice(0, 5),
        strangers,
        notProcessed: notProcessed.slice(0, 5).map((row) => `${row.dedupe_key ?? '-'}: ${row.status}`),
        readProblems: readProblems.slice(0, 5),
        extensionMismatches: extensionMismatches.slice(0, 3),
        unreadMismatches: unreadMismatches.slice(0, 3),
        takenEarly: takenEarly.slice(0, 3),
      }).toEqual({
        lost: [],
        neverAcked: [],
        storedTwice: [],
        strangers: 0,
        notProcessed: [],
        readProblems: [],
        extensionMismatches: [],
        unreadMismatches: [],
        takenEarly: [],
      });
      expect(inbox).toHaveLength(callbacks.length);
      expect(dispatchedTwice.length).toBeLessThanOrEqual(failuresLogged);
      expect(inFlightAtKill).toBeGreaterThan(0);
      // The takeover was exercised: B left rows behind, and A finished every one of them.
      expect(leftByB.length).toBeGreaterThan(0);
      expect(recovered).toHaveLength(leftByB.length);
      expect(duplicates.length).toBeGreaterThan(0);
    } finally {
      agents.A.destroy();
      agents.B.destroy();
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 90_000);
});
