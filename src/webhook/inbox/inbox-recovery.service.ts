import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { CallbackDispatcher } from '../callback-dispatcher.js';
import { describeError } from '../../common/describe-error.js';
import { InboxRepository } from './inbox.repository.js';

const BATCH_SIZE = 50;

/**
 * Delivers to listeners what the request path could not: rows left `received` by a crash, and
 * `failed` rows once their backoff has passed. Runs at start-up, then every WEBHOOK_RETRY_POLL_MS
 * (0: start-up only). Rows are claimed with a lease and SKIP LOCKED, so several instances share
 * the work and none takes a row another is dispatching.
 */
@Injectable()
export class InboxRecoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InboxRecoveryService.name);
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly inbox: InboxRepository,
    private readonly dispatcher: CallbackDispatcher,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the server must answer Tencent while a large backlog is worked off. The run
    // has started (and idle() sees it) by the time this returns.
    void this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }

  /** Dispatches every due row, batch after batch, until none is due; returns how many it dispatched. */
  async runOnce(): Promise<number> {
    while (this.current) await this.current.catch(() => undefined);
    this.current = this.drain();
    try {
      return await this.current;
    } finally {
      this.current = undefined;
    }
  }

  /** Resolves when no run is in progress (tests wait on start-up recovery with it). */
  async idle(): Promise<void> {
    while (this.current) await this.current.catch(() => undefined);
  }

  private async drain(): Promise<number> {
    let dispatched = 0;
    while (!this.stopped) {
      const rows = await this.inbox.claimDue(BATCH_SIZE, this.config.leaseSeconds);
      if (rows.length === 0) break;
      await Promise.all(rows.map((row) => this.dispatcher.dispatchStored(row)));
      dispatched += rows.length;
    }
    if (dispatched > 0) this.logger.log(`Dispatched ${dispatched} pending callback(s) from the inbox`);
    return dispatched;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      // The database may be away; the next tick tries again.
      this.logger.warn(`Inbox recovery run failed: ${describeError(error)}`);
    }
    if (this.config.retry.pollIntervalMs > 0) this.schedule(this.config.retry.pollIntervalMs);
  }
}
