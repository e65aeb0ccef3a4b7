/**
 * Graceful shutdown of the built server (a child process): SIGTERM with callbacks in flight on
 * keep-alive connections, as Tencent holds them. On PGlite (a temporary DATA_DIR) or, in the
 * postgres project, on a fresh PostgreSQL database.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testDriver, type TestDatabase } from './utils/test-database.js';
import {
  generateCallbacks,
  isOkAnswer,
  officialAccountMessage,
  readApiProblem,
  runPool,
  startServer,
  stopAllServers,
  webhookPath,
  type GeneratedCallback,
  type HttpAnswer,
  type ServerProcess,
  type ServerStartOptions,
} from './utils/server-process.js';

const IN_FLIGHT = 50;
/** Callbacks answered before the signal, so that the server is warm and every connection busy. */
const WARM_UP = 100;
const POLL_MS = 20;

interface InboxEntry {
  id: number;
  status: string;
}

/** Every inbox row by dedupe key, through the operations API (all pages). */
async function inboxByDedupeKey(server: ServerProcess): Promise<Map<string, InboxEntry>> {
  const rows = new Map<string, InboxEntry>();
  let cursor: string | null = null;
  do {
    const answer = await server.get(`/webhook-events?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    expect(answer.status).toBe(200);
    const page = answer.json as { items: { id: number; status: string; dedupeKey: string | null }[]; nextCursor: string | null };
    for (const item of page.items) if (item.dedupeKey) rows.set(item.dedupeKey, { id: item.id, status: item.status });
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/** Opens TCP connections every POLL_MS until stopped: when does the listener stop accepting? */
function connectionPoller(port: number, since: number): { stop(): Promise<{ at: number; accepted: boolean }[]> } {
  const attempts: { at: number; accepted: boolean }[] = [];
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const at = Date.now() - since;
    const attempt = new Promise<void>((done) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        attempts.push({ at, accepted: true });
        socket.destroy();
        done();
      });
      socket.once('error', () => {
        attempts.push({ at, accepted: false });
        done();
      });
    });
    pending.add(attempt);
    void attempt.then(() => pending.delete(attempt));
  }, POLL_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return attempts.sort((a, b) => a.at - b.at);
    },
  };
}

async function connectionRefused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

/** The server's shutdown messages (SHUTDOWN_TIMEOUT_MS exceeded, shutdown failed), from stdout or stderr, whatever the log format. */
function shutdownLog(server: ServerProcess): string {
  const lines = `${server.stdout()}\n${server.stderr()}`.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const shutdown = lines.filter((line) => /SHUTDOWN_TIMEOUT_MS|Shutdown failed/.test(line)).map((line) => /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.trim());
  return JSON.stringify(shutdown.length > 0 ? shutdown.join(' | ') : '-');
}

describe(`graceful shutdown of the built server (SIGTERM, ${testDriver()})`, () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let storage: ServerStartOptions;

  beforeAll(async () => {
    if (testDriver() === 'postgres') {
      database = await createTestDatabase();
      storage = { databaseUrl: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tcw-graceful-'));
      storage = { dataDir };
    }
  });

  afterAll(async () => {
    await stopAllServers();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Restarts on the same storage, with the retry loop off (start-up recovery still runs once): an
   * acknowledged callback must have been processed by the process that acknowledged it. Returns
   * what is not processed or not visible among `acked`.
   */
  async function checkProcessed(callbacks: GeneratedCallback[], acked: number[]): Promise<{ notProcessed: string[]; invisible: string[] }> {
    const server = await startServer({ ...storage, env: { WEBHOOK_RETRY_POLL_MS: '0' } });
    try {
      const inbox = await inboxByDedupeKey(server);
      const ackedSet = new Set(acked);
      const notProcessed = acked.map((i) => callbacks[i]!.dedupeKey).filter((key) => inbox.get(key)?.status !== 'processed');
      const invisible: string[] = [];
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      const checked = acked.filter((i) => callbacks[i]!.kind !== 'extension' || ackedSet.has(callbacks[i]!.messageIndex!));
      await runPool(checked, 8, async (i) => {
        const problem = await readApiProblem(server, callbacks[i]!, agent);
        if (problem) invisible.push(problem);
      });
      agent.destroy();
      return { notProcessed, invisible };
    } finally {
      await server.stop();
    }
  }

  it(`SIGTERM under keep-alive traffic (${IN_FLIGHT} in flight): in-flight answered 200, exit 0 within SHUTDOWN_TIMEOUT_MS, new connections refused, all acknowledged processed`, async () => {
    const shutdownTimeoutMs = 5_000;
    const server = await startServer({ ...storage, env: { SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
    const callbacks = generateCallbacks('graceful', 1_500, 11);
    // Tencent keeps its connections alive and keeps sending: so do these 50 connections.
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    interface Sent {
      writtenAt?: number;
      /** Whether the request was fully written before the signal was sent (event-loop order, not clock). */
      writtenBeforeSignal?: boolean;
      reusedSocket?: boolean;
      doneAt?: number;
      answer?: HttpAnswer;
      error?: string;
    }
    const sent = new Map<number, Sent>();
    let signalAt: number | undefined;
    let answeredAtSignal = 0;
    let startedAtSignal = 0;
    let poller: ReturnType<typeof connectionPoller> | undefined;
    let exited = false;
    const exitPromise = server.waitForExit(shutdownTimeoutMs + 15_000).then(
      (exit) => ((exited = true), exit),
      () => undefined,
    );
    try {
      let answered = 0;
      const sendOne = async (i: number): Promise<Sent> => {
        const record: Sent = {};
        sent.set(i, record);
        try {
          record.answer = await server.postCallback(callbacks[i]!.payload, {
            agent,
            onWritten: (reused) => {
              record.writtenAt = Date.now();
              record.writtenBeforeSignal = signalAt === undefined;
              record.reusedSocket = reused;
            },
          });
        } catch (error) {
          record.error = error instanceof Error ? error.message : String(error);
        }
        record.doneAt = Date.now();
        answered++;
        return record;
      };
      // 1. Open the 50 connections with one callback each, and let the server accept them all: a busy
      //    Node server accepts about one connection per event-loop turn, and a connection still in the
      //    listen backlog when the listener closes is reset, although its client has sent a request.
      const opened = await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => sendOne(i)));
      expect(opened.filter((r) => !r.answer || !isOkAnswer(r.answer)).map((r) => r.error ?? r.answer?.status)).toEqual([]);
      // 2. Each connection carries one callback after another. The signal comes once 100 are answered:
      //    then every connection has a callback in flight. After it a connection keeps sending until a
      //    request fails (its connection is gone; a new one must be refused) or the process is gone.
      let next = IN_FLIGHT;
      const worker = async (): Promise<void> => {
        while (next < callbacks.length && !exited) {
          const record = await sendOne(next++);
          if (signalAt === undefined && answered >= WARM_UP) {
            answeredAtSignal = answered;
            startedAtSignal = sent.size;
            signalAt = Date.now();
            server.kill('SIGTERM');
            poller = connectionPoller(server.port, signalAt);
          }
          if (record.error && signalAt !== undefined) return;
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      // What matters (every connection had a callback in flight at the signal, the exit, ...) is asserted below;
      // this only says so plainly when the load ended before the signal went out (signalAt is the test's own).
      if (signalAt === undefined) throw new Error(`no SIGTERM was sent: the server answered ${answered} callbacks, fewer than the ${WARM_UP} to warm up`);
      const signal = signalAt;
      const exit = await exitPromise;
      const attempts = (await poller?.stop()) ?? [];
      const refusedAfterExit = await connectionRefused(server.port);
      if (!exit) await server.stop();

      const records = [...sent];
      // Accepted before the signal: written before it, on a connection the server had accepted (the 50
      // opened in step 1 and answered there, or a kept-alive one reused after an answer).
      const writtenBefore = records.filter(([i, r]) => r.writtenBeforeSignal === true && (i < IN_FLIGHT || r.reusedSocket));
      const onNewConnection = records.filter(([i, r]) => i >= IN_FLIGHT && r.writtenBeforeSignal === true && !r.reusedSocket);
      const notOkWrittenBefore = writtenBefore.filter(([, r]) => !r.answer || !isOkAnswer(r.answer));
      const acked = records.filter(([, r]) => r.answer && isOkAnswer(r.answer)).map(([i]) => i);
      const after = records.filter(([, r]) => r.writtenBeforeSignal !== true);
      const okAfter = after.filter(([, r]) => r.answer && isOkAnswer(r.answer));
      const lastOkAfterMs = Math.max(0, ...okAfter.map(([, r]) => r.doneAt! - signal));
      const firstRefused = attempts.find((a) => !a.accepted);
      const acceptedAfterRefused = firstRefused ? attempts.filter((a) => a.accepted && a.at > firstRefused.at).length : 0;
      const exitMs = exit ? exit.at - signal : undefined;

      const { notProcessed, invisible } = await checkProcessed(callbacks, acked);
      process.stdout.write(
        `graceful-shutdown: driver=${testDriver()} answered-before-signal=${answeredAtSignal} in-flight-at-signal=${startedAtSignal - answeredAtSignal} ` +
          `written-before-signal=${writtenBefore.length} not-ok-of-those=${notOkWrittenBefore.length} ` +
          `(plus ${onNewConnection.length} written on a new connection in step 2, not known to be accepted) ` +
          `sent-after-signal=${after.length} (200: ${okAfter.length}, last 200 at ${lastOkAfterMs} ms; failed: ${after.filter(([, r]) => r.error).length}) ` +
          `acknowledged=${acked.length} exit-code=${exit?.code ?? 'still running'} exit-signal=${exit?.signal ?? '-'} exit-ms-after-SIGTERM=${exitMs ?? '-'} ` +
          `(SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs}) first-refused-connection-ms=${firstRefused?.at ?? '-'} ` +
          `new-connections-accepted-after-signal=${attempts.filter((a) => a.accepted).length} not-processed=${notProcessed.length} invisible=${invisible.length}` +
          ` shutdown-log=${shutdownLog(server)}\n`,
      );

      expect({
        inFlightAtSignal: startedAtSignal - answeredAtSignal >= IN_FLIGHT - 5,
        notOkWrittenBeforeSignal: notOkWrittenBefore.slice(0, 3).map(([, r]) => `${r.error ?? r.answer?.status} (written ${r.writtenAt! - signal} ms, failed ${r.doneAt! - signal} ms after SIGTERM)`),
        exitCode: exit?.code,
        exitedWithinShutdownTimeout: exitMs !== undefined && exitMs <= shutdownTimeoutMs,
        refusedAfterExit,
        acceptedAfterRefused,
        notProcessed: notProcessed.slice(0, 5),
        invisible: invisible.slice(0, 5),
      }).toEqual({
        inFlightAtSignal: true,
        notOkWrittenBeforeSignal: [],
        exitCode: 0,
        exitedWithinShutdownTimeout: true,
        refusedAfterExit: true,
        acceptedAfterRefused: 0,
        notProcessed: [],
        invisible: [],
      });
    } finally {
      agent.destroy();
      await poller?.stop();
      await server.stop();
    }
  }, 90_000);

  it('a callback still arriving when the listener closes is answered 200 on its kept-alive connection, and that connection does not hold the exit (0, within SHUTDOWN_TIMEOUT_MS)', async () => {
    const shutdownTimeoutMs = 3_000;
    const server = await startServer({ ...storage, env: { SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
    const slow = new net.Socket();
    try {
      // A kept-alive connection (HTTP/1.1, no Connection: close) that sends its callback slowly: the
      // headers and half the body before the signal, the rest once the listener refuses connections.
      slow.connect(server.port, '127.0.0.1');
      await once(slow, 'connect');
      let answer = '';
      let closedAt: number | undefined;
      slow.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      slow.on('error', () => undefined);
      slow.on('close', () => (closedAt = Date.now()));
      const payload = officialAccountMessage('slow', 1);
      const body = Buffer.from(JSON.stringify(payload));
      slow.write(
        `POST ${webhookPath(String(payload.CallbackCommand))} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`,
      );
      slow.write(body.subarray(0, body.length >> 1));
      // A full round trip on another connection after that write: the server has read the partial request.
      const other = officialAccountMessage('slow', 2);
      expect(isOkAnswer(await server.postCallback(other))).toBe(true);

      const signalAt = Date.now();
      server.kill('SIGTERM');
      let listenerClosedMs: number | undefined;
      while (listenerClosedMs === undefined && !server.exit() && Date.now() - signalAt < shutdownTimeoutMs) {
        if (await connectionRefused(server.port)) listenerClosedMs = Date.now() - signalAt;
        else await new Promise((done) => setTimeout(done, POLL_MS));
      }
      slow.write(body.subarray(body.length >> 1));
      // The answer to the callback that was in flight; the client keeps its connection, as Tencent does.
      for (let i = 0; i < 250 && !answer.includes('\r\n\r\n{') && closedAt === undefined; i++) await new Promise((done) => setTimeout(done, POLL_MS));
      const exit = await server.waitForExit(shutdownTimeoutMs + 15_000).catch(() => undefined);
      const exitMs = exit ? exit.at - signalAt : undefined;
      const statusLine = answer.split('\r\n')[0] ?? '';
      const connectionHeader = /\r\nconnection: *([^\r]*)/i.exec(answer)?.[1];
      const answerBody = answer.slice(answer.indexOf('\r\n\r\n') + 4);

      const callbacks: GeneratedCallback[] = [
        { kind: 'official-account', payload, dedupeKey: '' },
        { kind: 'official-account', payload: other, dedupeKey: '' },
      ];
      const checker = await startServer({ ...storage, env: { WEBHOOK_RETRY_POLL_MS: '0' } });
      let problems: (string | undefined)[];
      try {
        problems = [await readApiProblem(checker, callbacks[0]!), await readApiProblem(checker, callbacks[1]!)];
      } finally {
        await checker.stop();
      }
      process.stdout.write(
        `graceful-shutdown: driver=${testDriver()} slow-callback listener-closed-ms=${listenerClosedMs ?? '-'} answer=${JSON.stringify(statusLine)} ` +
          `connection-header=${connectionHeader ?? '-'} exit-code=${exit?.code ?? 'still running'} exit-ms-after-SIGTERM=${exitMs ?? '-'} ` +
          `(SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs}) client-connection-closed-by-server-ms=${closedAt === undefined ? '-' : closedAt - signalAt} ` +
          `shutdown-log=${shutdownLog(server)}\n`,
      );

      expect({
        listenerClosedBeforeExit: listenerClosedMs !== undefined,
        answer: statusLine,
        answerBody,
        exitCode: exit?.code,
        exitedWithinShutdownTimeout: exitMs !== undefined && exitMs <= shutdownTimeoutMs,
        notVisible: problems.filter(Boolean),
      }).toEqual({
        listenerClosedBeforeExit: true,
        answer: 'HTTP/1.1 200 OK',
        answerBody: JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }),
        exitCode: 0,
        exitedWithinShutdownTimeout: true,
        notVisible: [],
      });
    } finally {
      slow.destroy();
      await server.stop();
    }
  }, 60_000);

  it('a request whose body never completes cannot hold the process past SHUTDOWN_TIMEOUT_MS (a forced exit may be code 1)', async () => {
    const shutdownTimeoutMs = 1_500;
    const server = await startServer({ ...storage, env: { SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
    const hanging = new net.Socket();
    try {
      const before = { kind: 'official-account' as const, payload: officialAccountMessage('hang', 1), dedupeKey: '' };
      expect(isOkAnswer(await server.postCallback(before.payload))).toBe(true);

      // Headers and half the body, never the rest.
      hanging.connect(server.port, '127.0.0.1');
      await once(hanging, 'connect');
      let hangingAnswer = '';
      let hangingClosedAt: number | undefined;
      hanging.on('data', (chunk: Buffer) => (hangingAnswer += chunk.toString('utf8')));
      hanging.on('error', () => undefined);
      hanging.on('close', () => (hangingClosedAt = Date.now()));
      const half = officialAccountMessage('hang', 2);
      const body = Buffer.from(JSON.stringify(half));
      hanging.write(
        `POST ${webhookPath(String(half.CallbackCommand))} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`,
      );
      hanging.write(body.subarray(0, body.length >> 1));
      // A full round trip on another connection after that write: the server has read the partial request.
      const after = officialAccountMessage('hang', 3);
      expect(isOkAnswer(await server.postCallback(after))).toBe(true);

      const signalAt = Date.now();
      server.kill('SIGTERM');
      const exit = await server.waitForExit(shutdownTimeoutMs + 15_000).catch(() => undefined);
      const exitMs = exit ? exit.at - signalAt : undefined;
      // The socket closes with the process; give the close event a poll or two to arrive.
      for (let i = 0; i < 50 && hangingClosedAt === undefined; i++) await new Promise((done) => setTimeout(done, POLL_MS));

      const callbacks: GeneratedCallback[] = [before, { kind: 'official-account', payload: after, dedupeKey: '' }, { kind: 'official-account', payload: half, dedupeKey: '' }];
      const checker = await startServer({ ...storage, env: { WEBHOOK_RETRY_POLL_MS: '0' } });
      let problems: (string | undefined)[];
      let halfStored: boolean;
      try {
        problems = [await readApiProblem(checker, callbacks[0]!), await readApiProblem(checker, callbacks[1]!)];
        halfStored = (await readApiProblem(checker, callbacks[2]!)) === undefined;
      } finally {
        await checker.stop();
      }
      process.stdout.write(
        `graceful-shutdown: driver=${testDriver()} hanging-request exit-code=${exit?.code ?? 'still running'} exit-ms-after-SIGTERM=${exitMs ?? '-'} ` +
          `(SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs}) hanging-socket-answer=${JSON.stringify(hangingAnswer.split('\r\n')[0] ?? '')} ` +
          `hanging-socket-closed-ms=${hangingClosedAt === undefined ? '-' : hangingClosedAt - signalAt} half-body-callback-stored=${halfStored} ` +
          `shutdown-log=${shutdownLog(server)}\n`,
      );

      expect({
        exited: exit !== undefined && exit.signal === null,
        exitCodeZeroOrOne: exit?.code === 0 || exit?.code === 1,
        // Signal delivery and process teardown get a little slack on a loaded machine.
        exitedWithinShutdownTimeout: exitMs !== undefined && exitMs <= shutdownTimeoutMs + 1_000,
        hangingSocketClosed: hangingClosedAt !== undefined,
        acknowledgedVisible: problems.filter(Boolean),
        halfBodyStored: halfStored,
      }).toEqual({
        exited: true,
        exitCodeZeroOrOne: true,
        exitedWithinShutdownTimeout: true,
        hangingSocketClosed: true,
        acknowledgedVisible: [],
        halfBodyStored: false,
      });
    } finally {
      hanging.destroy();
      await server.stop();
    }
  }, 90_000);
});
