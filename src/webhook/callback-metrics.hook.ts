import type { FastifyInstance } from 'fastify';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { CallbackRegistry } from './commands/callback-registry.js';
import { isWebhookRoute } from './webhook-route.js';

const OUTCOME_BY_STATUS: Record<number, string> = { 400: 'malformed', 401: 'unauthorized', 403: 'forbidden', 413: 'too_large', 503: 'unavailable' };

/** Times every webhook request from its first byte to its answer and counts it by command and outcome. */
export function registerCallbackMetrics(fastify: FastifyInstance, metrics: MetricsService, registry: CallbackRegistry): void {
  /** Only known commands become label values: anyone can put anything in the query string. */
  const commandLabel = (command: unknown): string => {
    if (typeof command !== 'string') return 'none';
    return registry.find(command) || registry.findBefore(command) ? command : 'other';
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    if (isWebhookRoute(request)) {
      const status = reply.statusCode;
      const outcome = request.callbackReport?.outcome ?? OUTCOME_BY_STATUS[status] ?? (status >= 500 ? 'error' : status < 300 ? 'accepted' : 'refused');
      metrics.observeCallback(commandLabel((request.query as Record<string, unknown>).CallbackCommand), outcome, reply.elapsedTime / 1000);
    }
    done();
  });
}
