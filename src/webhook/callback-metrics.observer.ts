import type { AnswerObserver } from '../http/http-platform.js';
import { requestNotesOf } from '../http/request-notes.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { CallbackRegistry } from './commands/callback-registry.js';

const OUTCOME_BY_STATUS: Record<number, string> = { 400: 'malformed', 401: 'unauthorized', 403: 'forbidden', 413: 'too_large', 503: 'unavailable' };

/** Times every answered webhook request from its first byte to its answer and counts it by command and outcome. */
export function callbackMetricsObserver(metrics: MetricsService, registry: CallbackRegistry): AnswerObserver {
  /** Only known commands become label values: anyone can put anything in the query string. */
  const commandLabel = (command: unknown): string => {
    if (typeof command !== 'string') return 'none';
    return registry.find(command) || registry.findBefore(command) ? command : 'other';
  };
  return (answered) => {
    if (!answered.isWebhook || answered.aborted) return;
    const status = answered.statusCode;
    const outcome = requestNotesOf(answered.request)?.outcome ?? OUTCOME_BY_STATUS[status] ?? (status >= 500 ? 'error' : status < 300 ? 'accepted' : 'refused');
    metrics.observeCallback(commandLabel(answered.query.CallbackCommand), outcome, answered.elapsedMs / 1000);
  };
}
