// `npm run bench`: the baseline (bare Nest + Express), then the real service (dist/main.js) on
// PostgreSQL (on Express, the default platform, and on Fastify) and on embedded PGlite, each
// loaded by autocannon with signed, realistic webhook traffic; checks that every acknowledged
// callback was processed; prints the table and the issue 16 targets and writes them to
// bench/results.md. Settings (environment): bench/README.md, or SETTINGS below.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from 'nats';
import pg from 'pg';
import { waitForInbox, type StatusCounts } from './inbox.js';
import { mergeLoads, runLoad, stopAllLoads, type LoadResult } from './load.js';
import { formatProfile, summarizeProfile } from './profile.js';
import { rssTable, scenarioTable, signedPercent, targetTable, type RssSample, type ScenarioRow, type TargetRow } from './report.js';
import { freePort, startServer, type ServerProcess } from './server.js';
import { AFTER_EXTENSION, AFTER_SEND, afterMix, DEFAULT_GROUP_SHARE, GROUP_SEND, OFFICIAL_ACCOUNT_SEND, TrafficGenerator, type OutgoingCallback } from './traffic.js';

// Compiled to dist/bench/bench/run.js: the repository is three levels up.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVICE_MAIN = join(ROOT, 'dist', 'main.js');
const BASELINE_MAIN = join(ROOT, 'dist', 'bench', 'bench', 'baseline', 'main.js');
const GC_PROBE = join(ROOT, 'dist', 'bench', 'bench', 'gc-probe.js');
/** The same bare app on Nest + Fastify: a reference row, not in the ratios (the Fastify service's rate is also given over it). */
const FASTIFY_REFERENCE_MAIN = join(ROOT, 'dist', 'bench', 'bench', 'baseline', 'fastify-main.js');
const FASTIFY_REFERENCE_ROW = 'reference: bare Nest + Fastify (not in the ratios)';
/** The service plus one trivial decision handler (bench/decisions/main.ts). */
const DECISIONS_MAIN = join(ROOT, 'dist', 'bench', 'bench', 'decisions', 'main.js');
const PROFILES_DIR = join(ROOT, 'bench', 'profiles');

function intEnv(name: string, fallback: number, min: number): number;
function intEnv(name: string, fallback: undefined, min: number): number | undefined;
function intEnv(name: string, fallback: number | undefined, min: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

const SCENARIOS = ['baseline', 'fastify', 'postgres', 'postgres-fastify', 'before', 'pglite', 'relay'] as const;
type ScenarioName = (typeof SCENARIOS)[number];
/** The scenarios that measure the service, each next to the baseline; its row names the platform it ran on. */
type ServiceScenario = Exclude<ScenarioName, 'baseline' | 'fastify'>;
/** HTTP_PLATFORM of the service (src/config/app-config.ts); express is its default. */
type Platform = 'express' | 'fastify';
const SERVICE_ROWS: Record<ServiceScenario, string> = {
  postgres: 'service on PostgreSQL (Express), after callbacks',
  'postgres-fastify': 'service on PostgreSQL (Fastify), after callbacks',
  before: 'service on PostgreSQL (Express), before-callback decisions (one trivial handler)',
  pglite: 'service on PGlite (Express), after callbacks',
  relay: 'service on PostgreSQL (Fastify) relaying every event to NATS JetStream, after callbacks',
};

const SETTINGS = {
  /** Measured seconds per scenario. */
  durationS: intEnv('BENCH_DURATION_S', 10, 1),
  /** Paired measurement: the service's measured seconds go in slices this long, each next to a baseline slice. */
  sliceS: intEnv('BENCH_SLICE_S', 2, 1),
  warmupS: intEnv('BENCH_WARMUP_S', 3, 0),
  connections: intEnv('BENCH_CONNECTIONS', 50, 1),
  /** RSS-flatness mode: this many after callbacks to the PostgreSQL service after its measured run. */
  callbacks: intEnv('BENCH_CALLBACKS', undefined, 100),
  users: intEnv('BENCH_USERS', 5000, 2),
  officialAccounts: 20,
  groups: intEnv('BENCH_GROUPS', 2000, 1),
  /** Group messages' share of the after callbacks, 0 to 1 (0: issue 16's one-to-one mix, to see what groups cost). */
  groupShare: shareEnv('BENCH_GROUP_SHARE', DEFAULT_GROUP_SHARE),
  /** A superuser connection to create and drop the benchmark's database. */
  pgUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  only: parseOnly(process.env.BENCH_ONLY),
  cpuProf: process.env.BENCH_CPU_PROF === '1',
  /** LOG_LEVEL of the service; unset: its default (log: one JSON line per request, as in production). */
  logLevel: process.env.BENCH_LOG_LEVEL,
  resultsPath: resolve(ROOT, process.env.BENCH_RESULTS ?? join('bench', 'results.md')),
  strict: process.env.BENCH_STRICT === '1',
  /** The NATS server (JetStream) of the relay scenario. */
  natsUrl: process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222',
};

function shareEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1: ${raw}`);
  return value;
}

function mixLine(): string {
  const mix = afterMix(SETTINGS.groupShare);
  const pct = (share: number): string => `${Math.round(share * 100)}%`;
  return (
    `${pct(mix[GROUP_SEND])} new ${GROUP_SEND} (one group in ten a community, its messages in topics), ${pct(mix[AFTER_SEND])} new ${AFTER_SEND}, ` +
    `${pct(mix[AFTER_EXTENSION])} ${AFTER_EXTENSION} (set/delete, increasing Seq, on earlier messages), ${pct(mix[OFFICIAL_ACCOUNT_SEND])} ${OFFICIAL_ACCOUNT_SEND}`
  );
}

function parseOnly(value: string | undefined): Set<ScenarioName> {
  if (value === undefined || value.trim() === '') return new Set(SCENARIOS);
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  return new Set(names as ScenarioName[]);
}

const SDKAPPID = '1400000000';
const CALLBACK_TOKEN = randomBytes(16).toString('hex');
const API_TOKEN = randomBytes(16).toString('hex');
const WEBHOOK_PATH = '/webhook';
const TRAFFIC_SEED = 20_240_611;
const INBOX_STATUSES_AFTER = ['processed', 'received', 'failed', 'dead', 'rejected', 'unhandled'] as const;
const DRAIN_TIMEOUT_MS = 20_000;
const SLICE_SETTLE_MS = 500;

const started = Date.now();
const stamp = new Date(started).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '_');

function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[bench ${seconds}s] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every server, database and directory this run creates is undone, also on failure or ^C.
// ---------------------------------------------------------------------------------------------

class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];

  /** Registers an undo step; the returned function runs it now (once) instead of at the end. */
  add(name: string, undo: () => Promise<void>): () => Promise<void> {
    let done: Promise<void> | undefined;
    const step = { name, run: () => (done ??= undo()) };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index >= 0) this.steps.splice(index, 1);
      await step.run();
    };
  }

  async runAll(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`[bench] cleanup "${step.name}" failed: ${messageOf(error)}`);
      }
    }
  }
}

const cleanup = new Cleanup();
/** Set on ^C: nothing new is started, whatever the scenario code does meanwhile. */
let interrupted = false;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** A connection URL without its password, for output. */
const masked = (text: string): string => text.replace(/(postgres(?:ql)?:\/\/[^:@/\s]*):[^@/\s]*@/g, '$1:***@');

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

interface Outcome {
  rows: ScenarioRow[];
  rss?: {
    samples: RssSample[];
    load: LoadResult;
    startMiB: number;
    warmupCallbacks: number;
    maxGrowthPercent: number;
    /** Undefined when the service did not report after every tenth. */
    maxAfterGcGrowthPercent: number | undefined;
    maxHeapGrowthPercent: number | undefined;
    trendPercent: number;
    check: string;
  };
  profiles: string[];
  raw: Record<string, unknown>;
  failures: string[];
  relay?: RelayFigures;
}

/** The relay scenario: what reached the stream, how fast, and how long after its callback's processing commit. */
interface RelayFigures {
  callbacks: number;
  events: number;
  uniqueIds: number;
  /** Events over the time from the first to the last stored (the relay's own rate). */
  eventsPerSec: number;
  /** Events per second the load produced (2 per acknowledged callback over the load's length). */
  producedPerSec: number;
  /** From the processing commit (processed_at) to JetStream's store time. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** From the end of the load to an empty relay backlog. */
  drainMs: number;
  /** The whole inbox published again from the start: the relay's own capacity. */
  catchUpEventsPerSec: number;
}

const outcome: Outcome = { rows: [], profiles: [], raw: {}, failures: [] };

interface Measured {
  warm: LoadResult | undefined;
  load: LoadResult;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** The server's CPU time per answer while measured (user + system, all its threads), in µs. */
  cpuUsPerRequest: number;
  /** The baseline's slices next to the service's (see measurePaired). */
  paired?: { baseline: Measurement; ratio: number; sliceRatios: number[] };
}

/** The baseline server, kept running from its own measurement to the end so that every service scenario is measured next to it. */
let baselineServer: { server: ServerProcess; next: () => OutgoingCallback; stop: () => Promise<void> } | undefined;

function loadSummary(load: LoadResult): string {
  const codes = Object.entries(load.statusCodes)
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
  return `${Math.round(load.reqPerSec)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, max ${load.maxMs} ms, ${load.errors} errors (${load.timeouts} timeouts), ${load.non2xx} non-2xx [${codes}]`;
}

function commandSummary(load: LoadResult): string {
  return Object.entries(load.byCommand)
    .map(([command, l]) => `    ${command}: ${l.responses} answers, p50 ${l.p50Ms} ms, p90 ${l.p90Ms} ms, p99 ${l.p99Ms} ms`)
    .join('\n');
}

/**
 * Server-side time of the webhook requests logged after `mark` (the access log's responseTime: from the
 * platform's first hook, Fastify's onRequest or Express' first middleware, to the answer). Far below
 * the client's latency means requests wait before the server reads them: a busy event loop. Empty
 * when the service logs below info.
 */
function serverSideLatency(server: ServerProcess, mark: number): string {
  const times: number[] = [];
  for (const line of server.logSince(mark).split('\n')) {
    if (!line.includes('"responseTime"') || !line.includes(WEBHOOK_PATH)) continue;
    try {
      const entry = JSON.parse(line) as { responseTime?: unknown; req?: { path?: unknown } };
      if (entry.req?.path === WEBHOOK_PATH && typeof entry.responseTime === 'number') times.push(entry.responseTime);
    } catch {
      // not a JSON log line
    }
  }
  if (times.length === 0) return '';
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return `server-side (pino responseTime, ${times.length} requests): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${times.at(-1)} ms`;
}

/** Error and warning lines of the server's log (pino levels 40+, or anything not JSON), for a failed check. */
function logProblems(server: ServerProcess, max = 10): string {
  const lines = server
    .logSince(0)
    .split('\n')
    .filter((line) => {
      if (line.trim() === '') return false;
      try {
        return ((JSON.parse(line) as { level?: unknown }).level as number) >= 40;
      } catch {
        return true;
      }
    });
  if (lines.length === 0) return '    (no warnings or errors in the server log)';
  // The cause of a failed query comes after the query text and its parameters: keep both ends.
  const shown = lines.slice(0, max).map((line) => `    ${line.length > 700 ? `${line.slice(0, 300)} [...] ${line.slice(-400)}` : line}`);
  return [...shown, ...(lines.length > max ? [`    ... and ${lines.length - max} more`] : [])].join('\n');
}

async function warmAndMeasure(label: string, server: ServerProcess, next: () => OutgoingCallback, pairWithBaseline = false): Promise<Measured> {
  const url = server.baseUrl;
  let warm: LoadResult | undefined;
  if (SETTINGS.warmupS > 0) {
    progress(`${label}: warming up for ${SETTINGS.warmupS} s`);
    warm = await runLoad({ url, connections: SETTINGS.connections, durationS: SETTINGS.warmupS, next });
  }
  const mark = server.logSize();
  const paired = pairWithBaseline && baselineServer ? await measurePaired(label, server, next, baselineServer) : undefined;
  const measured = paired?.service ?? (await measureAlone(label, server, next));
  countAnswers(server.name, warm, measured.load);
  progress(`${label}: ${loadSummary(measured.load)}; RSS ${measured.rssAfterMiB.toFixed(0)} MiB; server CPU ${measured.cpuUsPerRequest.toFixed(0)} µs per answer`);
  console.log(commandSummary(measured.load));
  const serverSide = serverSideLatency(server, mark);
  if (serverSide) console.log(`    ${serverSide}`);
  if (paired) {
    const { baseline, ratio, sliceRatios } = paired;
    countAnswers(baselineServer!.server.name, baseline.load);
    progress(
      `${label}: the baseline in the paired slices: ${loadSummary(baseline.load)}; ratio ${ratio.toFixed(2)} ` +
        `(slice by slice ${sliceRatios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    return { warm, ...measured, paired: { baseline, ratio, sliceRatios } };
  }
  return { warm, ...measured };
}

type Measurement = Omit<Measured, 'warm' | 'paired'>;

/** Load phases on one server, added up: every answer's latency, and the server's CPU time while loaded. */
class Phases {
  private readonly loads: LoadResult[] = [];
  private cpuMs = 0;
  private readonly rssBeforeMiB: number;

  constructor(
    private readonly server: ServerProcess,
    private readonly next: () => OutgoingCallback,
  ) {
    this.rssBeforeMiB = server.rssMiB();
  }

  async run(durationS: number): Promise<LoadResult> {
    if (interrupted) throw new Error('interrupted');
    const cpuBeforeMs = this.server.cpuMs();
    const load = await runLoad({ url: this.server.baseUrl, connections: SETTINGS.connections, durationS, next: this.next });
    this.cpuMs += this.server.cpuMs() - cpuBeforeMs;
    this.loads.push(load);
    return load;
  }

  result(): Measurement {
    const load = this.loads.length === 1 ? this.loads[0]! : mergeLoads(this.loads);
    const cpuUsPerRequest = load.responses > 0 ? (this.cpuMs * 1000) / load.responses : 0;
    return { load, rssBeforeMiB: this.rssBeforeMiB, rssAfterMiB: this.server.rssMiB(), cpuUsPerRequest };
  }
}

async function measureAlone(label: string, server: ServerProcess, next: () => OutgoingCallback): Promise<Measurement> {
  progress(`${label}: measuring for ${SETTINGS.durationS} s with ${SETTINGS.connections} connections (RSS ${server.rssMiB().toFixed(0)} MiB)`);
  const phases = new Phases(server, next);
  await phases.run(SETTINGS.durationS);
  return phases.result();
}

/**
 * The service's measured seconds in slices of BENCH_SLICE_S, each next to a slice of the same length
 * on the baseline (which stays up, idle while the service is loaded and the other way round), in the
 * order baseline-service, service-baseline, ... The ratio is then taken between loads that met the
 * same machine: on these shared machines the speed drifts within a minute (unchanged code measured
 * the bare baseline at 3,048 and 5,294 req/s a few minutes apart), which made a ratio to baselines
 * measured before and after the service a matter of luck.
 */
async function measurePaired(
  label: string,
  serviceServer: ServerProcess,
  next: () => OutgoingCallback,
  baseline: { server: ServerProcess; next: () => OutgoingCallback },
): Promise<{ service: Measurement; baseline: Measurement; ratio: number; sliceRatios: number[] }> {
  const slices = Math.max(1, Math.round(SETTINGS.durationS / SETTINGS.sliceS));
  progress(
    `${label}: measuring for ${slices * SETTINGS.sliceS} s with ${SETTINGS.connections} connections, in ${slices} slices of ${SETTINGS.sliceS} s, ` +
      `each next to one on the baseline (RSS ${serviceServer.rssMiB().toFixed(0)} MiB)`,
  );
  const service = new Phases(serviceServer, next);
  const base = new Phases(baseline.server, baseline.next);
  const sliceRatios: number[] = [];
  // A slice stops with answers in flight, which the service still finishes (and dispatches) after
  // it: the pause keeps that work out of the next slice, which may be the baseline's.
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SLICE_SETTLE_MS));
  for (let i = 0; i < slices; i++) {
    const first = i % 2 === 0 ? base : service;
    const firstLoad = await first.run(SETTINGS.sliceS);
    await settle();
    const secondLoad = await (first === base ? service : base).run(SETTINGS.sliceS);
    await settle();
    const [baseLoad, serviceLoad] = first === base ? [firstLoad, secondLoad] : [secondLoad, firstLoad];
    sliceRatios.push(serviceLoad.reqPerSec / baseLoad.reqPerSec);
  }
  const serviceResult = service.result();
  const baseResult = base.result();
  return { service: serviceResult, baseline: baseResult, ratio: serviceResult.load.reqPerSec / baseResult.load.reqPerSec, sliceRatios };
}

function rowOf(scenario: string, measured: Measurement): ScenarioRow {
  const { load } = measured;
  return {
    scenario,
    reqPerSec: load.reqPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    errors: load.errors,
    non2xx: load.non2xx,
    rssBeforeMiB: measured.rssBeforeMiB,
    rssAfterMiB: measured.rssAfterMiB,
    cpuUsPerRequest: measured.cpuUsPerRequest,
  };
}

/** Each service scenario's row and the row of the baseline slices paired with it: the targets compare the two. */
const serviceRows = new Map<ServiceScenario, { row: ScenarioRow; baseline?: ScenarioRow }>();

/** A service scenario's row, after the row of the baseline slices it was paired with (its ratio's denominator). */
function pushServiceRows(scenario: ServiceScenario, measured: Measured, check: Pick<ScenarioRow, 'acknowledged' | 'processed' | 'lost' | 'problem'>): void {
  const baseline = measured.paired ? rowOf(`baseline, in the slices paired with the next row`, measured.paired.baseline) : undefined;
  const row: ScenarioRow = { ...rowOf(SERVICE_ROWS[scenario], measured), ratio: measured.paired?.ratio, sliceRatios: measured.paired?.sliceRatios, ...check };
  if (baseline) outcome.rows.push(baseline);
  outcome.rows.push(row);
  serviceRows.set(scenario, { row, baseline });
}

function traffic(): TrafficGenerator {
  return new TrafficGenerator({
    sdkAppId: SDKAPPID,
    token: CALLBACK_TOKEN,
    webhookPath: WEBHOOK_PATH,
    users: SETTINGS.users,
    officialAccounts: SETTINGS.officialAccounts,
    groups: SETTINGS.groups,
    groupShare: SETTINGS.groupShare,
    seed: TRAFFIC_SEED,
  });
}

/** 2xx answers to after callbacks: the callbacks the service acknowledged, warm-up included. */
const acknowledgedBy = (...loads: (LoadResult | undefined)[]): number => loads.reduce((sum, load) => sum + (load?.ok2xx ?? 0), 0);

/**
 * Every acknowledged callback must be in the inbox as processed, and nothing left received,
 * failed, dead, rejected or unhandled. Requests cut off when a phase stopped may have been
 * processed without their answer being counted: processed may exceed acknowledged by those.
 */
async function checkProcessed(label: string, server: ServerProcess, acknowledged: number): Promise<{ counts: StatusCounts; lost: number; problem?: string }> {
  progress(`${label}: checking the inbox (GET /webhook-events?status=...): ${acknowledged} callbacks acknowledged`);
  const { counts, settled } = await waitForInbox(
    server.baseUrl,
    API_TOKEN,
    INBOX_STATUSES_AFTER,
    (c) => c.received === 0 && c.failed === 0 && c.processed! >= acknowledged,
    DRAIN_TIMEOUT_MS,
  );
  const processed = counts.processed ?? 0;
  const lost = Math.max(0, acknowledged - processed);
  const leftover = INBOX_STATUSES_AFTER.filter((s) => s !== 'processed' && (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  const problems = [...(lost > 0 ? [`${lost} acknowledged callbacks not processed`] : []), ...(leftover.length > 0 ? [`inbox rows ${leftover.join(', ')}`] : [])];
  const problem = problems.length > 0 ? `${problems.join('; ')}${settled ? '' : ` (after waiting ${DRAIN_TIMEOUT_MS / 1000} s)`}` : undefined;
  progress(`${label}: inbox ${JSON.stringify(counts)}: ${problem ?? `OK, all ${acknowledged} acknowledged callbacks processed (${processed - acknowledged} more were processed whose answer came after the load stopped)`}`);
  if (problem) console.log(`  warnings and errors the server logged:\n${logProblems(server)}`);
  return { counts, lost, problem };
}

function profileArgs(name: string): string[] {
  if (!SETTINGS.cpuProf) return [];
  mkdirSync(PROFILES_DIR, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${PROFILES_DIR}`, `--cpu-prof-name=${stamp}-${name}.cpuprofile`];
}

/** Requests each server answered (all phases), for the profile's time per request. */
const answered = new Map<string, number>();
const countAnswers = (label: string, ...loads: (LoadResult | undefined)[]): void => {
  answered.set(label, (answered.get(label) ?? 0) + loads.reduce((sum, load) => sum + (load?.responses ?? 0), 0));
};

function reportProfile(name: string, label: string, server: ServerProcess): void {
  if (!SETTINGS.cpuProf) return;
  const path = join(PROFILES_DIR, `${stamp}-${name}.cpuprofile`);
  if (!existsSync(path)) {
    progress(`${label}: no CPU profile was written (${relative(ROOT, path)})`);
    return;
  }
  const text = formatProfile(`${label} (${relative(ROOT, path)})`, summarizeProfile(path, server.startupMs), answered.get(label) ?? 0);
  console.log(text);
  outcome.profiles.push(text);
}

/** What start() adds to a server's command line and environment. */
interface Extra {
  nodeArgs: string[];
  env: Record<string, string>;
}

/** The RSS flatness run's service: it collects its garbage and reports its memory on SIGUSR2 (bench/gc-probe.ts). */
function gcProbe(tmp: string): Extra & { file: string } {
  const file = join(tmp, 'gc-probe.jsonl');
  return { file, nodeArgs: ['--expose-gc', '--import', pathToFileURL(GC_PROBE).href], env: { BENCH_GC_PROBE_FILE: file } };
}

async function start(
  name: string,
  label: string,
  script: string,
  env: Record<string, string>,
  tmp: string,
  extra: Extra = { nodeArgs: [], env: {} },
): Promise<{ server: ServerProcess; stop: () => Promise<void> }> {
  if (interrupted) throw new Error('interrupted');
  const port = await freePort();
  progress(`${label}: starting ${relative(ROOT, script)} on port ${port}`);
  const server = await startServer({
    name: label,
    script,
    env: { ...env, ...extra.env, PORT: String(port) },
    port,
    logPath: join(tmp, `${name}.log`),
    nodeArgs: [...profileArgs(name), ...extra.nodeArgs],
    startTimeoutMs: 120_000,
  });
  progress(`${label}: up (pid ${server.pid}, RSS ${server.rssMiB().toFixed(0)} MiB)`);
  const stop = cleanup.add(`stop ${label}`, async () => {
    await server.stop();
    progress(`${label}: stopped`);
  });
  return { server, stop };
}

function serviceEnv(platform: Platform, database: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    // Explicit even for the default: a row names its platform, and a changed default must not move it.
    HTTP_PLATFORM: platform,
    SDKAPPID,
    CALLBACK_AUTH_TOKEN: CALLBACK_TOKEN,
    API_TOKEN,
    WEBHOOK_PATH,
    ...(SETTINGS.logLevel ? { LOG_LEVEL: SETTINGS.logLevel } : {}),
    ...database,
  };
}

/**
 * The platform the service's start line names (`Listening on port N (express)`, logged by dist/main.js
 * and bench/decisions/main.ts): a row must not claim a platform its server did not run on. The log
 * is written asynchronously, so the line may come a little after the first answer; a BENCH_LOG_LEVEL
 * above log hides it, and then the platform is only reported as not confirmed.
 */
async function confirmPlatform(label: string, server: ServerProcess, platform: Platform): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const match = /Listening on port \d+ \((\w+)\)/.exec(server.logSince(0));
    if (match) {
      if (match[1] !== platform) throw new Error(`${label}: the service runs on ${match[1]}, not ${platform} (HTTP_PLATFORM=${platform})`);
      progress(`${label}: runs on ${platform} (its start line: "${match[0]}")`);
      return;
    }
    if (Date.now() > deadline) {
      progress(`${label}: platform not confirmed: no start line in its log (BENCH_LOG_LEVEL=${SETTINGS.logLevel ?? ''} may hide it)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A service process on `platform` for the length of `body`; stopped (and its CPU profile reported) after it, also on failure. */
async function withService(
  options: { name: string; label: string; script: string; platform: Platform; database: Record<string, string>; tmp: string; extra?: Extra },
  body: (server: ServerProcess) => Promise<void>,
): Promise<void> {
  const { name, label, platform } = options;
  const { server, stop } = await start(name, label, options.script, serviceEnv(platform, options.database), options.tmp, options.extra);
  try {
    await confirmPlatform(label, server, platform);
    await body(server);
  } catch (error) {
    if (!interrupted) console.error(`[bench] ${label} failed; last lines of its log:\n${server.logTail()}`);
    throw error;
  } finally {
    await stop();
    reportProfile(name, label, server);
  }
}

/** After callbacks measured next to the baseline, then the inbox check; returns the loads, which the RSS run's check counts too. */
async function measureAfterCallbacks(scenario: ServiceScenario, label: string, server: ServerProcess, generator: TrafficGenerator): Promise<(LoadResult | undefined)[]> {
  const measured = await warmAndMeasure(label, server, () => generator.nextAfter(), true);
  const acknowledged = acknowledgedBy(measured.warm, measured.load);
  const check = await checkProcessed(label, server, acknowledged);
  pushServiceRows(scenario, measured, { acknowledged, processed: check.counts.processed, lost: check.lost, problem: check.problem });
  outcome.raw[scenario] = { ...measured, inbox: check.counts, mix: { ...generator.counts } };
  if (check.problem) outcome.failures.push(`${SERVICE_ROWS[scenario]}: ${check.problem}`);
  return [measured.warm, measured.load];
}

/**
 * Measured alone first, then kept up to the end of the run: every service scenario is measured in
 * slices next to slices on it (measurePaired), and its ratio is taken against those.
 */
async function runBaseline(tmp: string): Promise<void> {
  const label = 'baseline';
  const { server, stop } = await start(label, label, BASELINE_MAIN, { NODE_ENV: 'production' }, tmp);
  try {
    const generator = traffic();
    const next = (): OutgoingCallback => generator.nextAfter();
    const measured = await warmAndMeasure(label, server, next);
    outcome.rows.push(rowOf('baseline: bare Nest + Express (alone)', measured));
    outcome.raw[label] = measured;
    baselineServer = { server, next, stop };
  } catch (error) {
    await stop();
    reportProfile(label, label, server);
    throw error;
  }
}

async function stopBaseline(): Promise<void> {
  if (!baselineServer) return;
  const { server, stop } = baselineServer;
  baselineServer = undefined;
  await stop();
  reportProfile('baseline', 'baseline', server);
}

/** The service's HTTP stack with nothing behind it: how far each service scenario is from it (printed beside the targets). */
async function runFastifyReference(tmp: string): Promise<void> {
  const label = 'fastify-reference';
  const { server, stop } = await start(label, label, FASTIFY_REFERENCE_MAIN, { NODE_ENV: 'production' }, tmp);
  try {
    const generator = traffic();
    const measured = await warmAndMeasure(label, server, () => generator.nextAfter());
    outcome.rows.push(rowOf(FASTIFY_REFERENCE_ROW, measured));
    outcome.raw[label] = measured;
  } finally {
    await stop();
    reportProfile(label, label, server);
  }
}

/** A fresh database per service scenario (`suffix` tells them apart): no scenario's inbox check counts another's rows. */
async function createDatabase(suffix = ''): Promise<{ url: string; drop: () => Promise<void>; version: string }> {
  if (interrupted) throw new Error('interrupted');
  const name = `bench_${stamp}_${process.pid}${suffix}`;
  const admin = new pg.Client({ connectionString: SETTINGS.pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${masked(SETTINGS.pgUrl)} is not reachable (set BENCH_PG_URL): ${messageOf(error)}`, { cause: error });
  }
  let version: string;
  try {
    version = ((await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?').split(' ')[0]!;
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  progress(`postgres: created database ${name}`);
  const drop = cleanup.add(`drop database ${name}`, async () => {
    const client = new pg.Client({ connectionString: SETTINGS.pgUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      progress(`postgres: dropped database ${name}`);
    } finally {
      await client.end();
    }
  });
  const url = new URL(SETTINGS.pgUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop, version };
}

/** The service on PostgreSQL on the default platform (Express): after callbacks, the RSS-flatness run, then before callbacks on the same database. */
async function runPostgres(tmp: string): Promise<void> {
  const wantsAfter = SETTINGS.only.has('postgres');
  const wantsBefore = SETTINGS.only.has('before');
  const database = await createDatabase();
  outcome.raw.postgresVersion = database.version;
  try {
    const generator = traffic();
    if (wantsAfter || SETTINGS.callbacks !== undefined) {
      const probe = SETTINGS.callbacks !== undefined ? gcProbe(tmp) : undefined;
      const options = { name: 'postgres', label: 'postgres (express)', script: SERVICE_MAIN, platform: 'express' as const, database: { DATABASE_URL: database.url }, tmp, extra: probe };
      await withService(options, async (server) => {
        const afterLoads = wantsAfter ? await measureAfterCallbacks('postgres', options.label, server, generator) : [];
        if (probe) await runRssFlatness(server, probe.file, generator, afterLoads);
      });
    }
    if (wantsBefore) {
      const options = { name: 'before', label: 'before-callback (express)', script: DECISIONS_MAIN, platform: 'express' as const, database: { DATABASE_URL: database.url }, tmp };
      await withService(options, (server) => runBefore(options.label, server, generator));
    }
  } finally {
    await database.drop();
  }
}

/**
 * The PostgreSQL scenario's traffic (the same seed) on the service started with HTTP_PLATFORM=fastify,
 * on a database of its own: its inbox check must count its own rows only.
 */
async function runPostgresFastify(tmp: string): Promise<void> {
  const database = await createDatabase('_fastify');
  outcome.raw.postgresVersion ??= database.version;
  try {
    const generator = traffic();
    const options = { name: 'postgres-fastify', label: 'postgres (fastify)', script: SERVICE_MAIN, platform: 'fastify' as const, database: { DATABASE_URL: database.url }, tmp };
    await withService(options, async (server) => {
      await measureAfterCallbacks('postgres-fastify', options.label, server, generator);
    });
  } finally {
    await database.drop();
  }
}

/** C2C.CallbackBeforeSendMsg on the service with one trivial handler: guard, pipe, decision, answer; the audit row is written after the answer. */
async function runBefore(label: string, server: ServerProcess, generator: TrafficGenerator): Promise<void> {
  const measured = await warmAndMeasure(label, server, () => generator.nextBefore(), true);
  const acknowledged = acknowledgedBy(measured.warm, measured.load);
  progress(`${label}: waiting for the audit rows (status decided)`);
  const { counts } = await waitForInbox(server.baseUrl, API_TOKEN, ['decided'], (c) => c.decided! >= acknowledged, DRAIN_TIMEOUT_MS);
  const decided = counts.decided ?? 0;
  const lost = Math.max(0, acknowledged - decided);
  const problem = lost > 0 ? `${lost} decided callbacks have no audit row` : undefined;
  progress(`${label}: ${decided} audit rows for ${acknowledged} answered decisions${problem ? `: ${problem}` : ''}`);
  if (problem) console.log(`  warnings and errors the server logged:\n${logProblems(server)}`);
  pushServiceRows('before', measured, { acknowledged, processed: decided, lost, problem });
  outcome.raw.before = { ...measured, inbox: counts };
  if (problem) outcome.failures.push(`${SERVICE_ROWS.before}: ${problem}`);
}

/**
 * RSS across BENCH_CALLBACKS after callbacks to the PostgreSQL service, after a warm-up of a tenth
 * as many under the same load. At the end of each tenth the service runs a full garbage collection
 * and reports its RSS and live heap (bench/gc-probe.ts); the check compares each tenth's RSS and
 * live heap after collection with the first tenth's. Between collections RSS also holds garbage
 * the collector has not reached yet: V8 lets the old generation grow to a few times its live size
 * before it collects, so RSS sampled under load (every 250 ms here; each tenth's peak is reported
 * too) is a sawtooth whose teeth depend on where the collector stands, not on what it keeps.
 */
async function runRssFlatness(server: ServerProcess, probeFile: string, generator: TrafficGenerator, afterLoads: (LoadResult | undefined)[]): Promise<void> {
  const label = 'rss-flatness';
  const total = SETTINGS.callbacks!;
  const warmupCallbacks = Math.ceil(total / 10);
  progress(`${label}: warming up with ${warmupCallbacks} callbacks (RSS ${server.rssMiB().toFixed(1)} MiB)`);
  const warm = await runLoad({ url: server.baseUrl, connections: SETTINGS.connections, amount: warmupCallbacks, next: () => generator.nextAfter() });
  countAnswers(server.name, warm);
  afterLoads.push(warm);

  const startMiB = server.rssMiB();
  let windowPeak = startMiB;
  const poll = setInterval(() => (windowPeak = Math.max(windowPeak, server.rssMiB())), 250);
  const samples: RssSample[] = [];
  const sample = (sent: number, percent: number): void => {
    const rssMiB = server.rssMiB();
    const peakMiB = Math.max(windowPeak, rssMiB);
    windowPeak = rssMiB;
    const reference = samples[0]?.peakMiB ?? peakMiB;
    samples.push({ sent, percent, rssMiB, peakMiB, growthPercent: ((peakMiB - reference) / reference) * 100 });
    process.kill(server.pid, 'SIGUSR2'); // collect and report (read after the load)
    const last = samples.at(-1)!;
    progress(`${label}: ${percent}% (${sent} callbacks): RSS ${rssMiB.toFixed(1)} MiB, peak of this tenth ${peakMiB.toFixed(1)} MiB (${last.growthPercent >= 0 ? '+' : ''}${last.growthPercent.toFixed(1)}% over the first tenth's)`);
  };
  progress(`${label}: sending ${total} callbacks with ${SETTINGS.connections} connections (RSS ${startMiB.toFixed(1)} MiB)`);
  let mark = 1;
  let load: LoadResult;
  try {
    load = await runLoad({
      url: server.baseUrl,
      connections: SETTINGS.connections,
      amount: total,
      next: () => generator.nextAfter(),
      onResponse: (responses) => {
        while (mark <= 10 && responses >= Math.ceil((total * mark) / 10)) sample(responses, mark++ * 10);
      },
    });
  } finally {
    clearInterval(poll);
  }
  if (mark <= 10) sample(load.responses, 100);
  await addAfterGc(samples, probeFile);
  countAnswers(server.name, load);
  progress(`${label}: ${loadSummary(load)}`);
  afterLoads.push(load);
  const check = await checkProcessed(label, server, acknowledgedBy(...afterLoads));
  const maxGrowthPercent = Math.max(...samples.map((s) => s.growthPercent));
  const reported = samples.every((s) => s.afterGcGrowthPercent !== undefined && s.heapGrowthPercent !== undefined);
  const maxAfterGcGrowthPercent = reported ? Math.max(...samples.map((s) => s.afterGcGrowthPercent!)) : undefined;
  const maxHeapGrowthPercent = reported ? Math.max(...samples.map((s) => s.heapGrowthPercent!)) : undefined;
  // Least-squares slope of the peaks over callbacks sent: a leak shows as a trend.
  const meanX = samples.reduce((sum, s) => sum + s.sent, 0) / samples.length;
  const meanY = samples.reduce((sum, s) => sum + s.peakMiB, 0) / samples.length;
  const covariance = samples.reduce((sum, s) => sum + (s.sent - meanX) * (s.peakMiB - meanY), 0);
  const variance = samples.reduce((sum, s) => sum + (s.sent - meanX) ** 2, 0);
  const trendPercent = variance > 0 ? (((covariance / variance) * total) / samples[0]!.peakMiB) * 100 : 0;
  const checkText = check.problem ?? `all ${acknowledgedBy(...afterLoads)} acknowledged callbacks processed`;
  outcome.rss = { samples, load, startMiB, warmupCallbacks, maxGrowthPercent, maxAfterGcGrowthPercent, maxHeapGrowthPercent, trendPercent, check: checkText };
  outcome.raw.rssFlatness = { samples, load, startMiB, warmupCallbacks, inbox: check.counts };
  if (check.problem) outcome.failures.push(`RSS flatness run: ${check.problem}`);
}

/** The probe's reports, one per sample in order; waits a little for the last ones. */
async function addAfterGc(samples: RssSample[], probeFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let reports: { rssMiB: number; heapUsedMiB: number }[] = [];
  for (;;) {
    reports = existsSync(probeFile)
      ? readFileSync(probeFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { rssMiB: number; heapUsedMiB: number })
      : [];
    if (reports.length >= samples.length || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (reports.length !== samples.length || reports.some((report) => typeof report.rssMiB !== 'number')) {
    progress(`rss-flatness: the service reported its memory after ${reports.length} of ${samples.length} collections; no figures after GC`);
    return;
  }
  const growth = (value: number, reference: number): number => ((value - reference) / reference) * 100;
  samples.forEach((sample, i) => {
    sample.afterGcMiB = reports[i]!.rssMiB;
    sample.heapAfterGcMiB = reports[i]!.heapUsedMiB;
    sample.afterGcGrowthPercent = growth(reports[i]!.rssMiB, reports[0]!.rssMiB);
    sample.heapGrowthPercent = growth(reports[i]!.heapUsedMiB, reports[0]!.heapUsedMiB);
  });
  progress(`rss-flatness: RSS after a full GC by tenth ${samples.map((s) => s.afterGcMiB!.toFixed(1)).join(', ')} MiB; live heap ${samples.map((s) => s.heapAfterGcMiB!.toFixed(1)).join(', ')} MiB`);
}

/**
 * The service on PostgreSQL (Fastify, the faster platform: the relay must keep up with the full
 * rate) with EVENT_RELAY_URL set, under the after-callback traffic; then the stream is read back
 * with an ordered consumer: events per second, and the lag from each callback's processing commit
 * to JetStream's store time (p50, p99).
 */
async function runRelay(tmp: string): Promise<void> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: SETTINGS.natsUrl, timeout: 2000 });
  } catch (error) {
    const why = `no NATS server at ${SETTINGS.natsUrl} (set BENCH_NATS_URL): ${messageOf(error)}`;
    // Asked for by name: a failure; in a full run: skipped, said so.
    if (process.env.BENCH_ONLY?.includes('relay')) throw new Error(why, { cause: error });
    progress(`relay: skipped: ${why}`);
    return;
  }
  const stream = `TCW_BENCH_${stamp}_${process.pid}`;
  const prefix = `tcw-bench-${stamp.replace('_', '-')}-${process.pid}`;
  cleanup.add(`delete stream ${stream}`, async () => {
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
  });
  const database = await createDatabase('_relay');
  try {
    const relayEnv = { DATABASE_URL: database.url, EVENT_RELAY_URL: SETTINGS.natsUrl, EVENT_RELAY_STREAM: stream, EVENT_RELAY_SUBJECT_PREFIX: prefix };
    const options = { name: 'relay', label: 'relay (fastify)', script: SERVICE_MAIN, platform: 'fastify' as const, database: relayEnv, tmp };
    await withService(options, async (server) => {
      const loadStarted = Date.now();
      const loads = await measureAfterCallbacks('relay', options.label, server, traffic());
      const loadMs = Date.now() - loadStarted;
      const loadEnded = Date.now();
      progress(`${options.label}: waiting for the relay's backlog to empty`);
      for (;;) {
        const answer = await fetch(`${server.baseUrl}/event-relay?limit=1`, { headers: { authorization: `Bearer ${API_TOKEN}` }, signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => error);
        const view = answer instanceof Response ? ((await answer.json()) as { backlog?: { rows: number }; lastError?: string | null }) : { lastError: messageOf(answer) };
        if (view.backlog?.rows === 0) break;
        if (Date.now() - loadEnded > 120_000) throw new Error(`the relay still had ${view.backlog?.rows ?? '?'} callbacks to publish 120 s after the load (last error: ${view.lastError ?? 'none'})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const drainMs = Date.now() - loadEnded;
      const callbacks = acknowledgedBy(...loads);
      const figures = await readRelayStream(nc, stream);
      // Capacity, not just keeping up: the cursor back to the start, and the whole inbox published
      // again as fast as the relay can (JetStream checks each id and drops the copies).
      const catchUp = await measureCatchUp(database.url, figures.events);
      progress(`${options.label}: catch-up: ${figures.events} events published again in ${catchUp.ms} ms (${catchUp.eventsPerSec.toFixed(0)} events/s)`);
      const sorted = figures.lags.sort((a, b) => a - b);
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      outcome.relay = {
        callbacks,
        events: figures.events,
        uniqueIds: figures.ids.size,
        eventsPerSec: figures.events / Math.max(0.001, (figures.lastStoredMs - figures.firstStoredMs) / 1000),
        producedPerSec: (2 * callbacks) / (loadMs / 1000),
        lagP50Ms: at(0.5),
        lagP99Ms: at(0.99),
        lagMaxMs: sorted.at(-1) ?? 0,
        drainMs,
        catchUpEventsPerSec: catchUp.eventsPerSec,
      };
      const r = outcome.relay;
      progress(
        `${options.label}: ${r.events} events in the stream (${r.uniqueIds} distinct ids) for ${callbacks} acknowledged callbacks; ` +
          `${r.eventsPerSec.toFixed(0)} events/s relayed, ${r.producedPerSec.toFixed(0)} events/s produced; lag p50 ${r.lagP50Ms.toFixed(0)} ms, p99 ${r.lagP99Ms.toFixed(0)} ms, max ${r.lagMaxMs.toFixed(0)} ms; backlog empty ${drainMs} ms after the load`,
      );
      if (r.events !== r.uniqueIds) outcome.failures.push(`relay: ${r.events - r.uniqueIds} events doubled in the stream`);
      if (r.uniqueIds < 2 * callbacks) outcome.failures.push(`relay: ${2 * callbacks - r.uniqueIds} events of acknowledged callbacks missing from the stream`);
    });
  } finally {
    await database.drop();
  }
}

async function measureCatchUp(databaseUrl: string, events: number): Promise<{ ms: number; eventsPerSec: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let before: number;
  const started = Date.now();
  try {
    const { rows } = await client.query<{ published: string }>('UPDATE event_relay_state SET cursor_txid = 0, cursor_id = 0 RETURNING published');
    before = Number(rows[0]?.published ?? 0);
    for (;;) {
      const { rows: now } = await client.query<{ published: string }>('SELECT published FROM event_relay_state');
      if (Number(now[0]?.published ?? 0) >= before + events) break;
      if (Date.now() - started > 120_000) throw new Error(`catch-up: not done after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
  const ms = Date.now() - started;
  return { ms, eventsPerSec: events / (ms / 1000) };
}

/** Every message of the stream through an ordered consumer: ids, store times, lag after processing. */
async function readRelayStream(nc: NatsConnection, stream: string): Promise<{ events: number; ids: Set<string>; lags: number[]; firstStoredMs: number; lastStoredMs: number }> {
  const js = nc.jetstream();
  const total = (await (await nc.jetstreamManager()).streams.info(stream)).state.messages;
  // A named pull consumer without acks (js.consumers.get's ordered consumer hangs on NATS 2.9).
  await (await nc.jetstreamManager()).consumers.add(stream, { durable_name: 'bench-reader', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All });
  const consumer = await js.consumers.get(stream, 'bench-reader');
  const messages = await consumer.consume({ max_messages: 1000 });
  const ids = new Set<string>();
  const lags: number[] = [];
  let events = 0;
  let firstStoredMs = Infinity;
  let lastStoredMs = 0;
  for await (const m of messages) {
    events++;
    const storedMs = m.info.timestampNanos / 1e6;
    firstStoredMs = Math.min(firstStoredMs, storedMs);
    lastStoredMs = Math.max(lastStoredMs, storedMs);
    const body = m.json<{ id: string; metadata: { processedAt: string | null } }>();
    ids.add(body.id);
    if (body.metadata.processedAt) lags.push(storedMs - Date.parse(body.metadata.processedAt));
    if (events >= total) break;
  }
  // Not close(): it waits for a pull that never ends on NATS 2.9; the stream is deleted at cleanup.
  messages.stop();
  return { events, ids, lags, firstStoredMs, lastStoredMs };
}

async function runPglite(tmp: string): Promise<void> {
  const options = { name: 'pglite', label: 'pglite (express)', script: SERVICE_MAIN, platform: 'express' as const, database: { DATA_DIR: join(tmp, 'pglite-data') }, tmp };
  await withService(options, async (server) => {
    await measureAfterCallbacks('pglite', options.label, server, traffic());
  });
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const percentOrDash = (value: number | undefined): string => (value === undefined ? '-' : signedPercent(value));

/** The bare Nest + Fastify reference's rate, when it ran. */
const fastifyReference = (): number | undefined => outcome.rows.find((r) => r.scenario === FASTIFY_REFERENCE_ROW)?.reqPerSec;

/** Issue 16's targets: ratios to bare Nest + Express in the slices paired with each scenario. */
function targets(): TargetRow[] {
  // Three digits: a ratio of 0.495 printed as 0.50 beside "NO" reads as a contradiction.
  const rate = (scenario: ServiceScenario, min: number, note?: (row: ScenarioRow) => string): TargetRow => {
    const row = serviceRows.get(scenario)?.row;
    const ratio = row?.ratio;
    return {
      what: `${SERVICE_ROWS[scenario]}: req/s over bare Nest + Express`,
      measured: ratio === undefined ? '-' : `${ratio.toFixed(3)}${note ? note(row!) : ''}`,
      target: `>= ${Number.isInteger(min) ? min.toFixed(1) : min}`,
      met: ratio === undefined ? undefined : ratio >= min,
    };
  };
  // The baseline's own p99 in the same slices: an absolute bound would move with the machine as the rates do.
  const tail = (scenario: ServiceScenario, max: number): TargetRow => {
    const { row, baseline } = serviceRows.get(scenario) ?? {};
    const p99 = row?.p99Ms;
    const baseP99 = baseline?.p99Ms;
    const what = `${SERVICE_ROWS[scenario]}: p99 over the paired baseline slices' p99`;
    if (p99 === undefined || baseP99 === undefined) return { what, measured: '-', target: `<= ${max}`, met: undefined };
    return {
      what,
      measured: `${baseP99 > 0 ? (p99 / baseP99).toFixed(3) : '-'} (${p99.toFixed(1)} ms over ${baseP99.toFixed(1)} ms)`,
      target: `<= ${max}`,
      met: p99 <= max * baseP99,
    };
  };
  const reference = fastifyReference();
  const overReference = (row: ScenarioRow): string =>
    reference === undefined ? '; over bare Nest + Fastify: - (reference not run)' : `; over bare Nest + Fastify (measured alone): ${(row.reqPerSec! / reference).toFixed(3)}`;
  return [
    rate('postgres', 0.5),
    tail('postgres', 1.5),
    rate('postgres-fastify', 1.0, overReference),
    rate('before', 0.8),
    tail('before', 1.5),
    rate('pglite', 0.25),
    {
      what: 'RSS of the service on PostgreSQL (Express) across BENCH_CALLBACKS after warm-up',
      measured: outcome.rss
        ? `after a full GC at each tenth, over the first tenth's: RSS at most ${percentOrDash(outcome.rss.maxAfterGcGrowthPercent)}, live heap at most ${percentOrDash(outcome.rss.maxHeapGrowthPercent)}, across ${SETTINGS.callbacks}; ` +
          `RSS peaks under load (garbage included) at most ${outcome.rss.maxGrowthPercent.toFixed(1)}% (trend ${outcome.rss.trendPercent.toFixed(1)}%)`
        : '- (set BENCH_CALLBACKS=100000)',
      target: 'flat within 10% (RSS and live heap after a full GC)',
      met:
        outcome.rss?.maxAfterGcGrowthPercent === undefined || outcome.rss.maxHeapGrowthPercent === undefined
          ? undefined
          : outcome.rss.maxAfterGcGrowthPercent <= 10 && outcome.rss.maxHeapGrowthPercent <= 10,
    },
  ];
}

/** Each service scenario's req/s over the Fastify reference's, when it ran: the cost of the service's own work. */
function fastifyReferenceLines(): string[] {
  const reference = fastifyReference();
  if (reference === undefined) return [];
  const services = outcome.rows.filter((r) => r.scenario.startsWith('service') && r.reqPerSec !== undefined);
  if (services.length === 0) return [];
  return [
    '',
    `Against the bare Nest + Fastify reference of this run (${Math.round(reference)} req/s, measured alone, not in paired slices) instead of bare Nest + Express: ` +
      services.map((r) => `${r.scenario} ${(r.reqPerSec! / reference).toFixed(2)}`).join('; ') + '.',
  ];
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

function command(): string {
  const benchEnv = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value ?? ''}`);
  const run = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : `node ${relative(process.cwd(), fileURLToPath(import.meta.url))}`;
  return masked([...benchEnv, run].join(' '));
}

function machine(loadAtStart: number[]): string[] {
  const cpus = os.cpus();
  let pglite = '?';
  try {
    pglite = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // not installed: the PGlite scenario reports it
  }
  const busy = loadAtStart[0]! > cpus.length * 0.5;
  return [
    `- Date: ${new Date(started).toISOString()}`,
    `- Command: \`${command()}\``,
    `- Commit: ${git('describe', '--always', '--dirty')}`,
    `- Node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- PostgreSQL server ${String(outcome.raw.postgresVersion ?? '-')}, PGlite ${pglite}; autocannon in this process on the same machine (loopback)`,
    `- Load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}${busy ? ' (**the machine was busy: figures are contended**)' : ''}`,
    `- Settings: ${SETTINGS.connections} connections, ${SETTINGS.warmupS} s warm-up then ${SETTINGS.durationS} s measured per scenario; ` +
      `after-callback mix ${mixLine()}; ` +
      `${SETTINGS.users} users, ${SETTINGS.groups} groups, ${SETTINGS.officialAccounts} Official Accounts; every request signed (Sign + RequestTime); ` +
      `service LOG_LEVEL ${SETTINGS.logLevel ?? 'default (log)'}`,
  ];
}

function resultsMarkdown(loadAtStart: number[]): string {
  const parts = [
    '# Benchmark results (`npm run bench`)',
    '',
    ...machine(loadAtStart),
    '',
    scenarioTable(outcome.rows),
    '',
    'req/s: average of per-second counts while measured; p50/p99: latency of every answer while measured; ' +
      `RSS: VmRSS of the server process after warm-up and after the measurement; server CPU: user + system CPU time of the server process (all its threads) while measured, over the answers it gave then; ratio: a service scenario's req/s over the baseline's in the slices paired with it: the service is measured in slices of ${SETTINGS.sliceS} s, each next to a slice of the same length on the baseline (kept running, idle in between), so that both meet the same machine (its speed drifts within a minute on shared hosts); the row above each service row is the baseline in those slices, and the range is that of the slice-by-slice ratios. ` +
      'acknowledged: 2xx answers (warm-up included); processed: inbox rows in status processed (decided for before callbacks), ' +
      'counted through GET /webhook-events after the load; lost: acknowledged callbacks not processed. ' +
      'Each service row names the HTTP platform its server was started on (HTTP_PLATFORM; Express is the default); the PostgreSQL scenarios on Express and on Fastify get the same traffic, each on a fresh database. ' +
      'The before-callback scenario runs the service with one decision handler that allows every message (bench/decisions/main.ts): guard, pipe, the handler, decision composition and answer; the audit row is written after the answer.',
    '',
    '## Targets (issue 16)',
    '',
    "Ratios to bare Nest + Express in the slices paired with each scenario: req/s over the baseline's req/s, p99 over the baseline's p99 in those slices.",
    '',
    targetTable(targets()),
    ...fastifyReferenceLines(),
  ];
  if (outcome.rss) {
    parts.push(
      '',
      `## RSS flatness (BENCH_CALLBACKS=${SETTINGS.callbacks}, service on PostgreSQL (Express), after its measured run and ${outcome.rss.warmupCallbacks} more callbacks of warm-up)`,
      '',
      rssTable(outcome.rss.samples),
      '',
      `${loadSummary(outcome.rss.load)}. RSS ${outcome.rss.startMiB.toFixed(1)} MiB after the warm-up. ` +
        `At the end of each tenth the service ran a full garbage collection and reported its RSS and live heap (bench/gc-probe.ts, preloaded with --expose-gc for this run only): ` +
        `over the first tenth's, RSS after collection max ${percentOrDash(outcome.rss.maxAfterGcGrowthPercent)}, live heap max ${percentOrDash(outcome.rss.maxHeapGrowthPercent)} ` +
        `(the target's figures: what the service keeps; the check needs both within 10%, since the first tenth's RSS may still hold pages the allocator has not returned, which would hide a leak that the live heap shows). ` +
        `Under load RSS was also sampled every 250 ms: peak of each tenth over the first tenth's peak, max ${outcome.rss.maxGrowthPercent.toFixed(1)}%; linear trend of the peaks ${outcome.rss.trendPercent.toFixed(1)}% ` +
        `across the ${SETTINGS.callbacks} callbacks (garbage not yet collected included: V8 lets the old generation grow to a few times its live size before collecting it). Inbox check: ${outcome.rss.check}.`,
    );
  }
  if (outcome.relay) {
    const r = outcome.relay;
    parts.push(
      '',
      '## Event relay to NATS JetStream (issue 19)',
      '',
      '| callbacks acknowledged | events in the stream | distinct ids | relayed events/s | produced events/s | lag p50 | lag p99 | lag max | backlog empty after the load | catch-up events/s |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${r.callbacks} | ${r.events} | ${r.uniqueIds} | ${r.eventsPerSec.toFixed(0)} | ${r.producedPerSec.toFixed(0)} | ${r.lagP50Ms.toFixed(0)} ms | ${r.lagP99Ms.toFixed(0)} ms | ${r.lagMaxMs.toFixed(0)} ms | ${r.drainMs} ms | ${r.catchUpEventsPerSec.toFixed(0)} |`,
      '',
      'The relay scenario\'s service (its row above) publishes every domain event (webhook.received and the family\'s event: two per callback) to a stream of its own. ' +
        'relayed events/s: events over the time from the first to the last stored in the stream; produced: two per acknowledged callback over the load (warm-up included); ' +
        'lag: from the callback\'s processing commit (processed_at) to JetStream\'s store time of the event; backlog empty: from the end of the load until GET /event-relay reports no callback left to publish; ' +
        'catch-up: after that, the relay\'s cursor set back to the start and the whole inbox published again (JetStream drops every copy by its id): the relay\'s own capacity, beyond the rate the load produced.',
    );
  }
  if (outcome.failures.length > 0) parts.push('', '## Problems', '', ...outcome.failures.map((f) => `- ${f}`));
  if (outcome.profiles.length > 0) parts.push('', '## CPU profiles (BENCH_CPU_PROF=1)', '', '```', ...outcome.profiles, '```');
  return `${parts.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const loadAtStart = os.loadavg();
  if (!existsSync(SERVICE_MAIN) || !existsSync(BASELINE_MAIN)) {
    throw new Error(`build first: ${relative(ROOT, SERVICE_MAIN)} or ${relative(ROOT, BASELINE_MAIN)} is missing (npm run bench builds both)`);
  }
  progress(
    `Node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}; ` +
      `scenarios: ${[...SETTINGS.only].join(', ')}; ${SETTINGS.connections} connections, ${SETTINGS.warmupS} s warm-up + ${SETTINGS.durationS} s each` +
      `${SETTINGS.callbacks ? `; RSS flatness over ${SETTINGS.callbacks} callbacks` : ''}`,
  );
  if (loadAtStart[0]! > os.cpus().length * 0.5) progress('warning: the machine is busy; the figures of this run are contended');

  const tmp = mkdtempSync(join(os.tmpdir(), 'tcw-bench-'));
  cleanup.add(`remove ${tmp}`, async () => rmSync(tmp, { recursive: true, force: true }));

  const steps: [string, boolean, () => Promise<void>][] = [
    ['baseline', SETTINGS.only.has('baseline'), () => runBaseline(tmp)],
    ['fastify', SETTINGS.only.has('fastify'), () => runFastifyReference(tmp)],
    ['postgres', SETTINGS.only.has('postgres') || SETTINGS.only.has('before') || SETTINGS.callbacks !== undefined, () => runPostgres(tmp)],
    ['postgres-fastify', SETTINGS.only.has('postgres-fastify'), () => runPostgresFastify(tmp)],
    ['pglite', SETTINGS.only.has('pglite'), () => runPglite(tmp)],
    ['relay', SETTINGS.only.has('relay'), () => runRelay(tmp)],
  ];
  for (const [name, wanted, run] of steps) {
    if (!wanted || interrupted) continue;
    try {
      await run();
    } catch (error) {
      const message = messageOf(error);
      console.error(`[bench] ${name} failed: ${message}`);
      outcome.failures.push(`${name}: ${message.split('\n')[0]}`);
      outcome.rows.push({ scenario: name, problem: `failed: ${message.split('\n')[0]}` });
    }
  }
  await stopBaseline();
  await cleanup.runAll();

  const markdown = resultsMarkdown(loadAtStart);
  console.log(`\n${markdown}`);
  writeFileSync(SETTINGS.resultsPath, markdown);
  writeFileSync(join(dirname(SETTINGS.resultsPath), 'results.raw.json'), `${JSON.stringify({ settings: { ...SETTINGS, only: [...SETTINGS.only] }, ...outcome }, null, 2)}\n`);
  progress(`wrote ${relative(process.cwd(), SETTINGS.resultsPath)}`);

  const missed = targets().filter((t) => t.met === false);
  if (outcome.failures.length > 0) {
    console.error(`[bench] FAILED: ${outcome.failures.join('; ')}`);
    return 1;
  }
  if (SETTINGS.strict && missed.length > 0) {
    console.error(`[bench] targets missed (BENCH_STRICT=1): ${missed.map((t) => `${t.what} ${t.target} (measured ${t.measured})`).join('; ')}`);
    return 1;
  }
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping the load, the servers, dropping the database, removing temp files`);
    stopAllLoads();
    void cleanup.runAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`[bench] ${messageOf(error)}`);
    await cleanup.runAll();
    process.exit(1);
  },
);
