import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus' text exposition format, which a Registry of its own renders by default. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

/**
 * The service's Prometheus metrics, in a registry of its own (several apps in one process, as in
 * tests, do not collide). Names are prefixed `tcw_`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly callbacks = new Counter({
    name: 'tcw_callbacks_total',
    help: 'Callbacks answered, by command and outcome (processed, failed, duplicate, unhandled, decided, rejected, dispatching (answered after LISTENER_BUDGET_MS, listeners still running), unauthorized, forbidden, malformed, too_large, unavailable, error)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly callbackSeconds = new Histogram({
    name: 'tcw_callback_duration_seconds',
    help: 'End-to-end handling time of a callback, from its first byte to its answer',
    labelNames: ['command'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly dispatchSeconds = new Histogram({
    name: 'tcw_dispatch_duration_seconds',
    help: 'Time for all listeners of one domain event, by event and result',
    labelNames: ['event', 'result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly redispatches = new Counter({
    name: 'tcw_redispatches_total',
    help: 'Stored callbacks dispatched again (retries after a failure, recovery after a crash, replays), by command and result',
    labelNames: ['command', 'result'] as const,
    registers: [this.registry],
  });
  private readonly bulkReplayRows = new Counter({
    name: 'tcw_bulk_replay_rows_total',
    help: 'Stored callbacks a bulk replay (POST /ops/replays) reached, by outcome (processed, unhandled, failed, dead, conflict, invalid; skipped: it left the filter before its turn)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly decisionSeconds = new Histogram({
    name: 'tcw_before_decision_duration_seconds',
    help: 'Time to decide a "before" callback, by command and outcome',
    labelNames: ['command', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly decisionFailures = new Counter({
    name: 'tcw_before_decision_failures_total',
    help: 'Decisions taken by the failure rule (a handler threw or ran out of time): mode open (allowed) or closed (blocked)',
    labelNames: ['command', 'mode'] as const,
    registers: [this.registry],
  });

  /** Node.js process metrics (memory, CPU, event loop lag); the server turns them on, tests do not. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'tcw_process_' });
  }

  observeCallback(command: string, outcome: string, seconds: number): void {
    this.callbacks.inc({ command, outcome });
    this.callbackSeconds.observe({ command }, seconds);
  }

  observeDispatch(event: string, result: 'ok' | 'error', seconds: number): void {
    this.dispatchSeconds.observe({ event, result }, seconds);
  }

  countRedispatch(command: string, result: string): void {
    this.redispatches.inc({ command, result });
  }

  countBulkReplay(outcome: string): void {
    this.bulkReplayRows.inc({ outcome });
  }

  observeDecision(command: string, outcome: string, failure: 'open' | 'closed' | null, seconds: number): void {
    this.decisionSeconds.observe({ command, outcome }, seconds);
    if (failure) this.decisionFailures.inc({ command, mode: failure });
  }

  /** A gauge whose value is read when Prometheus scrapes (for example inbox rows by status). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: (set: (labels: Record<L, string>, value: number) => void) => Promise<void>): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels, value));
      },
    });
  }

  /** The scrape, in METRICS_CONTENT_TYPE. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
