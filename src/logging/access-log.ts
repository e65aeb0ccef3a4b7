import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

// Probes and scrapes would drown the log.
const QUIET_PATHS = ['/health', '/metrics'];

/** The path only: a query string may carry Sign. */
const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0] ?? '';
const isQuiet = (request: FastifyRequest): boolean => QUIET_PATHS.some((quiet) => pathOf(request.url).startsWith(quiet));

/**
 * One JSON line per answered request, with its request id (from X-Request-Id, or a new UUID;
 * see createHttpAdapter) echoed in the answer and, for callbacks, the command, dedupe key and
 * outcome. Fastify hooks rather than pino-http and a request-scoped logger: those cost 15-20% of
 * a callback's CPU (measured with npm run bench).
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!isQuiet(request)) {
      const line = lineOf(request, reply);
      if (reply.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    if (!isQuiet(request)) logger.warn(lineOf(request, undefined), 'request aborted');
    done();
  });
}

function lineOf(request: FastifyRequest, reply: FastifyReply | undefined): Record<string, unknown> {
  const command = (request.query as Record<string, unknown> | undefined)?.CallbackCommand;
  const report = request.callbackReport;
  return {
    req: { id: request.id, method: request.method, path: pathOf(request.url) },
    ...(reply ? { res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) } : {}),
    ...(typeof command === 'string' ? { command: command.slice(0, 128) } : {}),
    ...(report?.dedupeKey ? { dedupeKey: report.dedupeKey } : {}),
    ...(report?.outcome ? { outcome: report.outcome } : {}),
  };
}
