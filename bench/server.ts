// Child servers for the benchmark: start, wait until they answer, read their RSS, stop them.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';

export interface StartOptions {
  name: string;
  /** The JavaScript file node runs. */
  script: string;
  env: Record<string, string>;
  port: number;
  /** Where the child's stdout and stderr go. */
  logPath: string;
  /** Extra node flags (for example --cpu-prof). */
  nodeArgs?: string[];
  /** How long start-up (migrations, PGlite's initdb) may take. */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  readonly logPath: string;
  /** From spawn until it first answered HTTP. */
  startupMs: number;
  /** Resident set size now, in MiB (VmRSS of /proc/<pid>/status). */
  rssMiB(): number;
  /** CPU time the process has used so far (user + system), in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL if it has not exited within the grace time. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines the server wrote. */
  logTail(lines?: number): string;
  /** Bytes written to the log so far (a mark for `logSince`). */
  logSize(): number;
  /** What the server wrote after the mark. */
  logSince(mark: number): string;
}

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

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

export function rssMiBOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every platform node runs on here.
const TICK_MS = 10;

export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const spawnedAt = Date.now();
  const log = openSync(options.logPath, 'a');
  let child: ChildProcess;
  try {
    // Only the variables given: nothing of the caller's environment (a DATABASE_URL, say) leaks in.
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${options.script}`);

  let exitCode: number | null | undefined;
  const exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      done();
    });
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  let stopping: Promise<void> | undefined;

  const server: ServerProcess = {
    name: options.name,
    pid,
    baseUrl,
    logPath: options.logPath,
    startupMs: 0,
    rssMiB: () => rssMiBOf(pid),
    cpuMs: () => cpuMsOf(pid),
    logTail: (lines = 30) => tail(options.logPath, lines),
    logSize: () => statSync(options.logPath).size,
    logSince: (mark) => readFileSync(options.logPath).subarray(mark).toString('utf8'),
    stop: (graceMs = 15_000) =>
      (stopping ??= (async () => {
        if (exitCode !== undefined) return;
        child.kill('SIGTERM');
        const timer = new Promise<'late'>((done) => setTimeout(() => done('late'), graceMs).unref());
        if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'late') {
          child.kill('SIGKILL');
          await exited;
        }
      })()),
  };

  // Ready once it answers HTTP at all (Nest listens only after every module has started).
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`${options.name} exited during start-up (code ${String(exitCode)}):\n${server.logTail()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      server.startupMs = Date.now() - spawnedAt;
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`${options.name} did not answer within ${options.startTimeoutMs ?? 60_000} ms:\n${server.logTail()}`);
      }
      await delay(100);
    }
  }
}
