import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { describeError } from '../common/describe-error.js';
import { AppConfig, type EventRelayConfig } from '../config/app-config.js';
import { HealthContributions } from '../health/health-contributions.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { InboxRetentionHolds } from '../webhook/inbox/inbox-retention-holds.js';
import { JetStreamPublisher } from './jetstream-publisher.js';
import { RelayRepository, type NewRelayFailure, type RelayCursor } from './relay.repository.js';
import { RelayedEvents, type RelayMessage } from './relayed-events.js';
import { WakeableSleep } from '../common/wakeable-sleep.js';

/** Inbox rows read (and events published) per round; a full round starts the next at once. */
export const RELAY_BATCH_ROWS = 500;
/** How long the relay's lease lasts without renewal; a crashed leader is replaced after this. */
export const RELAY_LEASE_SECONDS = 10;
const RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

export interface EventRelayStatus {
  enabled: boolean;
  stream: string | null;
  subjectPrefix: string | null;
  connected: boolean;
  /** This instance holds the lease and publishes (the others stand by). */
  leader: boolean;
  lastError: string | null;
  lastPublishedAt: string | null;
}

/**
 * The relay from the inbox to NATS JetStream (EVENT_RELAY_URL). One instance per database holds
 * the lease and publishes; it reads processed callbacks after its cursor in processing order,
 * rebuilds their domain events, publishes them in that order with their stable ids as
 * Nats-Msg-Id, waits for JetStream's acknowledgements, and only then moves the cursor. A crash
 * between the two re-publishes, and the stream's duplicate window drops the copies.
 */
@Injectable()
export class EventRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventRelay');
  private readonly config: EventRelayConfig | undefined;
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private publisher: JetStreamPublisher | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly idle = new WakeableSleep();
  private cursor: RelayCursor | undefined;
  private leaseRenewAt = 0;
  private lastError: string | null = null;
  private lastPublishedAt: Date | null = null;
  private failuresInARow = 0;
  private releaseRetentionHold: (() => void) | undefined;
  private readonly published: Counter<'stream'>;
  private readonly poisoned: Counter<'stream'>;
  private readonly lag: Histogram<'stream'>;

  constructor(
    appConfig: AppConfig,
    private readonly repository: RelayRepository,
    private readonly events: RelayedEvents,
    private readonly metrics: MetricsService,
    private readonly health: HealthContributions,
    private readonly retentionHolds: InboxRetentionHolds,
  ) {
    this.config = appConfig.eventRelay;
    this.published = new Counter({ name: 'tcw_relay_events_published_total', help: 'Domain events JetStream acknowledged (stored, or dropped as a duplicate of a re-publish)', labelNames: ['stream'], registers: [metrics.registry] });
    this.poisoned = new Counter({ name: 'tcw_relay_events_failed_total', help: 'Domain events the relay could not publish and skipped (not serializable, too large): see GET /event-relay', labelNames: ['stream'], registers: [metrics.registry] });
    this.lag = new Histogram({
      name: 'tcw_relay_lag_seconds',
      help: 'From a callback\'s processing commit to JetStream\'s acknowledgement of its events',
      labelNames: ['stream'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [metrics.registry],
    });
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  onApplicationBootstrap(): void {
    const config = this.config;
    if (!config) return;
    this.publisher = new JetStreamPublisher(config);
    this.registerGauges(config);
    // Inbox retention keeps every processed callback whose events are not in the stream yet.
    this.releaseRetentionHold = this.retentionHolds.hold('event-relay', () => this.lowestUnpublishedInboxId(config));
    this.health.add(async (indicators) => {
      const check = indicators.check('eventRelay');
      const status = this.status();
      const backlog = await this.backlog().catch(() => undefined);
      const oldest = backlog?.oldestProcessedAt;
      const data = {
        connected: status.connected,
        leader: status.leader,
        stream: config.stream,
        backlog: backlog?.rows ?? null,
        // The lag: how long the oldest processed callback has waited for its events to be published.
        oldestUnpublishedSeconds: oldest ? Math.max(0, Math.round((Date.now() - oldest.getTime()) / 100) / 10) : 0,
        lastPublishedAt: status.lastPublishedAt,
        lastError: status.lastError,
      };
      // Callbacks are still taken and kept while the broker is away: degraded, not down.
      return status.connected ? check.up(data) : check.degraded(data);
    });
    this.loop = this.run(config);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.config) return;
    this.releaseRetentionHold?.();
    this.stopping = true;
    this.idle.wake();
    await this.loop;
    await this.publisher?.close();
    if (this.cursor) await this.repository.releaseLease(this.config.stream, this.holder).catch(() => undefined);
  }

  status(): EventRelayStatus {
    return {
      enabled: this.enabled,
      stream: this.config?.stream ?? null,
      subjectPrefix: this.config?.subjectPrefix ?? null,
      connected: this.publisher?.connected ?? false,
      leader: this.cursor !== undefined,
      lastError: this.lastError,
      lastPublishedAt: this.lastPublishedAt?.toISOString() ?? null,
    };
  }

  /** Processed callbacks whose events are not yet in the stream. */
  async backlog(): Promise<{ rows: number; oldestProcessedAt: Date | null }> {
    if (!this.config) return { rows: 0, oldestProcessedAt: null };
    const state = await this.repository.state(this.config.stream);
    return this.repository.backlog(state?.cursor ?? { txid: 0, id: 0 });
  }

  /** Read from the shared cursor (not this instance's): instances standing by hold the same rows. */
  private async lowestUnpublishedInboxId(config: EventRelayConfig): Promise<number | undefined> {
    const state = await this.repository.state(config.stream);
    return this.repository.lowestUnpublishedId(state?.cursor ?? { txid: 0, id: 0 });
  }

  private async run(config: EventRelayConfig): Promise<void> {
    while (!this.stopping) {
      let pause = config.pollMs;
      try {
        const full = await this.round(config);
        if (full === undefined) pause = RELAY_LEASE_SECONDS * 100; // standing by: look at the lease again soon
        else if (full) pause = 0;
        this.failuresInARow = 0;
        this.lastError = null;
      } catch (error) {
        this.failuresInARow++;
        const message = describeError(error);
        if (this.lastError !== message) this.logger.warn(`Relay round failed (will retry): ${message}`);
        this.lastError = message;
        pause = Math.min(MAX_RETRY_MS, RETRY_MS * this.failuresInARow);
      }
      if (pause > 0 && !this.stopping) await this.idle.sleep(pause);
    }
  }

  /** One batch: true when it was full (more may wait), false when idle, undefined when another instance leads. */
  private async round(config: EventRelayConfig): Promise<boolean | undefined> {
    const publisher = this.publisher!;
    await publisher.ready();
    const cursor = await this.leadership(config);
    if (!cursor) return undefined;
    const rows = await this.repository.readAfter(cursor, RELAY_BATCH_ROWS);
    if (rows.length === 0) return false;
    const messages: RelayMessage[] = [];
    const failures: NewRelayFailure[] = [];
    for (const row of rows) {
      const built = await this.events.of(row, config.subjectPrefix, publisher.maxPayload);
      messages.push(...built.messages);
      failures.push(...built.failures);
    }
    await publisher.publish(messages);
    const acknowledgedAt = Date.now();
    const last = rows.at(-1)!;
    const to = { txid: last.processedTxid!, id: last.id };
    if (!(await this.repository.advance(config.stream, this.holder, to, messages.length, failures, RELAY_LEASE_SECONDS))) {
      this.logger.warn('Another instance took the relay over; standing by');
      this.cursor = undefined;
      return undefined;
    }
    this.cursor = to;
    this.leaseRenewAt = Date.now() + (RELAY_LEASE_SECONDS * 1000) / 2;
    for (const failure of failures) this.logger.error(`Event ${failure.eventId} (${failure.eventName ?? 'every event of the callback'}) skipped: ${failure.error}`);
    this.published.inc({ stream: config.stream }, messages.length);
    if (failures.length > 0) this.poisoned.inc({ stream: config.stream }, failures.length);
    for (const message of messages) if (message.processedAt) this.lag.observe({ stream: config.stream }, Math.max(0, acknowledgedAt - message.processedAt.getTime()) / 1000);
    if (messages.length > 0) this.lastPublishedAt = new Date(acknowledgedAt);
    return rows.length === RELAY_BATCH_ROWS;
  }

  /** The cursor while this instance holds the lease (renewed at half its life); undefined otherwise. */
  private async leadership(config: EventRelayConfig): Promise<RelayCursor | undefined> {
    if (this.cursor && Date.now() < this.leaseRenewAt) return this.cursor;
    const cursor = await this.repository.holdLease(config.stream, this.holder, RELAY_LEASE_SECONDS);
    if (cursor && !this.cursor) this.logger.log(`This instance relays events to ${config.stream} (from inbox position ${cursor.txid}/${cursor.id})`);
    this.cursor = cursor;
    this.leaseRenewAt = Date.now() + (RELAY_LEASE_SECONDS * 1000) / 2;
    return cursor;
  }

  private registerGauges(config: EventRelayConfig): void {
    this.metrics.gauge('tcw_relay_connected', 'The event relay is connected to NATS (1) or not (0)', ['stream'], async (set) => {
      set({ stream: config.stream }, this.publisher?.connected ? 1 : 0);
    });
    this.metrics.gauge('tcw_relay_leader', 'This instance publishes the events (1) or stands by (0)', ['stream'], async (set) => {
      set({ stream: config.stream }, this.cursor ? 1 : 0);
    });
    this.metrics.gauge('tcw_relay_backlog_rows', 'Processed callbacks whose events are not yet in the stream', ['stream'], async (set) => {
      set({ stream: config.stream }, (await this.backlog()).rows);
    });
    this.metrics.gauge('tcw_relay_oldest_unpublished_seconds', 'Age of the oldest processed callback whose events are not yet in the stream (0: none)', ['stream'], async (set) => {
      const { oldestProcessedAt } = await this.backlog();
      set({ stream: config.stream }, oldestProcessedAt ? Math.max(0, (Date.now() - oldestProcessedAt.getTime()) / 1000) : 0);
    });
  }

}
