// One load phase: autocannon against a server, each request built by a traffic generator.
import autocannon from 'autocannon';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { OutgoingCallback } from './traffic.js';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is given. */
  durationS?: number;
  /** Requests in all. */
  amount?: number;
  next: () => OutgoingCallback;
  /** Called after every response with the number of responses so far. */
  onResponse?: (responses: number) => void;
}

export interface LoadResult {
  /** Average of autocannon's per-second request counts. */
  reqPerSec: number;
  /** Latency of every answer, in milliseconds (microsecond precision). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  responses: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  /** Requests built (sent or about to be sent when the phase stopped). */
  generated: number;
  statusCodes: Record<string, number>;
  /** Latency by CallbackCommand, in milliseconds. */
  byCommand: Record<string, { responses: number; p50Ms: number; p90Ms: number; p99Ms: number }>;
}

/** autocannon keeps one request context per connection; setupRequest notes the command there. */
interface ClientWithContext {
  requestIterator?: { context?: Record<string, unknown> };
}

const running = new Set<autocannon.Instance>();

/** Each result's latency histograms, so that results of several phases can be merged (mergeLoads). */
const histograms = new WeakMap<LoadResult, { all: RecordableHistogram; byCommand: Map<string, RecordableHistogram> }>();

/** Stops every load phase in progress (on ^C): their results come back at once. */
export function stopAllLoads(): void {
  for (const instance of running) instance.stop();
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencyUs = createHistogram();
  const byCommand = new Map<string, RecordableHistogram>();
  let responses = 0;
  let generated = 0;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request, context) => {
              const callback = options.next();
              generated += 1;
              context.command = callback.command;
              request.path = callback.path;
              request.body = callback.body;
              return request;
            },
          },
        ],
      },
      (error, outcome) => {
        running.delete(instance);
        if (error) fail(error);
        else done(outcome);
      },
    );
    running.add(instance);
    instance.on('response', (client, _status, _bytes, responseTime) => {
      responses += 1;
      const us = Math.max(1, Math.round(responseTime * 1000));
      latencyUs.record(us);
      // The context still holds the answered request's command: the next one is set up after this event.
      const command = (client as ClientWithContext).requestIterator?.context?.command;
      const key = typeof command === 'string' ? command : 'unknown';
      let histogram = byCommand.get(key);
      if (!histogram) byCommand.set(key, (histogram = createHistogram()));
      histogram.record(us);
      options.onResponse?.(responses);
    });
  });
  return summarize(latencyUs, byCommand, {
    reqPerSec: result.requests.average,
    responses,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    generated,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count])),
  });
}

type Counts = Omit<LoadResult, 'p50Ms' | 'p99Ms' | 'maxMs' | 'byCommand'>;

function summarize(all: RecordableHistogram, byCommand: Map<string, RecordableHistogram>, counts: Counts): LoadResult {
  const ms = (us: number): number => Math.round(us / 10) / 100;
  const load: LoadResult = {
    ...counts,
    p50Ms: ms(all.percentile(50)),
    p99Ms: ms(all.percentile(99)),
    maxMs: ms(all.max),
    byCommand: Object.fromEntries(
      [...byCommand].map(([command, h]) => [command, { responses: h.count, p50Ms: ms(h.percentile(50)), p90Ms: ms(h.percentile(90)), p99Ms: ms(h.percentile(99)) }]),
    ),
  };
  histograms.set(load, { all, byCommand });
  return load;
}

/**
 * Several phases against one server as one: counts added, req/s weighted by each phase's duration,
 * percentiles over every answer of every phase.
 */
export function mergeLoads(loads: LoadResult[]): LoadResult {
  const all = createHistogram();
  const byCommand = new Map<string, RecordableHistogram>();
  const statusCodes: Record<string, number> = {};
  for (const load of loads) {
    const h = histograms.get(load);
    if (!h) throw new Error('mergeLoads: a result not made by runLoad');
    all.add(h.all);
    for (const [command, histogram] of h.byCommand) {
      let merged = byCommand.get(command);
      if (!merged) byCommand.set(command, (merged = createHistogram()));
      merged.add(histogram);
    }
    for (const [code, n] of Object.entries(load.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  const sum = (pick: (load: LoadResult) => number): number => loads.reduce((total, load) => total + pick(load), 0);
  const durationS = sum((l) => l.durationS);
  return summarize(all, byCommand, {
    reqPerSec: durationS > 0 ? sum((l) => l.reqPerSec * l.durationS) / durationS : 0,
    responses: sum((l) => l.responses),
    ok2xx: sum((l) => l.ok2xx),
    non2xx: sum((l) => l.non2xx),
    errors: sum((l) => l.errors),
    timeouts: sum((l) => l.timeouts),
    durationS,
    generated: sum((l) => l.generated),
    statusCodes,
  });
}
