import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { failure } from './tencent-answer.js';

/** Every error answer, on every route, in Tencent's envelope; internals are logged, never sent. */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
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
    if (response.sent) return;
    void response.status(status).send(failure(info));
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
