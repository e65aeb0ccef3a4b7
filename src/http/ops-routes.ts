import { createServer, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { NotFoundException } from '@nestjs/common';
import { answerClientError } from './client-errors.js';

// The routes an operator's network reads, not Tencent or the app's clients: metrics, API docs and
// health. With OPS_PORT they are served there only, and the public port answers them 404.
const OPS_SEGMENTS = new Set(['metrics', 'health', 'docs', 'docs-json', 'docs-yaml']);

/** Whether a request path (query string excluded) is an ops route: /metrics, /docs*, /health*. */
export function isOpsPath(path: string): boolean {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: judged as written.
  }
  // Both routers ignore the case of the path; empty segments (`//health`) are skipped so that no
  // spelling of an ops route is judged public.
  const first = decoded.split('/').find((segment) => segment.length > 0);
  return first !== undefined && OPS_SEGMENTS.has(first.toLowerCase());
}

/**
 * The second server (OPS_PORT) and the check each request goes through on either: an ops route on
 * the public port, or any other route on the ops port, is answered as a route that does not exist.
 */
export class OpsSplit {
  private readonly opsSockets = new WeakSet<Socket>();
  readonly server: Server;

  constructor(serverOptions: ServerOptions, maxConnections: number, handler: Parameters<typeof createServer>[1]) {
    this.server = createServer(serverOptions, handler);
    this.server.maxConnections = maxConnections;
    this.server.on('clientError', answerClientError);
    this.server.on('connection', (socket: Socket) => this.opsSockets.add(socket));
  }

  /** The refusal for a request on the wrong port, in the words the router uses for a missing route; undefined when it may go on. */
  refusal(method: string, path: string, socket: Socket): NotFoundException | undefined {
    return isOpsPath(path) === this.opsSockets.has(socket) ? undefined : new NotFoundException(`Cannot ${method} ${path}`);
  }
}
