import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, type Level } from 'pino';
import { AppConfig, type LogLevelName } from '../config/app-config.js';

/** Where JSON log lines go; tests replace it to read them. */
export const LOG_STREAM = Symbol('LOG_STREAM');

const PINO_LEVELS: Record<LogLevelName, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
const QUIET_PATHS = ['/health', '/metrics'];

type Req = IncomingMessage & { id?: unknown; query?: Record<string, unknown> };
type Res = ServerResponse & { locals?: Record<string, unknown> };

/** The path only: a query string may carry Sign. */
const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0] ?? '';

function callbackFieldsOf(req: Req, res: Res): Record<string, unknown> {
  const command = req.query?.CallbackCommand;
  return {
    ...(typeof command === 'string' ? { command: command.slice(0, 128) } : {}),
    ...(res.locals?.dedupeKey ? { dedupeKey: res.locals.dedupeKey } : {}),
    ...(res.locals?.callbackOutcome ? { outcome: res.locals.callbackOutcome } : {}),
  };
}

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_STREAM, useValue: process.stdout }],
      inject: [AppConfig, LOG_STREAM],
      useFactory: (config: AppConfig, stream: NodeJS.WritableStream) => {
        // Pretty lines for a person at a terminal in development; JSON lines everywhere else.
        const pretty = stream === process.stdout && process.stdout.isTTY && process.env.NODE_ENV !== 'production';
        // Standard output written asynchronously: lines that pile up while a write is in flight go
        // out in one write instead of a system call each (a measurable share of a callback's CPU).
        // Nothing waits for a fuller buffer, so a quiet service's lines still appear at once; pino
        // flushes what is left when the process exits (main.ts exits through process.exit).
        const destination = stream === process.stdout && !pretty ? pino.destination({ dest: 1, sync: false }) : stream;
        return {
          pinoHttp: [
            {
              level: PINO_LEVELS[config.logLevel],
              transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
              genReqId: (req: Req, res: Res) => {
                const given = req.headers['x-request-id'];
                const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
                res.setHeader('X-Request-Id', id);
                return id;
              },
              autoLogging: { ignore: (req: Req) => QUIET_PATHS.some((p) => pathOf(req.url).startsWith(p)) },
              serializers: {
                req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
                res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
              },
              // The answer's line gets the callback's fields. Not customProps: pino-http calls it
              // at the start and at the end of every request and makes a child logger each time,
              // which profiling showed to be a large share of a callback's cost.
              customSuccessObject: (req: Req, res: Res, line: Record<string, unknown>) => ({ ...line, ...callbackFieldsOf(req, res) }),
              customErrorObject: (req: Req, res: Res, _error: unknown, line: Record<string, unknown>) => ({ ...line, ...callbackFieldsOf(req, res) }),
              redact: { paths: ['req.headers.authorization', 'req.query.Sign'], censor: '[redacted]' },
            },
            destination,
          ],
        };
      },
    }),
  ],
})
export class LoggingModule {}
