import { createServer, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { NotFoundException } from '@nestjs/common';
import { answerClientError } from './client-errors.js';

// The routes an operator's network reads, not Tencent or the app's clients: metrics, API docs,
// health and the operator's page (/ops, its assets and its own routes). With OPS_PORT they are
// served there only, and the public port answers them 404.
const OPS_SEGMENTS = new Set(['metrics', 'health', 'docs', 'docs-json', 'docs-yaml', 'ops']);
// Operations routes of the API that the operator's page calls too: with OPS_PORT, served on both
// ports (the public port keeps them, as the API contract has them there).
const SHARED_SEGMENTS = new Set(['webhook-events', 'event-relay']);

/** Which port serves a request path (query string excluded): the ops port, the public one, or both. */
export type RouteScope = 'ops' | 'public' | 'both';

export function routeScopeOf(path: string): RouteScope {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: judged as written.
  }
  // Both routers ignore the case of the path; empty segments (`//health`) are skipped so that no
  // spelling of an ops route is judged public.
  const first = decoded.split('/').find((segment) => segment.length > 0)?.toLowerCase();
  if (first === undefined) return 'public';
  if (OPS_SEGMENTS.has(first)) return 'ops';
  return SHARED_SEGMENTS.has(first) ? 'both' : 'public';
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
    const scope = routeScopeOf(path);
    if (scope === 'both' || (scope === 'ops') === this.opsSockets.has(socket)) return undefined;
    return new NotFoundException(`Cannot ${method} ${path}`);
  }
}
