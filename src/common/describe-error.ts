/** An error and its cause for a log line, without Drizzle's "Failed query: ... params: ..." (it would print payloads). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const own = error.message.startsWith('Failed query:') ? 'query failed' : error.message;
  return cause instanceof Error ? `${own}: ${cause.message}` : own;
}
