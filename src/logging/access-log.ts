import type { Logger } from 'pino';
import type { AnswerObserver, AnsweredRequest } from '../http/http-platform.js';
import { requestNotesOf } from '../http/request-notes.js';

// Probes and scrapes would drown the log.
const QUIET_PATHS = ['/health', '/metrics'];

/** The path only: a query string may carry Sign. */
const pathOf = (url: string): string => url.split('?')[0] ?? '';

/**
 * One JSON line per answered request, with its request id (the caller's X-Request-Id when
 * well-formed, else a new UUID; echoed in the answer) and, for callbacks, the command, dedupe key
 * and outcome. An observer the platform calls, rather than pino-http and a request-scoped logger:
 * those cost 15-20% of a callback's CPU (measured with npm run bench).
 */
export function accessLogObserver(logger: Logger): AnswerObserver {
  return (answered) => {
    const path = pathOf(answered.url);
    if (QUIET_PATHS.some((quiet) => path.startsWith(quiet))) return;
    const line = lineOf(answered, path);
    // Info, not warn: a client going away is its business (anyone can do it, many times).
    if (answered.aborted) logger.info(line, 'request aborted');
    else if (answered.statusCode >= 500) logger.error(line, 'request errored');
    else logger.info(line, 'request completed');
  };
}

function lineOf(answered: AnsweredRequest, path: string): Record<string, unknown> {
  const command = answered.query.CallbackCommand;
  const notes = requestNotesOf(answered.request);
  return {
    req: { id: answered.id, method: answered.method, path },
    ...(answered.aborted ? {} : { res: { statusCode: answered.statusCode }, responseTime: Math.round(answered.elapsedMs) }),
    ...(typeof command === 'string' ? { command: command.slice(0, 128) } : {}),
    ...(notes?.dedupeKey ? { dedupeKey: notes.dedupeKey } : {}),
    ...(notes?.outcome ? { outcome: notes.outcome } : {}),
  };
}
