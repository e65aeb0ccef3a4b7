// Issue 17, item 6: REQUEST_TIMEOUT_MS and MAX_CONNECTIONS, on one server started with
// REQUEST_TIMEOUT_MS=1000 and MAX_CONNECTIONS=40 (PROBE_REQUEST_TIMEOUT_MS, PROBE_MAX_CONNECTIONS).
// 1. A signed callback whose body is trickled in one byte every 50 ms (three connections), and one
//    whose head is trickled: each should be answered 408 in the envelope and closed, about
//    REQUEST_TIMEOUT_MS after it started (Node checks every connectionsCheckingInterval: a quarter
//    of the timeout here). A whole callback sent at once is the control (200).
// 2. 60 connections opened at once, each asking GET /webhook-events?limit=1 (keep-alive): how many
//    were answered (accepted) and how many were closed unanswered (refused); then 10 accepted ones
//    are closed and 10 new ones opened, which should be accepted.
import {
  API_TOKEN,
  c2cMessage,
  closeAll,
  createDatabase,
  delay,
  formatSpread,
  ms,
  postHead,
  postSigned,
  progress,
  rawConnection,
  signedPath,
  spread,
  startService,
  tally,
  type Platform,
  type RawConnection,
  type Service,
} from './common.js';

const REQUEST_TIMEOUT_MS = Number(process.env.PROBE_REQUEST_TIMEOUT_MS ?? 1000);
const MAX_CONNECTIONS = Number(process.env.PROBE_MAX_CONNECTIONS ?? 40);
const OPENED = MAX_CONNECTIONS + 20;
const TRICKLE_EVERY_MS = 50;
const TRICKLED_BODIES = 3;

/** Sends `head` at once (or trickled) and then the body one byte every TRICKLE_EVERY_MS, until the server answers or ends the connection. */
async function trickle(server: Service, tag: string, trickleHead: boolean): Promise<RawConnection> {
  const payload = JSON.stringify(c2cMessage(tag, 0));
  const head = postHead(signedPath('C2C.CallbackAfterSendMsg'), Buffer.byteLength(payload));
  const c = rawConnection(server.port);
  await c.connected;
  let answered = false;
  void c.settled.then(() => (answered = true));
  const send = async (text: string): Promise<void> => {
    for (const char of text) {
      if (answered) return;
      c.write(char);
      await delay(TRICKLE_EVERY_MS);
    }
  };
  if (trickleHead) await send(head);
  else c.write(head);
  await send(payload);
  // The whole body went out before any answer: wait for it (the control of a too-long timeout).
  await Promise.race([c.settled, delay(REQUEST_TIMEOUT_MS * 3)]);
  // The server's close after its answer.
  await Promise.race([c.closed, delay(2000)]);
  return c;
}

function describeTrickle(label: string, c: RawConnection): string {
  const o = c.outcome;
  const since = (at: number | undefined): number | undefined => (at === undefined || o.connectedAt === undefined ? undefined : at - o.connectedAt);
  const body = o.answer.split('\r\n\r\n')[1] ?? '';
  return `  ${label}: status ${o.status ?? 'none'} after ${ms(since(o.answeredAt))}, connection ended by the server (${o.endedBy ?? 'not ended'}) after ${ms(since(o.endedAt))}, ${o.bytesWritten} bytes sent (head included); body ${body.slice(0, 140) || '(none)'}`;
}

const getHead = `GET /webhook-events?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${API_TOKEN}\r\n\r\n`;

/** Opens `count` connections at once, each asking one GET (keep-alive); waits until each was answered or ended. */
async function openMany(server: Service, count: number): Promise<RawConnection[]> {
  const connections = Array.from({ length: count }, () => {
    const c = rawConnection(server.port);
    void c.connected.then(() => c.write(getHead));
    return c;
  });
  await Promise.race([Promise.all(connections.map((c) => c.settled)), delay(5000)]);
  return connections;
}

function describeMany(connections: RawConnection[]): string {
  const answered = connections.filter((c) => c.outcome.status !== undefined);
  const refused = connections.filter((c) => c.outcome.status === undefined && c.outcome.endedAt !== undefined);
  const neither = connections.length - answered.length - refused.length;
  return `accepted (answered) ${answered.length} (status ${tally(answered.map((c) => c.outcome.status))}), refused (closed unanswered) ${refused.length} (${tally(refused.map((c) => `${c.outcome.endedBy} ${c.outcome.error ?? ''}`.trim()))}), neither within 5 s ${neither}`;
}

export async function requestTimeout(platform: Platform): Promise<string[]> {
  const db = await createDatabase(`timeouts_${platform}`);
  const env = { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), MAX_CONNECTIONS: String(MAX_CONNECTIONS) };
  const server = await startService({ name: `timeouts-${platform}`, platform, databaseUrl: db.url, env });
  const lines: string[] = [`server: REQUEST_TIMEOUT_MS=${REQUEST_TIMEOUT_MS}, MAX_CONNECTIONS=${MAX_CONNECTIONS}`];
  try {
    for (let i = 0; i < 5; i++) await postSigned(server.port, c2cMessage(`timeouts-${platform}-warm`, i));
    const control = await postSigned(server.port, c2cMessage(`timeouts-${platform}-control`, 0));
    lines.push(`  control, a whole signed callback at once: status ${control.status} in ${ms(control.ms)}`);

    progress(`${platform}: ${TRICKLED_BODIES} bodies trickled in one byte every ${TRICKLE_EVERY_MS} ms, then a trickled head`);
    const trickled = await Promise.all(Array.from({ length: TRICKLED_BODIES }, (_, i) => trickle(server, `timeouts-${platform}-trickle-${i}`, false)));
    trickled.forEach((c, i) => lines.push(describeTrickle(`body trickled #${i + 1}`, c)));
    const sinceConnect = (c: RawConnection, at: number | undefined): number | undefined =>
      at === undefined || c.outcome.connectedAt === undefined ? undefined : at - c.outcome.connectedAt;
    lines.push(`  bodies trickled, time to the answer: ${formatSpread(spread(trickled.map((c) => sinceConnect(c, c.outcome.answeredAt)).filter((v): v is number => v !== undefined)))}`);
    lines.push(describeTrickle('head trickled', await trickle(server, `timeouts-${platform}-head`, true)));

    progress(`${platform}: ${OPENED} connections at once, MAX_CONNECTIONS=${MAX_CONNECTIONS}`);
    const many = await openMany(server, OPENED);
    lines.push(`  ${OPENED} connections at once, each GET /webhook-events?limit=1: ${describeMany(many)}`);
    await delay(1500);
    const accepted = many.filter((c) => c.outcome.status !== undefined);
    const stillOpen = accepted.filter((c) => c.outcome.endedAt === undefined);
    lines.push(`  of the accepted, still open (keep-alive) 1.5 s later: ${stillOpen.length}; server sockets now ${server.socketCount()} (listening and database sockets included)`);
    const freed = stillOpen.slice(0, 10);
    await closeAll(freed);
    await delay(300);
    const more = await openMany(server, 10);
    lines.push(`  after closing ${freed.length} accepted connections, 10 new ones: ${describeMany(more)}`);
    await closeAll([...many, ...more]);
  } finally {
    await server.stop();
    await db.drop();
  }
  return lines;
}
