// Shared pieces of the hardening probes (bench/probes/README.md): the built service as a child
// process, a fresh PostgreSQL database per server, signed and refused callbacks, raw sockets,
// figures, and a cleanup list that runs on success, failure and ^C alike.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CALLBACK_SAMPLES } from '../../src/testing/callback-samples.js';
import { callbackQuery } from '../../src/testing/callback-url.js';
import { appCallbackRegistry } from '../../src/testing/app-callbacks.js';

// Compiled to dist/bench/bench/probes/common.js: the repository is four levels up.
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const DIST_MAIN = join(ROOT, 'dist', 'main.js');

export const SDKAPPID = '1400000000';
export const CALLBACK_TOKEN = 'probe-callback-token';
export const API_TOKEN = 'probe-api-token';
export const PG_ADMIN_URL = process.env.PROBE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Platform = 'express' | 'fastify';

export const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
export const now = (): number => performance.now();
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function progress(line: string): void {
  process.stderr.write(`[probe] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every server, database, proxy and temp directory registers how to undo itself
// ---------------------------------------------------------------------------------------------

interface CleanupEntry {
  what: string;
  undo: () => Promise<void>;
  running?: Promise<void>;
}

const pending = new Map<number, CleanupEntry>();
let nextCleanupId = 0;
let interrupted = false;

/** After ^C: no new server or database is started (cleanupAll is running). */
export function interrupt(): void {
  interrupted = true;
}

function refuseIfInterrupted(): void {
  if (interrupted) throw new Error('interrupted');
}

/** Runs an entry once; a second caller (the probe's own finally and cleanupAll, say) waits for the same run. */
function runEntry(id: number, entry: CleanupEntry): Promise<void> {
  entry.running ??= (async () => {
    try {
      await entry.undo();
    } finally {
      pending.delete(id);
    }
  })();
  return entry.running;
}

/** Registers `undo`; the returned function runs it now (once; a later call waits for that run) and unregisters it. */
export function onCleanup(what: string, undo: () => Promise<void>): () => Promise<void> {
  const id = nextCleanupId++;
  const entry: CleanupEntry = { what, undo };
  pending.set(id, entry);
  return () => runEntry(id, entry);
}

/** Runs everything still registered, newest first, and waits for runs already under way; failures are reported, not thrown. */
export async function cleanupAll(): Promise<void> {
  while (pending.size > 0) {
    for (const [id, entry] of [...pending].sort((a, b) => b[0] - a[0])) {
      try {
        await runEntry(id, entry);
      } catch (error) {
        progress(`cleanup: ${entry.what} failed: ${messageOf(error)}`);
      }
    }
  }
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(os.tmpdir(), prefix));
  onCleanup(`remove ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// A fresh PostgreSQL database
// ---------------------------------------------------------------------------------------------

export interface Database {
  name: string;
  /** postgres://.../<name> on the real server (not through any proxy). */
  url: string;
  drop(): Promise<void>;
}

let databaseCount = 0;

export async function createDatabase(tag: string): Promise<Database> {
  refuseIfInterrupted();
  const name = `probe_${tag.replace(/[^a-z0-9]/gi, '_')}_${process.pid}_${Date.now()}_${databaseCount++}`.toLowerCase();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const drop = onCleanup(`drop database ${name}`, async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop };
}

/** One query on `url`, on its own connection. */
export async function queryOnce<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The service as a child process
// ---------------------------------------------------------------------------------------------

export interface ServiceOptions {
  name: string;
  platform: Platform;
  /** PostgreSQL URL; the server gets DATABASE_URL = this. */
  databaseUrl: string;
  /** More variables (REQUEST_TIMEOUT_MS, ...). */
  env?: Record<string, string>;
  /** Default dist/main.js. */
  script?: string;
}

export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly platform: Platform;
  readonly logPath: string;
  /** VmRSS of /proc/<pid>/status, in MiB. */
  rssMiB(): number;
  /** CPU time the process has used so far (user + system), in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** File descriptors of the process that are sockets (listening sockets and database connections included). */
  socketCount(): number;
  log(): string;
  /** SIGTERM, SIGKILL after 10 s. Idempotent; also run by cleanupAll. */
  stop(): Promise<void>;
}

export function rssMiBOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

// Linux reports process times in clock ticks of 1/100 s (USER_HZ).
const TICK_MS = 10;

export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function socketCountOf(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) count++;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/**
 * Starts the service and waits until it answers an authenticated read over a connection that is
 * closed at once (no keep-alive connection of the probe stays open: MAX_CONNECTIONS counts them).
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  refuseIfInterrupted();
  const script = options.script ?? DIST_MAIN;
  if (!existsSync(script)) throw new Error(`${script} does not exist: run npm run build (npm run probe does)`);
  const port = await freePort();
  const logPath = join(tempDir('probe-log-'), `${options.name}.log`);
  const log = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    // Only the variables given: nothing of the caller's environment leaks into the server.
    child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        SDKAPPID,
        CALLBACK_AUTH_TOKEN: CALLBACK_TOKEN,
        API_TOKEN,
        PORT: String(port),
        HTTP_PLATFORM: options.platform,
        DATABASE_URL: options.databaseUrl,
        ...options.env,
      },
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${script}`);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  const stop = onCleanup(`stop ${options.name} (pid ${pid})`, async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const late = await Promise.race([exit.then(() => false), delay(10_000).then(() => true)]);
    if (late) {
      child.kill('SIGKILL');
      await exit;
    }
  });
  const service: Service = {
    name: options.name,
    pid,
    port,
    platform: options.platform,
    logPath,
    rssMiB: () => rssMiBOf(pid),
    cpuMs: () => cpuMsOf(pid),
    socketCount: () => socketCountOf(pid),
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    stop,
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${options.name} exited during start-up:\n${service.log().split('\n').slice(-20).join('\n')}`);
    const answer = await request({ port, path: '/webhook-events?limit=1', headers: { authorization: `Bearer ${API_TOKEN}` }, timeoutMs: 2000 }).catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} did not answer within 60 s:\n${service.log().split('\n').slice(-20).join('\n')}`);
    }
    await delay(100);
  }
  const started = /Listening on port \d+ \((\w+)\)/.exec(service.log());
  if (started && started[1] !== options.platform) throw new Error(`${options.name} runs on ${started[1]}, not ${options.platform}`);
  progress(`${options.name}: pid ${pid}, port ${port}, ${started ? `platform ${started[1]} (from its start line)` : 'platform not confirmed (no start line)'}`);
  return service;
}

// ---------------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------------

/** The signed query string Tencent sends (RequestTime now, Sign = sha256(token + RequestTime)). */
export function signedPath(command: string): string {
  return `/webhook?${callbackQuery({ command, sdkAppId: SDKAPPID, token: CALLBACK_TOKEN }).toString()}`;
}

/** Refused on the query string alone: no Sign and RequestTime, or another app's SdkAppid. */
export function refusedPath(command: string, how: 'no-sign' | 'wrong-sdkappid'): string {
  const query =
    how === 'no-sign'
      ? callbackQuery({ command, sdkAppId: SDKAPPID })
      : callbackQuery({ command, sdkAppId: '1400000001', token: CALLBACK_TOKEN });
  return `/webhook?${query.toString()}`;
}

export type Payload = Record<string, unknown> & { CallbackCommand: string };

/** A C2C.CallbackAfterSendMsg, distinct for each (tag, n). */
export function c2cMessage(tag: string, n: number): Payload {
  const sample = CALLBACK_SAMPLES['C2C.CallbackAfterSendMsg']!;
  const seq = 10_000 + n;
  const random = 1_000_000 + n;
  const time = Math.floor(Date.now() / 1000);
  return {
    ...sample,
    From_Account: `${tag}-sender-${n % 17}`,
    To_Account: `${tag}-recipient-${n % 5}`,
    MsgSeq: seq,
    MsgRandom: random,
    MsgTime: time,
    MsgKey: `${seq}_${random}_${time}_${tag}`,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${tag} message ${n}` } }],
  };
}

/** An OfficialAccount.CallbackAfterSendMsg, distinct for each (tag, n) (no C2C listener sees it). */
export function officialAccountMessage(tag: string, n: number): Payload {
  const sample = CALLBACK_SAMPLES['OfficialAccount.CallbackAfterSendMsg']!;
  return { ...sample, Official_Account: `@TOA#_${tag}_${n % 3}`, MsgKey: `${n}_${tag}_oa`, MsgTime: 1_490_686_222 + n, EventTime: Date.now() };
}

/** The inbox dedupe key the service gives a payload that carries its own time. */
export function dedupeKeyOf(payload: Payload): string {
  const definition = appCallbackRegistry().find(String(payload.CallbackCommand));
  if (!definition) throw new Error(`no command ${payload.CallbackCommand}`);
  return definition.dedupeKey(payload, new Date(Number.NaN));
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

export interface Answer {
  status: number;
  text: string;
  json: unknown;
  /** From the request's start to the answer's end. */
  ms: number;
}

export interface RequestOptions {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Default: a fresh connection, closed after the answer. */
  agent?: http.Agent;
  timeoutMs?: number;
}

export function request(options: RequestOptions): Promise<Answer> {
  const started = now();
  return new Promise((done, fail) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        agent: options.agent ?? false,
        headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}), ...options.headers },
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text) as unknown;
          } catch {
            json = undefined;
          }
          done({ status: response.statusCode ?? 0, text, json, ms: now() - started });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 15_000} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}

/** POSTs `payload` signed now, as Tencent would (a retry is the same payload, signed again). */
export function postSigned(port: number, payload: Payload, agent?: http.Agent, timeoutMs?: number): Promise<Answer> {
  return request({ port, method: 'POST', path: signedPath(payload.CallbackCommand), body: JSON.stringify(payload), agent, timeoutMs });
}

export function apiGet(port: number, path: string): Promise<Answer> {
  return request({ port, path, headers: { authorization: `Bearer ${API_TOKEN}` } });
}

export interface InboxSummary {
  id: number;
  command: string;
  status: string;
  dedupeKey: string | null;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
}

/** Every inbox row of `command`, through the read API (GET /webhook-events?command=..., paged). */
export async function inboxRows(port: number, command: string): Promise<InboxSummary[]> {
  const rows: InboxSummary[] = [];
  let cursor: string | null = null;
  for (;;) {
    const answer = await apiGet(port, `/webhook-events?command=${encodeURIComponent(command)}&limit=100${cursor === null ? '' : `&cursor=${cursor}`}`);
    if (answer.status !== 200) throw new Error(`GET /webhook-events answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    const page = answer.json as { items: InboxSummary[]; nextCursor: string | null };
    rows.push(...page.items);
    if (page.nextCursor === null || page.items.length === 0) return rows;
    cursor = page.nextCursor;
  }
}

/** What a raw socket saw: the answer's status line and when, and when and how the server ended it. */
export interface RawOutcome {
  connectedAt?: number;
  /** performance.now() when the first byte of the answer arrived. */
  answeredAt?: number;
  status?: number;
  /** The answer as received (status line, headers, body), at most the first 4 KiB. */
  answer: string;
  /** The server ended the connection: FIN ('end') or reset ('error'). */
  endedAt?: number;
  endedBy?: 'fin' | 'reset' | 'client';
  error?: string;
  /** Request bytes handed to the socket. */
  bytesWritten: number;
}

export interface RawConnection {
  socket: net.Socket;
  outcome: RawOutcome;
  /** Resolves once the socket is connected (or failed). */
  connected: Promise<void>;
  /** Resolves once the server answered or ended the connection. */
  settled: Promise<void>;
  /** Resolves once the socket is fully closed. */
  closed: Promise<void>;
  write(data: string | Buffer): void;
}

/** A plain TCP connection to the service: the probes write partial requests by hand. */
export function rawConnection(port: number): RawConnection {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const outcome: RawOutcome = { answer: '', bytesWritten: 0 };
  let settle!: () => void;
  const settled = new Promise<void>((done) => (settle = done));
  const connected = new Promise<void>((done) => {
    socket.once('connect', () => {
      outcome.connectedAt = now();
      done();
    });
    socket.once('close', () => done());
  });
  socket.on('data', (chunk: Buffer) => {
    if (outcome.answeredAt === undefined) {
      outcome.answeredAt = now();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString('latin1', 0, 16));
      outcome.status = match ? Number(match[1]) : -1;
      settle();
    }
    if (outcome.answer.length < 4096) outcome.answer += chunk.toString('utf8');
  });
  socket.on('end', () => {
    if (outcome.endedAt === undefined) {
      outcome.endedAt = now();
      outcome.endedBy = 'fin';
    }
    settle();
    // Half-closed by the server: close our side too.
    socket.end();
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (outcome.endedAt === undefined) {
      outcome.endedAt = now();
      outcome.endedBy = 'reset';
    }
    outcome.error ??= error.code ?? error.message;
    settle();
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  return {
    socket,
    outcome,
    connected,
    settled,
    closed,
    write: (data) => {
      if (socket.destroyed || !socket.writable) return;
      outcome.bytesWritten += Buffer.byteLength(data);
      socket.write(data);
    },
  };
}

/** Closes our side of every connection that is still open, and waits (at most 5 s) for them to close. */
export async function closeAll(connections: readonly RawConnection[]): Promise<void> {
  for (const c of connections) {
    if (c.outcome.endedAt === undefined) c.outcome.endedBy = 'client';
    c.socket.destroy();
  }
  await Promise.race([Promise.all(connections.map((c) => c.closed)), delay(5000)]);
}

/** Request head of a POST to `path` announcing `contentLength` bytes of JSON. */
export function postHead(path: string, contentLength: number): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

export interface Spread {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { n: sorted.length, min: sorted[0]!, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

export const ms = (value: number | undefined): string => (value === undefined ? '-' : `${Math.round(value)} ms`);
export const mib = (value: number): string => `${value.toFixed(1)} MiB`;

export function formatSpread(s: Spread | undefined): string {
  return s ? `min ${ms(s.min)}, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} (n=${s.n})` : 'none';
}

/** Counts of each value ("401 x 500, 403 x 500"). */
export function tally(values: readonly (string | number | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(String(value ?? 'none'), (counts.get(String(value ?? 'none')) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} x ${count}`).join(', ') || 'none';
}

/** Samples a number every `everyMs` until stopped; keeps the first, the peak and the last. */
export function sampler(read: () => number, everyMs: number): { stop(): { first: number; peak: number; last: number; samples: number } } {
  const first = read();
  let peak = first;
  let last = first;
  let samples = 1;
  const timer = setInterval(() => {
    try {
      last = read();
      samples++;
      if (last > peak) peak = last;
    } catch {
      // the process is gone
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { first, peak, last, samples };
    },
  };
}

/** Where and when the figures were measured: for the heading of a probe's results. */
export function context(): string {
  let commit = '?';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '') commit += ' (with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${new Date().toISOString()}, commit ${commit}, node ${process.version}, ${os.cpus().length} CPUs, load average ${load}`;
}
