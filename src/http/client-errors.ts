import type { Socket } from 'node:net';
import { failure } from '../common/tencent-answer.js';

/**
 * What Node's HTTP parser refuses before any route runs (malformed framing: a bad chunk size, both
 * Content-Length and Transfer-Encoding, two Content-Lengths; a request past REQUEST_TIMEOUT_MS) is
 * answered in the envelope too, then the connection is closed: after a framing error nothing else
 * on it can be trusted. Installed as the server's clientError listener on both platforms.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const [status, reason, info] = classify(error.code);
  // Nothing can be written once the socket is gone or an answer has begun on it.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || answering?.headersSent || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(failure(info));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.destroySoon();
}

function classify(code: string | undefined): [number, string, string] {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', 'the request did not arrive whole within REQUEST_TIMEOUT_MS'];
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large', 'the request headers are too large'];
  return [400, 'Bad Request', `malformed HTTP request${code ? ` (${code})` : ''}`];
}
