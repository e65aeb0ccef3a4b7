/**
 * The machine's real NATS server (JetStream) for the event relay's specs, and throwaway servers of
 * our own to stop and restart. Where no server answers, the specs skip with one line saying so;
 * with REQUIRE_NATS=1 (.ci/run sets it) that is an error instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { freePort } from './server-process.js';
import { until } from './wait.js';

export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BINARY = process.env.NATS_SERVER_BINARY ?? '/usr/sbin/nats-server';

async function answers(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 1000, reconnect: false });
    const jsm = await nc.jetstreamManager({ timeout: 1000 });
    await jsm.getAccountInfo();
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` when a NATS server with JetStream answers at NATS_URL; otherwise `describe.skip` with
 * one line saying why, or, under REQUIRE_NATS=1, a failure.
 */
export async function describeWithNats(): Promise<{ describe: jest.Describe; suffix: string }> {
  if (await answers(NATS_URL)) return { describe, suffix: '' };
  const why = `no NATS server with JetStream answers at ${NATS_URL}`;
  if (process.env.REQUIRE_NATS === '1') throw new Error(`REQUIRE_NATS=1 but ${why}`);
  // One line, not console.warn (jest prints a code frame with it).
  process.stderr.write(`[SKIPPED: ${why}; set TEST_NATS_URL, or REQUIRE_NATS=1 to make this an error]\n`);
  return { describe: describe.skip, suffix: ` [SKIPPED: ${why}]` };
}

/** Names of a stream and subject prefix nobody else uses (the server is shared). */
export function uniqueRelayNames(): { stream: string; prefix: string } {
  const tag = randomUUID().replaceAll('-', '').slice(0, 12);
  return { stream: `TCW_TEST_${tag}`, prefix: `tcw-test-${tag}` };
}

export interface StoredMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  json: { id: string; name: string; event: Record<string, unknown>; metadata: Record<string, unknown> };
  /** When JetStream stored it. */
  storedAt: Date;
}

/** Every message in the stream, in stream order ([] when the stream does not exist). */
export async function streamMessages(nc: NatsConnection, stream: string): Promise<StoredMessage[]> {
  const jsm = await nc.jetstreamManager();
  let info;
  try {
    info = await jsm.streams.info(stream);
  } catch {
    return [];
  }
  const messages: StoredMessage[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    messages.push({ seq, subject: m.subject, msgId: m.header?.get('Nats-Msg-Id'), json: m.json(), storedAt: m.time });
  }
  return messages;
}

export async function deleteStream(nc: NatsConnection, stream: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(stream).catch(() => undefined);
}

/** A nats-server of our own (JetStream, file storage in a temp dir), to stop and start again. */
export class OwnNatsServer {
  private process: ChildProcess | undefined;
  readonly storeDir = mkdtempSync(join(tmpdir(), 'tcw-nats-'));

  private constructor(readonly port: number) {}

  static available(): boolean {
    return existsSync(NATS_SERVER_BINARY);
  }

  static async start(): Promise<OwnNatsServer> {
    const server = new OwnNatsServer(await freePort());
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.process = spawn(NATS_SERVER_BINARY, ['-js', '-sd', this.storeDir, '-a', '127.0.0.1', '-p', String(this.port)], { stdio: 'ignore' });
    await until(() => answers(this.url), 10_000, { what: `nats-server on ${this.port}`, intervalMs: 50 });
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
