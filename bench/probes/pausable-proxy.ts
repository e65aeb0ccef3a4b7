// A TCP proxy that can stop forwarding without closing anything: while paused, bytes (and a side's
// end) are held in both directions and new connections are accepted but get nothing through, as
// with a database server that hangs or a network path that silently drops. resume() forwards what
// was held, in order.
import net from 'node:net';
import { onCleanup } from './common.js';

export interface PausableProxy {
  readonly port: number;
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

interface Direction {
  from: net.Socket;
  to: net.Socket;
  held: (Buffer | 'end')[];
}

export async function startPausableProxy(targetHost: string, targetPort: number): Promise<PausableProxy> {
  let paused = false;
  let acceptedCount = 0;
  const directions = new Set<Direction>();
  const sockets = new Set<net.Socket>();

  const forward = (direction: Direction, item: Buffer | 'end'): void => {
    if (paused || direction.held.length > 0) {
      direction.held.push(item);
      return;
    }
    if (item === 'end') direction.to.end();
    else if (!direction.to.destroyed) direction.to.write(item);
  };
  const flush = (direction: Direction): void => {
    const held = direction.held.splice(0);
    for (const item of held) {
      if (item === 'end') direction.to.end();
      else if (!direction.to.destroyed) direction.to.write(item);
    }
  };

  const server = net.createServer((client) => {
    acceptedCount++;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.once('close', () => sockets.delete(socket));
      // A reset on one side resets the other (as a real path would, once it carries bytes again).
      socket.on('error', () => (socket === client ? upstream : client).destroy());
    }
    const up: Direction = { from: client, to: upstream, held: [] };
    const down: Direction = { from: upstream, to: client, held: [] };
    for (const direction of [up, down]) {
      directions.add(direction);
      direction.from.on('data', (chunk: Buffer) => forward(direction, chunk));
      direction.from.on('end', () => forward(direction, 'end'));
      direction.from.once('close', () => directions.delete(direction));
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const port = (server.address() as net.AddressInfo).port;
  const close = onCleanup(`close the proxy on port ${port}`, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  });
  return {
    port,
    get paused() {
      return paused;
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const direction of directions) flush(direction);
    },
    accepted: () => acceptedCount,
    close,
  };
}
