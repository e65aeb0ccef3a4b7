/**
 * The built server (dist/main.js) as a child process, an HTTP client for it, distinct callbacks of
 * the three seed commands, and throwaway PostgreSQL clusters: for the specs that crash, stop or
 * starve the real process (crash recovery, graceful shutdown, database outage).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { appCallbackRegistry } from '../../src/testing/app-callbacks.js';

const execFileAsync = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The server that `npm run build` produces (`npm test` builds before jest runs). */
export const DIST_MAIN = join(ROOT, 'dist', 'main.js');
export const SERVER_SDKAPPID = '1400000000';
export const SERVER_API_TOKEN = 'server-process-api-token';

/** Every variable the app reads: none may leak from the test runner's environment into the child. */
const APP_ENV_NAMES = [
  'SDKAPPID', 'CALLBACK_AUTH_TOKEN', 'CALLBACK_MAX_SKEW_SECONDS', 'DATABASE_URL', 'DATA_DIR', 'PORT', 'WEBHOOK_PATH', 'API_TOKEN',
  'LOG_LEVEL', 'WEBHOOK_RETRY_MAX_ATTEMPTS', 'WEBHOOK_RETRY_BASE_DELAY_MS', 'WEBHOOK_RETRY_MAX_DELAY_MS', 'WEBHOOK_RETRY_POLL_MS',
  'WEBHOOK_LEASE_SECONDS', 'SHUTDOWN_TIMEOUT_MS', 'CALLBACK_ALLOWED_IPS', 'TRUST_PROXY', 'OPS_PORT',
  'EVENT_RELAY_URL', 'EVENT_RELAY_SUBJECT_PREFIX', 'EVENT_RELAY_STREAM', 'EVENT_RELAY_STREAM_RETENTION', 'EVENT_RELAY_STREAM_MAX_AGE_HOURS',
  'EVENT_RELAY_DUPLICATE_WINDOW_SECONDS', 'EVENT_RELAY_POLL_MS',
];

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Waits for `promise` at most `ms` (the timer never keeps the test runner alive). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port nobody listens on right now (the OS picks it; a small race with other processes remains). */
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

// ---------------------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, undefined when it is not JSON. */
  json: unknown;
}

export interface HttpRequestOptions {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A keep-alive agent; default: a fresh connection closed after the answer. */
  agent?: http.Agent;
  timeoutMs?: number;
  /**
   * Called once the whole request has been handed to the OS (ClientRequest 'finish'), with whether
   * it went over a kept-alive connection that already carried an answer (so the server has
   * certainly accepted that connection; a new one may still wait in the listen backlog).
   */
  onWritten?: (reusedSocket: boolean) => void;
}

export function httpRequest(options: HttpRequestOptions): Promise<HttpAnswer> {
  return new Promise((done, fail) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const request = http.request(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        agent: options.agent ?? false,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
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
          done({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs ?? 15_000} ms`)));
    request.on('error', fail);
    const onWritten = options.onWritten;
    if (onWritten) request.on('finish', () => onWritten(request.reusedSocket));
    request.end(body);
  });
}

/** The query string Tencent sends (no signature: the servers started here have no CALLBACK_AUTH_TOKEN). */
export function webhookPath(command: string): string {
  const query = new URLSearchParams({ SdkAppid: SERVER_SDKAPPID, CallbackCommand: command, contenttype: 'json', ClientIP: '203.0.113.7', OptPlatform: 'iOS' });
  return `/webhook?${query.toString()}`;
}

export const OK_ANSWER = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

export function isOkAnswer(answer: HttpAnswer): boolean {
  const body = answer.json as Record<string, unknown> | undefined;
  return answer.status === 200 && body?.ActionStatus === 'OK' && body.ErrorCode === 0 && body.ErrorInfo === '';
}

/** The failure envelope of the webhook: {ActionStatus:'FAIL', ErrorCode:1, ErrorInfo:<non-empty>}. */
export function isFailEnvelope(answer: HttpAnswer): boolean {
  const body = answer.json as Record<string, unknown> | undefined;
  return (
    body?.ActionStatus === 'FAIL' && body.ErrorCode === 1 && typeof body.ErrorInfo === 'string' && body.ErrorInfo.length > 0 && Object.keys(body).length === 3
  );
}

// ---------------------------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------------------------

export interface ServerStartOptions {
  /** PostgreSQL; otherwise embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  port?: number;
  /** More variables (SHUTDOWN_TIMEOUT_MS, LOG_LEVEL, ...); undefined removes a default. */
  env?: Record<string, string | undefined>;
  /** How long the server may take to answer (a fresh PGlite runs initdb: several seconds). */
  readyTimeoutMs?: number;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process ended. */
  at: number;
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** Milliseconds from spawn until the server answered the read API. */
  readonly startupMs: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Undefined while the process runs. */
  readonly exit: () => ServerExit | undefined;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the process has ended; rejects after `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<ServerExit>;
  /** Cleanup: SIGTERM, then SIGKILL if it is still running after `graceMs`. Never throws. */
  stop(graceMs?: number): Promise<ServerExit | undefined>;
  /** An authenticated GET on the read / operations API. */
  get(path: string, agent?: http.Agent): Promise<HttpAnswer>;
  /** POSTs a callback as Tencent would, its command taken from the payload. */
  postCallback(payload: Record<string, unknown>, options?: { agent?: http.Agent; onWritten?: (reusedSocket: boolean) => void; timeoutMs?: number }): Promise<HttpAnswer>;
}

const running = new Set<ServerProcess>();

/** A spec that starts dist/main.js after src changed would test the old code: say so instead (`npm test` builds first). */
function assertBuildIsCurrent(): void {
  const newest = (dir: string): { path: string; mtimeMs: number } =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')))
      .map((entry) => (entry.isDirectory() ? newest(join(dir, entry.name)) : { path: join(dir, entry.name), mtimeMs: statSync(join(dir, entry.name)).mtimeMs }))
      .reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a), { path: '', mtimeMs: 0 });
  const source = newest(join(ROOT, 'src'));
  if (source.mtimeMs > statSync(DIST_MAIN).mtimeMs) {
    throw new Error(`dist/main.js is older than ${relative(ROOT, source.path)}: run npm run build (npm test does) before the specs that start the server`);
  }
}

/** Starts `node dist/main.js` and waits until it answers an authenticated GET /webhook-events?limit=1. */
export async function startServer(options: ServerStartOptions): Promise<ServerProcess> {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} does not exist: run npm run build first`);
  assertBuildIsCurrent();
  if (!options.databaseUrl && !options.dataDir) throw new Error('startServer needs a databaseUrl or a dataDir');
  const port = options.port ?? (await freePort());
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of APP_ENV_NAMES) delete env[name];
  Object.assign(env, {
    SDKAPPID: SERVER_SDKAPPID,
    API_TOKEN: SERVER_API_TOKEN,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    WEBHOOK_LEASE_SECONDS: '2',
    WEBHOOK_RETRY_POLL_MS: '200',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { DATA_DIR: options.dataDir }),
    ...options.env,
  });
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];

  const startedAt = Date.now();
  const child: ChildProcess = spawn(process.execPath, [DIST_MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exit: ServerExit | undefined;
  child.once('exit', (code, signal) => (exit = { code, signal, at: Date.now() }));
  // 'close' comes after 'exit' once stdout and stderr are drained: the last log lines are in.
  const exited = new Promise<ServerExit>((done) => child.once('close', () => done(exit!)));
  const spawnFailed = new Promise<never>((_, fail) => child.once('error', fail));
  spawnFailed.catch(() => undefined);

  const get = (path: string, agent?: http.Agent): Promise<HttpAnswer> =>
    httpRequest({ port, path, agent, headers: { authorization: `Bearer ${SERVER_API_TOKEN}` } });

  let startupMs = 0;
  const server: ServerProcess = {
    pid: child.pid ?? -1,
    port,
    get startupMs() {
      return startupMs;
    },
    stdout: () => stdout,
    stderr: () => stderr,
    exit: () => exit,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (!exit) child.kill(signal);
    },
    waitForExit: async (timeoutMs = 30_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`server ${child.pid} still running after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    stop: async (graceMs = 5_000) => {
      if (!exit) {
        child.kill('SIGTERM');
        await within(exited, graceMs);
        if (!exit) child.kill('SIGKILL');
        await within(exited, 5_000);
      }
      running.delete(server);
      return exit;
    },
    get,
    postCallback: (payload, callOptions = {}) =>
      httpRequest({
        port,
        method: 'POST',
        path: webhookPath(String(payload.CallbackCommand)),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        agent: callOptions.agent,
        onWritten: callOptions.onWritten,
        timeoutMs: callOptions.timeoutMs,
      }),
  };
  running.add(server);

  const deadline = startedAt + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exit) {
      running.delete(server);
      throw new Error(`server exited during start-up (code ${exit.code}, signal ${exit.signal})\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }
    const answer = await Promise.race([get('/webhook-events?limit=1').catch(() => undefined), spawnFailed]);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) {
      await server.stop(1_000);
      throw new Error(`server did not answer within ${options.readyTimeoutMs ?? 60_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }
    await delay(50);
  }
  startupMs = Date.now() - startedAt;
  return server;
}

/** afterAll safety net: stops every server this module started that is still running. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop(2_000)));
}

/**
 * Runs `task` over `items` with `concurrency` workers; a worker stops taking items once `stop()`
 * returns true. Items never started are left out of the results.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<Map<number, R>> {
  const results = new Map<number, R>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next++;
      results.set(index, await task(items[index]!, index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// Distinct callbacks of the three seed commands
// ---------------------------------------------------------------------------------------------

export type CallbackKind = 'c2c' | 'extension' | 'official-account';

export interface GeneratedCallback {
  kind: CallbackKind;
  payload: Record<string, unknown>;
  /** The inbox dedupe key the server gives it (from the command registry). */
  dedupeKey: string;
  /** For an extension change: the index (in the same generated set) of the message it changes. */
  messageIndex?: number;
}

function seedFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** The key of a payload that carries its own time (the generated ones all do): receipt time plays no part. */
export function dedupeKeyOfPayload(payload: Record<string, unknown>): string {
  const definition = appCallbackRegistry().find(String(payload.CallbackCommand));
  if (!definition) throw new Error(`no command ${String(payload.CallbackCommand)}`);
  return definition.dedupeKey(payload, new Date(Number.NaN));
}

/** A C2C.CallbackAfterSendMsg, distinct for each (tag, n). */
export function c2cMessage(tag: string, n: number): Record<string, unknown> {
  const seed = seedFixture('c2c-after-send-msg');
  const msgSeq = 10_000 + n;
  const msgRandom = 1_000_000 + n;
  const msgTime = 1_700_000_000 + n;
  return {
    ...seed,
    // 20 x 7 = 140 conversations (coprime moduli), so a conversation holds several messages.
    From_Account: `${tag}-sender-${n % 20}`,
    To_Account: `${tag}-recipient-${n % 7}`,
    MsgSeq: msgSeq,
    MsgRandom: msgRandom,
    MsgTime: msgTime,
    MsgKey: `${msgSeq}_${msgRandom}_${msgTime}_${tag}`,
    UnreadMsgNum: n % 100,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${tag} message ${n}` } }],
  };
}

/** A C2C.CallbackAfterC2CMsgExtension setting key `k<seq>` on `message`. */
export function extensionChange(message: Record<string, unknown>, seq: number): Record<string, unknown> {
  const seed = seedFixture('c2c-msg-extension-set');
  return {
    ...seed,
    From_Account: message.From_Account,
    To_Account: message.To_Account,
    MsgKey: message.MsgKey,
    OperateType: 1,
    ExtensionList: [{ Key: `k${seq}`, Value: `${String(message.MsgKey)}-v${seq}`, Seq: seq }],
    Seq: seq,
    EventTime: 1_764_688_540_182 + seq,
  };
}

/** An OfficialAccount.CallbackAfterSendMsg, distinct for each (tag, n). */
export function officialAccountMessage(tag: string, n: number): Record<string, unknown> {
  const seed = seedFixture('official-account-after-send-msg');
  return {
    ...seed,
    Official_Account: `@TOA#_${tag}_${n % 4}`,
    MsgKey: `${n}_${tag}_oa`,
    MsgTime: 1_490_686_222 + n,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${tag} announcement ${n}` } }],
    EventTime: 1_670_574_414_123 + n,
  };
}

/**
 * `total` distinct callbacks, about 70% C2C messages, 20% extension changes (two Seqs for each of
 * the first messages) and 10% official-account messages, shuffled (seeded) so that an extension
 * change may arrive before its message.
 */
export function generateCallbacks(tag: string, total: number, seed = 1): GeneratedCallback[] {
  const extensions = Math.round(total * 0.2);
  const official = Math.round(total * 0.1);
  const messages = total - extensions - official;
  const list: GeneratedCallback[] = [];
  for (let n = 0; n < messages; n++) {
    const payload = c2cMessage(tag, n);
    list.push({ kind: 'c2c', payload, dedupeKey: dedupeKeyOfPayload(payload) });
  }
  for (let e = 0; e < extensions; e++) {
    const messageIndex = Math.floor(e / 2) % messages;
    const payload = extensionChange(list[messageIndex]!.payload, 1 + (e % 2) + 2 * Math.floor(e / (2 * messages)));
    list.push({ kind: 'extension', payload, dedupeKey: dedupeKeyOfPayload(payload), messageIndex });
  }
  for (let o = 0; o < official; o++) {
    const payload = officialAccountMessage(tag, o);
    list.push({ kind: 'official-account', payload, dedupeKey: dedupeKeyOfPayload(payload) });
  }
  // Seeded Fisher-Yates; messageIndex must follow the messages to their new places.
  const random = mulberry32(seed);
  const order = list.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const newIndex = new Map(order.map((oldIndex, position) => [oldIndex, position]));
  return order.map((oldIndex) => {
    const item = list[oldIndex]!;
    return item.messageIndex === undefined ? item : { ...item, messageIndex: newIndex.get(item.messageIndex)! };
  });
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The read API path of the message a callback is about (for an extension change: its message). */
export function messagePath(callback: GeneratedCallback): string {
  const p = callback.payload;
  const enc = (value: unknown): string => encodeURIComponent(String(value));
  return callback.kind === 'official-account'
    ? `/official-accounts/${enc(p.Official_Account)}/messages/${enc(p.MsgKey)}`
    : `/c2c/conversations/${enc(p.From_Account)}/${enc(p.To_Account)}/messages/${enc(p.MsgKey)}`;
}

/**
 * Whether a message as the read API shows it (undefined: not found) reflects the callback: the
 * message itself, or for an extension change its key, value and Seq. Returns a reason when not.
 */
export function viewProblem(callback: GeneratedCallback, view: unknown): string | undefined {
  const p = callback.payload;
  const what = `${callback.kind} ${String(p.MsgKey)}`;
  if (view === undefined) return `${what}: message not found`;
  const body = view as { msgKey?: string; msgSeq?: number; msgTime?: number; extensions?: { seq: number; items: { key: string; value: string; seq: number }[] } };
  if (callback.kind === 'official-account') return body.msgKey === p.MsgKey && body.msgTime === p.MsgTime ? undefined : `${what} differs: ${JSON.stringify(view)}`;
  if (callback.kind === 'c2c') return body.msgKey === p.MsgKey && body.msgSeq === p.MsgSeq ? undefined : `${what} differs: ${JSON.stringify(view)}`;
  const [item] = p.ExtensionList as { Key: string; Value: string; Seq: number }[];
  const shown = body.extensions?.items.find((i) => i.key === item!.Key);
  if (!body.extensions || body.extensions.seq < Number(p.Seq) || shown?.value !== item!.Value || shown.seq !== item!.Seq) {
    return `${what}: extension ${item!.Key} (Seq ${String(p.Seq)}) not reflected: ${JSON.stringify(body.extensions)}`;
  }
  return undefined;
}

/** Reads the callback's message with GET .../messages/:msgKey and checks it (see viewProblem). */
export async function readApiProblem(server: ServerProcess, callback: GeneratedCallback, agent?: http.Agent): Promise<string | undefined> {
  const answer = await server.get(messagePath(callback), agent);
  if (answer.status === 404) return viewProblem(callback, undefined);
  if (answer.status !== 200) return `GET ${messagePath(callback)}: ${answer.status} ${answer.text}`;
  return viewProblem(callback, answer.json);
}

// ---------------------------------------------------------------------------------------------
// Throwaway PostgreSQL clusters
// ---------------------------------------------------------------------------------------------

export interface PgCluster {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  start(): Promise<void>;
  /** `pg_ctl stop -m <mode>` (immediate: like a crash, no shutdown checkpoint). */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /**
   * SIGSTOPs the postmaster and every backend: the server keeps its sockets but answers nothing, as
   * a hung server or a network partition would. thaw() sends SIGCONT.
   */
  freeze(): void;
  thaw(): void;
  /** Stops it if it runs and deletes its files. Never throws. */
  destroy(): Promise<void>;
  /** The server log, for failure messages. */
  log(): string;
}

/** The postmaster of a data directory and its children (from /proc: no procps needed). */
function clusterPids(dataDir: string): number[] {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return [];
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** The newest PostgreSQL found in /usr/lib/postgresql/<version>/bin (PG_BIN overrides). */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (set PG_BIN)');
  return join(base, versions[0]!, 'bin');
}

const clusters = new Set<PgCluster>();

/**
 * initdb into a new temporary directory (about 1 s), on a free port, not started. As root, initdb
 * refuses to run: the commands then run as the postgres user (runuser), which owns the directory.
 */
export async function createPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), 'tcw-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  if (asRoot) {
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const run = async (program: string, args: string[], timeoutMs = 60_000): Promise<void> => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    try {
      await execFileAsync(file, argv, { timeout: timeoutMs, cwd: root });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${program} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
    }
  };
  const port = await freePort();
  let started = false;
  let frozen: number[] = [];
  const signal = (pids: number[], name: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // gone already
      }
    }
  };
  const cluster: PgCluster = {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: async () => {
      await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${root}`, '-w', '-t', '60', 'start']);
      started = true;
    },
    stop: async (mode = 'fast') => {
      await run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
      started = false;
    },
    freeze: () => {
      frozen = clusterPids(dataDir);
      signal(frozen, 'SIGSTOP');
    },
    thaw: () => {
      signal(frozen, 'SIGCONT');
      frozen = [];
    },
    destroy: async () => {
      cluster.thaw();
      if (started || existsSync(join(dataDir, 'postmaster.pid'))) await cluster.stop('immediate').catch(() => undefined);
      clusters.delete(cluster);
      rmSync(root, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  clusters.add(cluster);
  try {
    await run('initdb', ['-U', 'postgres', '--auth=trust', '--no-sync', '-D', dataDir]);
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/** afterAll safety net: stops and deletes every cluster this module created. */
export async function destroyAllPgClusters(): Promise<void> {
  await Promise.all([...clusters].map((cluster) => cluster.destroy()));
}
