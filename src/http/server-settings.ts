/** Settings both platforms share. */

import type { ServerOptions } from 'node:http';
import type { AppConfig } from '../config/app-config.js';

// Tencent keeps connections alive: outlive its idle connections rather than race them.
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// Node's default for the headers alone; never more than the whole request's REQUEST_TIMEOUT_MS.
const HEADERS_TIMEOUT_MS = 60_000;

/**
 * Node's server options for both platforms: REQUEST_TIMEOUT_MS bounds how long a request may take to
 * arrive whole (Node checks it every connectionsCheckingInterval, 30 s by default: far too coarse for
 * a timeout of seconds, so a quarter of it, at most 1 s).
 */
export function serverOptionsOf(config: AppConfig): ServerOptions {
  return {
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, config.requestTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(config.requestTimeoutMs / 4))),
  };
}

/** Routes ignore the case of the path and one trailing slash, on both platforms. */
export const samePath = (a: string, b: string): boolean => normalized(a) === normalized(b);
const normalized = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();
