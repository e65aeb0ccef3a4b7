import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * What the service's guards and decorators read of a request through `@Req()` or
 * `switchToHttp().getRequest()`: the same on Express and Fastify.
 */
export interface HttpRequest {
  /** GET, POST, ... */
  readonly method?: string;
  /** The client's address: the socket's peer, or X-Forwarded-For's when TRUST_PROXY trusts the proxy. */
  readonly ip?: string;
  /** Parsed once per request: strings, or arrays of strings for repeated names. */
  readonly query: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  /** The webhook's body as bytes; your routes' JSON bodies parsed; other types as bytes. */
  readonly body?: unknown;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request id of the access log: the caller's X-Request-Id when it is well-formed, else a new UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** JSON media types (`application/json`, `application/*+json`): parsed for your routes. */
export const isJsonContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

// What Node and the platforms raise when the client went away before its request arrived whole.
const CLIENT_ABORT_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH']);

/** The client left mid-request: nobody to answer, and nothing wrong with the service (the access log records it). */
export function isClientAbort(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && CLIENT_ABORT_CODES.has(code)) || message === 'aborted' || message === 'request aborted';
}
