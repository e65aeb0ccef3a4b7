import { Global, Module } from '@nestjs/common';
import { pino, type Level, type Logger } from 'pino';
import { AppConfig, type LogLevelName } from '../config/app-config.js';
import { AppLogger } from './app-logger.js';
import { LOG_STREAM, PINO_LOGGER } from './logging.tokens.js';

export { LOG_STREAM, PINO_LOGGER };

const PINO_LEVELS: Record<LogLevelName, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

@Global()
@Module({
  providers: [
    { provide: LOG_STREAM, useValue: process.stdout },
    {
      provide: PINO_LOGGER,
      inject: [AppConfig, LOG_STREAM],
      useFactory: (config: AppConfig, stream: NodeJS.WritableStream): Logger => {
        const level = PINO_LEVELS[config.logLevel];
        // Pretty lines for a person at a terminal in development; JSON lines everywhere else.
        if (stream === process.stdout && process.stdout.isTTY && process.env.NODE_ENV !== 'production') {
          return pino({ level, transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } });
        }
        // Standard output written asynchronously: lines that pile up while a write is in flight go
        // out in one write instead of a system call each. Nothing waits for a fuller buffer, so a
        // quiet service's lines still appear at once; pino flushes what is left when the process
        // exits (main.ts exits through process.exit).
        return pino({ level }, stream === process.stdout ? pino.destination({ dest: 1, sync: false }) : stream);
      },
    },
    AppLogger,
  ],
  exports: [PINO_LOGGER, AppLogger],
})
export class LoggingModule {}
