import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

type Req = IncomingMessage & { id?: string; query?: Record<string, unknown> };
type Res = ServerResponse & { locals?: Record<string, unknown> };

// Probes and scrapes would drown the log.
const QUIET_PATHS = ['/health', '/metrics'];
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The path only: a query string may carry Sign. */
const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0] ?? '';

/**
 * One JSON line per answered request, with a request id (from X-Request-Id, or a new UUID, echoed
 * in the answer) and, for callbacks, the command, dedupe key and outcome. Written here rather than
 * with pino-http and nestjs-pino: their child loggers per request and the AsyncLocalStorage context
 * around every request cost 15-20% of a callback's CPU (measured with npm run bench).
 */
export function accessLog(logger: Logger): (req: Req, res: Res, next: () => void) => void {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const path = pathOf(req.url);
    if (QUIET_PATHS.some((quiet) => path.startsWith(quiet))) return next();
    const started = Date.now();
    // 'close' comes once for every response, after 'finish' or when the connection is lost first.
    res.on('close', () => {
      const line = {
        req: { id, method: req.method, path },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
        ...callbackFieldsOf(req, res),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    });
    next();
  };
}

function callbackFieldsOf(req: Req, res: Res): Record<string, unknown> {
  const command = req.query?.CallbackCommand;
  return {
    ...(typeof command === 'string' ? { command: command.slice(0, 128) } : {}),
    ...(res.locals?.dedupeKey ? { dedupeKey: res.locals.dedupeKey } : {}),
    ...(res.locals?.callbackOutcome ? { outcome: res.locals.callbackOutcome } : {}),
  };
}
