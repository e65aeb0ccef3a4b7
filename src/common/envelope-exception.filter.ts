import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { isClientAbort } from '../http/http-request.js';
import { failure } from './tencent-answer.js';

/**
 * Every error answer, on every route, in Tencent's envelope; internals are logged, never sent.
 * It answers through Nest's HTTP adapter, so it works on either platform and for errors thrown
 * where the response is the platform's (a route) or Node's own (Nest middleware on Fastify).
 */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response: unknown = host.switchToHttp().getResponse();
    // A client that left mid-body: anyone could fill the error log that way; its access log line says it.
    if (isClientAbort(exception)) return;
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let info = 'internal error';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      // Nest's route-not-found message repeats the URL; its query string may hold a Sign.
      info = messageOf(exception).replace(/^(Cannot [A-Z]+ [^?]*)\?.*$/s, '$1');
    } else if (isHttpError(exception)) {
      // Errors of the HTTP layer itself (a client that aborted, a malformed URL) carry their own status.
      status = exception.status;
      info = exception.expose ? exception.message : HttpStatus[status]?.toLowerCase().replaceAll('_', ' ') ?? 'error';
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    const http = this.adapterHost.httpAdapter;
    if (http.isHeadersSent(response)) return;
    http.reply(response, failure(info), status);
  }
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function isHttpError(error: unknown): error is { status: number; message: string; expose?: boolean } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number' &&
    (error as { status: number }).status >= 400 && (error as { status: number }).status < 600
  );
}
