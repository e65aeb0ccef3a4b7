import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { describeError } from '../../common/describe-error.js';
import { AppConfig, type InboxRetentionConfig } from '../../config/app-config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { InboxRetentionHolds } from './inbox-retention-holds.js';
import { InboxRepository } from './inbox.repository.js';
import { WakeableSleep } from '../../common/wakeable-sleep.js';

/** The first pass waits this long after start (or the interval, when shorter): start-up recovery goes first. */
const FIRST_PASS_DELAY_MS = 30_000;

export interface RetentionPass {
  deleted: number;
  seconds: number;
  /** The pass ended early: the application is shutting down. */
  interrupted: boolean;
}

/**
 * INBOX_RETENTION_DAYS: deletes processed and unhandled inbox rows older than that, in batches of
 * INBOX_RETENTION_BATCH_SIZE with INBOX_RETENTION_PAUSE_MS between them, every
 * INBOX_RETENTION_INTERVAL_SECONDS (the first pass shortly after start). Never a failed, dead,
 * rejected, received or decided row, nor one at or above the lowest id a hold still needs
 * (InboxRetentionHolds: the event relay, a rebuild). Instances sharing a database may purge at the
 * same time: SKIP LOCKED gives each batch rows no other one is deleting.
 */
@Injectable()
export class InboxRetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('InboxRetention');
  private readonly settings: InboxRetentionConfig;
  private readonly deletedTotal: Counter;
  private readonly lastPassSeconds: Gauge;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<RetentionPass> | undefined;
  private stopping = false;
  private readonly pause = new WakeableSleep();

  constructor(
    config: AppConfig,
    private readonly inbox: InboxRepository,
    private readonly holds: InboxRetentionHolds,
    metrics: MetricsService,
  ) {
    this.settings = config.retention;
    this.deletedTotal = new Counter({ name: 'tcw_inbox_retention_deleted_total', help: 'Inbox rows deleted by retention (INBOX_RETENTION_DAYS)', registers: [metrics.registry] });
    this.lastPassSeconds = new Gauge({ name: 'tcw_inbox_retention_last_pass_seconds', help: 'Duration of the last complete retention pass (0: none yet)', registers: [metrics.registry] });
  }

  onApplicationBootstrap(): void {
    if (this.settings.days === undefined) return;
    this.schedule(Math.min(FIRST_PASS_DELAY_MS, this.settings.intervalSeconds * 1000));
  }

  /** Stops a pass in progress between two batches, and the timer. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.pause.wake();
    await this.current?.catch(() => undefined);
  }

  /**
   * One pass, batch after batch until a batch deletes nothing (or the application stops); waits
   * for a pass already running first. Without INBOX_RETENTION_DAYS it deletes nothing.
   */
  async purgeOnce(): Promise<RetentionPass> {
    while (this.current) await this.current.catch(() => undefined);
    this.current = this.purge();
    try {
      return await this.current;
    } finally {
      this.current = undefined;
    }
  }

  private async purge(): Promise<RetentionPass> {
    const { days, batchSize, pauseMs } = this.settings;
    if (days === undefined) return { deleted: 0, seconds: 0, interrupted: false };
    const started = performance.now();
    let deleted = 0;
    while (!this.stopping) {
      // Asked before every batch: a rebuild that starts mid-pass is respected from the next batch.
      const belowId = await this.holds.lowestNeededInboxId();
      const batch = await this.inbox.deleteExpired(days, belowId, batchSize);
      deleted += batch;
      this.deletedTotal.inc(batch);
      if (batch === 0) break;
      if (pauseMs > 0) await this.pause.sleep(pauseMs);
    }
    const seconds = (performance.now() - started) / 1000;
    const interrupted = this.stopping;
    if (!interrupted) this.lastPassSeconds.set(seconds);
    this.logger.log(
      `Retention pass${interrupted ? ' stopped by shutdown' : ''}: deleted ${deleted} processed/unhandled inbox row(s) older than ${days} day(s) in ${seconds.toFixed(1)} s` +
        (deleted > 0 && seconds > 0 ? ` (${Math.round(deleted / seconds)} rows/s)` : ''),
    );
    return { deleted, seconds, interrupted };
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.purgeOnce();
    } catch (error) {
      // The database may be away; the next pass tries again (nothing is deleted half-way: each batch is one statement).
      this.logger.warn(`Retention pass failed: ${describeError(error)}`);
    }
    this.schedule(this.settings.intervalSeconds * 1000);
  }

}
