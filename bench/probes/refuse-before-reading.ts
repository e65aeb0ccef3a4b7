// Issue 17, item 4: a webhook request refused on its query string (no Sign, another SdkAppid) is
// answered and closed before its body is read. 1,000 connections each announce a 1 MiB body and
// send 64 KiB of it, while 50 signed callbacks are sent; the server's RSS is sampled throughout.
// Contrast (PROBE_CONTRAST=0 skips it): the same load with valid signatures, whose bodies are read
// and wait for the rest until REQUEST_TIMEOUT_MS.
import http from 'node:http';
import {
  c2cMessage,
  closeAll,
  createDatabase,
  delay,
  formatSpread,
  mib,
  ms,
  now,
  postHead,
  postSigned,
  progress,
  rawConnection,
  refusedPath,
  sampler,
  signedPath,
  spread,
  startService,
  tally,
  type Answer,
  type Platform,
  type RawConnection,
  type Service,
} from './common.js';

const CONNECTIONS = Number(process.env.PROBE_CONNECTIONS ?? 1000);
const ANNOUNCED = 1024 * 1024;
const SENT = 64 * 1024;
const SIGNED = 50;
/** Connections opened per step of the ramp, and the step. */
const RAMP = { connections: 50, everyMs: 20 };
/** After every connection settled (or this much time passed), RSS is still watched this long. */
const HOLD_MS = 2000;
const COMMAND = 'C2C.CallbackAfterSendMsg';
/** The contrast's REQUEST_TIMEOUT_MS: how long the unfinished, signed bodies are waited for. */
const CONTRAST_TIMEOUT_MS = Number(process.env.PROBE_CONTRAST_TIMEOUT_MS ?? 10_000);

interface LoadFigures {
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  socketsPeak: number;
  /** CPU time of the server, and of this process (the client), from the ramp's start to the end of the hold. */
  serverCpuMs: number;
  clientCpuMs: number;
  elapsedMs: number;
  connections: RawConnection[];
  signed: (Answer | Error)[];
  startedAt: number;
}

/** Opens the connections (each sends the head and SENT bytes of body, then nothing) and the signed callbacks meanwhile. */
async function load(server: Service, pathOf: (i: number) => string, tag: string, settleWithinMs: number): Promise<LoadFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  try {
    // Warm-up: the signed path and the refusal path once each, then a quiet second.
    for (let i = 0; i < 20; i++) await postSigned(server.port, c2cMessage(`${tag}-warm`, i), agent);
    await delay(1000);
    const rssBefore = server.rssMiB();
    const rss = sampler(() => server.rssMiB(), 20);
    const sockets = sampler(() => server.socketCount(), 100);
    const startedAt = now();
    const serverCpuAtStart = server.cpuMs();
    const clientCpuAtStart = process.cpuUsage();
    const body = Buffer.alloc(SENT, 'x');
    body.write('{"pad":"');
    const connections: RawConnection[] = [];
    const opening = (async () => {
      for (let i = 0; i < CONNECTIONS; i++) {
        const c = rawConnection(server.port);
        void c.connected.then(() => {
          c.write(postHead(pathOf(i), ANNOUNCED));
          c.write(body);
        });
        connections.push(c);
        if ((i + 1) % RAMP.connections === 0) await delay(RAMP.everyMs);
      }
    })();
    // The signed callbacks: one every 20 ms from the start of the ramp, over keep-alive connections.
    const signed = Promise.all(
      Array.from({ length: SIGNED }, async (_, i) => {
        await delay(i * 20);
        return postSigned(server.port, c2cMessage(`${tag}-signed`, i), agent, 30_000).catch((error: unknown) => error as Error);
      }),
    );
    await opening;
    const settled = Promise.all(connections.map((c) => c.settled));
    await Promise.race([settled, delay(settleWithinMs)]);
    const signedAnswers = await signed;
    await delay(HOLD_MS);
    const serverCpuMs = server.cpuMs() - serverCpuAtStart;
    const clientCpu = process.cpuUsage(clientCpuAtStart);
    const elapsedMs = now() - startedAt;
    const rssFigures = rss.stop();
    const socketFigures = sockets.stop();
    await closeAll(connections);
    return { rssBefore, rssPeak: rssFigures.peak, rssAfter: rssFigures.last, socketsPeak: socketFigures.peak, serverCpuMs, clientCpuMs: (clientCpu.user + clientCpu.system) / 1000, elapsedMs, connections, signed: signedAnswers, startedAt };
  } finally {
    agent.destroy();
  }
}

function describe(figures: LoadFigures, label: string): { lines: string[]; growth: number; signedOk: number } {
  const { connections, signed } = figures;
  const answered = connections.filter((c) => c.outcome.status !== undefined);
  const endedByServer = connections.filter((c) => c.outcome.endedBy === 'fin' || c.outcome.endedBy === 'reset');
  const sinceConnect = (at: number | undefined, c: RawConnection): number | undefined =>
    at === undefined || c.outcome.connectedAt === undefined ? undefined : at - c.outcome.connectedAt;
  const answerTimes = answered.map((c) => sinceConnect(c.outcome.answeredAt, c)).filter((v): v is number => v !== undefined);
  const closeTimes = endedByServer.map((c) => sinceConnect(c.outcome.endedAt, c)).filter((v): v is number => v !== undefined);
  const okSigned = signed.filter((a): a is Answer => !(a instanceof Error) && a.status === 200 && (a.json as { ActionStatus?: string } | undefined)?.ActionStatus === 'OK');
  const growth = figures.rssPeak - figures.rssBefore;
  const envelope = answered.find((c) => c.outcome.status !== 200)?.outcome.answer.split('\r\n\r\n')[1];
  return {
    growth,
    signedOk: okSigned.length,
    lines: [
      `${label}: RSS before ${mib(figures.rssBefore)}, peak ${mib(figures.rssPeak)} (+${mib(growth)}), at the end ${mib(figures.rssAfter)}; server sockets at peak ${figures.socketsPeak} (listening and database sockets included)`,
      `  ${connections.length} connections (Content-Length: ${ANNOUNCED}, ${SENT} bytes sent): answered ${answered.length} (status ${tally(answered.map((c) => c.outcome.status))}), ended by the server ${endedByServer.length} (${tally(endedByServer.map((c) => c.outcome.endedBy))}), left open ${connections.length - endedByServer.length}`,
      `  time to the answer, from connect: ${formatSpread(spread(answerTimes))}`,
      `  time to the server's close, from connect: ${formatSpread(spread(closeTimes))}`,
      ...(envelope ? [`  an answer's body: ${envelope.slice(0, 160)}`] : []),
      `  CPU over the ${ms(figures.elapsedMs)} from the ramp's start to the end (hold included): server ${ms(figures.serverCpuMs)}, this probe (the client) ${ms(figures.clientCpuMs)}`,
      `  ${SIGNED} signed callbacks meanwhile: ${tally(signed.map((a) => (a instanceof Error ? `error ${a.message}` : a.status)))}; OK envelope ${okSigned.length}/${SIGNED}; latency ${formatSpread(spread(signed.filter((a): a is Answer => !(a instanceof Error)).map((a) => a.ms)))}`,
    ],
  };
}

export async function refuseBeforeReading(platform: Platform): Promise<string[]> {
  const lines: string[] = [];
  {
    const db = await createDatabase(`refuse_${platform}`);
    const server = await startService({ name: `refuse-${platform}`, platform, databaseUrl: db.url });
    try {
      progress(`${platform}: ${CONNECTIONS} refused connections (half without Sign, half with another SdkAppid), ${SIGNED} signed callbacks`);
      const figures = await load(server, (i) => refusedPath(COMMAND, i % 2 === 0 ? 'no-sign' : 'wrong-sdkappid'), `refuse-${platform}`, 15_000);
      const { lines: described, growth, signedOk } = describe(figures, 'refused on the query string');
      lines.push(...described);
      lines.push(`  target (RSS +<100 MB with ${CONNECTIONS} such connections, signed callbacks answered): ${growth < 100 && signedOk === SIGNED ? 'met' : 'NOT met'}`);
    } finally {
      await server.stop();
      await db.drop();
    }
  }
  if (process.env.PROBE_CONTRAST !== '0') {
    const db = await createDatabase(`refuse_contrast_${platform}`);
    const server = await startService({ name: `refuse-contrast-${platform}`, platform, databaseUrl: db.url, env: { REQUEST_TIMEOUT_MS: String(CONTRAST_TIMEOUT_MS) } });
    try {
      progress(`${platform}: contrast, ${CONNECTIONS} signed connections whose bodies never finish (REQUEST_TIMEOUT_MS=${CONTRAST_TIMEOUT_MS})`);
      const figures = await load(server, () => signedPath(COMMAND), `contrast-${platform}`, CONTRAST_TIMEOUT_MS + 10_000);
      lines.push(...describe(figures, `contrast, validly signed, bodies never finished (REQUEST_TIMEOUT_MS=${CONTRAST_TIMEOUT_MS})`).lines);
    } finally {
      await server.stop();
      await db.drop();
    }
  }
  return lines;
}
