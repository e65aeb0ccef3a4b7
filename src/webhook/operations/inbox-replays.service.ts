import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { describeError } from '../../common/describe-error.js';
import { AppConfig } from '../../config/app-config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { InboxRepository } from '../inbox/inbox.repository.js';
import { LiveCallbacks } from '../live-callbacks.js';
import { InboxReplayRepository, type ReplayProgress } from './inbox-replay.repository.js';
import type { InboxReplayRow, StoredReplayFilter } from './inbox-replay.schema.js';
import { toReplayView, type ReplayDryRunView, type ReplayView } from './inbox-replay.views.js';
import type { ReplayFilter } from './replay-filter.dto.js';
import { WebhookEventsService } from './webhook-events.service.js';

/** Ids read per query while walking a job (the rows themselves are read one at a time). */
const PAGE_SIZE = 200;
/** Progress is written at most this often (and at the end of each page), so GET shows it within about a second. */
const PROGRESS_EVERY_MS = 1000;
/** The running instance renews its job this often, even while one slow callback is being replayed. */
const HEARTBEAT_MS = 5000;
/** A running job not renewed for this long lost its instance (crashed, killed): it is marked failed. */
export const ABANDONED_AFTER_SECONDS = 30;
/** The longest a replay step waits for a gap in live callbacks before it goes anyway. */
const LIVE_GAP_MAX_WAIT_MS = 50;

type RowOutcome = 'processed' | 'failed' | 'dead' | 'unhandled' | 'conflict' | 'invalid';

interface RunningJob {
  readonly id: number;
  cancelRequested: boolean;
  done?: Promise<void>;
}

/**
 * Bulk replays (POST /ops/replays): the stored callbacks matching a filter, up to the largest id
 * when the job starts, replayed in id order one at a time with the one-row replay's semantics
 * (WebhookEventsService.replayRow). Throttled twice so live callbacks keep the database and the
 * listeners: at most INBOX_REPLAY_RATE_PER_SECOND rows per second, and each row waits for a moment
 * when this instance handles no callback (at most LIVE_GAP_MAX_WAIT_MS, so a replay still moves
 * under steady traffic). Progress is in `inbox_replays`, readable from every instance.
 */
@Injectable()
export class InboxReplaysService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InboxReplaysService.name);
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private current: RunningJob | undefined;
  private stopping = false;

  constructor(
    private readonly inbox: InboxRepository,
    private readonly replays: InboxReplayRepository,
    private readonly webhookEvents: WebhookEventsService,
    private readonly live: LiveCallbacks,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.replays.failAbandoned(ABANDONED_AFTER_SECONDS);
    } catch (error) {
      this.logger.warn(`Could not look for interrupted bulk replays: ${describeError(error)}`);
    }
  }

  /** Stops the running job between two callbacks and marks it failed (interrupted), before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.current?.done;
  }

  async dryRun(filter: ReplayFilter): Promise<ReplayDryRunView> {
    const counts = await this.inbox.countSelected(filter);
    const byStatus: Record<string, number> = {};
    const byCommand: Record<string, number> = {};
    let matched = 0;
    for (const { status, command, count } of counts) {
      byStatus[status] = (byStatus[status] ?? 0) + count;
      byCommand[command] = (byCommand[command] ?? 0) + count;
      matched += count;
    }
    return { dryRun: true, matched, byStatus, byCommand };
  }

  async start(filter: ReplayFilter): Promise<ReplayView> {
    if (this.stopping) throw new ServiceUnavailableException('the service is stopping: start the replay on another instance or after the restart');
    await this.replays.failAbandoned(ABANDONED_AFTER_SECONDS);
    // Rows stored after this point are not part of the job: live traffic is dispatched as it comes.
    const uptoId = await this.inbox.lastId();
    const total = (await this.inbox.countSelected(filter, uptoId)).reduce((sum, c) => sum + c.count, 0);
    const job = await this.replays.start({ filter: storedFilter(filter), uptoId, total, holder: this.holder });
    if (!job) {
      const running = await this.replays.running();
      throw new ConflictException(`bulk replay ${running?.id ?? '?'} is running: one at a time; wait for it or cancel it (POST /ops/replays/${running?.id ?? ':id'}/cancel)`);
    }
    const running: RunningJob = { id: job.id, cancelRequested: false };
    this.current = running;
    running.done = this.run(job, filter, running).finally(() => {
      if (this.current === running) this.current = undefined;
    });
    return toReplayView(job);
  }

  async list(limit: number): Promise<{ items: ReplayView[] }> {
    await this.replays.failAbandoned(ABANDONED_AFTER_SECONDS);
    return { items: (await this.replays.list(limit)).map(toReplayView) };
  }

  async get(id: number): Promise<ReplayView> {
    await this.replays.failAbandoned(ABANDONED_AFTER_SECONDS);
    return toReplayView(await this.find(id));
  }

  /** Stops a running replay after its current callback; what it replayed stays replayed. */
  async cancel(id: number): Promise<ReplayView> {
    await this.replays.failAbandoned(ABANDONED_AFTER_SECONDS);
    const row = await this.replays.requestCancel(id);
    if (!row) throw new NotFoundException(`no bulk replay ${id}`);
    if (row.state !== 'running') throw new ConflictException(`bulk replay ${id} is ${row.state}: nothing to cancel`);
    if (this.current?.id === id) this.current.cancelRequested = true;
    return toReplayView(row);
  }

  private async find(id: number): Promise<InboxReplayRow> {
    const row = await this.replays.findById(id);
    if (!row) throw new NotFoundException(`no bulk replay ${id}`);
    return row;
  }

  private async run(job: InboxReplayRow, filter: ReplayFilter, running: RunningJob): Promise<void> {
    const pace = new Pace(this.config.inboxReplayRatePerSecond);
    let progress = emptyProgress(job.cursorId);
    let savedAt = performance.now();
    let fenced = false;
    const save = async (): Promise<void> => {
      const saved = progress;
      progress = emptyProgress(saved.cursorId);
      savedAt = performance.now();
      const state = await this.replays.saveProgress(job.id, this.holder, saved);
      fenced ||= !state.running;
      running.cancelRequested ||= state.cancelRequested;
    };
    const heartbeat = setInterval(() => {
      this.replays.saveProgress(job.id, this.holder, emptyProgress(progress.cursorId)).then(
        (state) => (running.cancelRequested ||= state.cancelRequested),
        () => undefined,
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const stopReason = (): string | undefined => {
      if (this.stopping) return 'interrupted: the service stopped; start a new replay for what is left';
      if (running.cancelRequested) return 'cancelled';
      return fenced ? 'fenced' : undefined;
    };
    try {
      walk: for (;;) {
        const ids = await this.inbox.nextSelectedIds(filter, progress.cursorId, job.uptoId, PAGE_SIZE);
        if (ids.length === 0) break;
        for (const id of ids) {
          if (stopReason()) break walk;
          await pace.turn(this.live);
          const outcome = await this.replayOne(id, filter);
          this.metrics.countBulkReplay(outcome ?? 'skipped');
          if (outcome) progress[outcome] += 1;
          progress.cursorId = id;
          if (performance.now() - savedAt >= PROGRESS_EVERY_MS) await save();
        }
        await save();
      }
      await save();
      const reason = stopReason();
      if (reason === 'fenced') this.logger.warn(`Bulk replay ${job.id} was marked failed by another instance (no heartbeat in ${ABANDONED_AFTER_SECONDS} s); stopped`);
      else if (reason === 'cancelled') await this.replays.finish(job.id, this.holder, 'cancelled');
      else if (reason) await this.replays.finish(job.id, this.holder, 'failed', reason);
      else await this.replays.finish(job.id, this.holder, 'done');
    } catch (error) {
      this.logger.error(`Bulk replay ${job.id} failed: ${describeError(error)}`);
      await save().catch(() => undefined);
      await this.replays.finish(job.id, this.holder, 'failed', describeError(error)).catch((e: unknown) => {
        this.logger.error(`Could not mark bulk replay ${job.id} failed (another instance will, after ${ABANDONED_AFTER_SECONDS} s): ${describeError(e)}`);
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** One row, read now: undefined when it left the filter meanwhile (or is gone), else what its replay gave. */
  private async replayOne(id: number, filter: ReplayFilter): Promise<RowOutcome | undefined> {
    const row = await this.inbox.findById(id);
    if (!row || !(filter.statuses as readonly string[]).includes(row.status)) return undefined;
    try {
      return await this.webhookEvents.replayRow(row);
    } catch (error) {
      if (error instanceof ConflictException) return 'conflict';
      if (error instanceof BadRequestException) return 'invalid';
      throw error;
    }
  }
}

/** At most `ratePerSecond` turns a second, each after a gap in live callbacks; no bursts to catch up after a wait. */
class Pace {
  private next = performance.now();
  private readonly intervalMs: number;

  constructor(ratePerSecond: number) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  async turn(live: LiveCallbacks): Promise<void> {
    const wait = this.next - performance.now();
    if (wait >= 1) await delay(wait);
    await live.quiet(LIVE_GAP_MAX_WAIT_MS);
    this.next = Math.max(this.next, performance.now()) + this.intervalMs;
  }
}

function emptyProgress(cursorId: number): ReplayProgress {
  return { cursorId, processed: 0, failed: 0, dead: 0, unhandled: 0, conflict: 0, invalid: 0 };
}

function storedFilter(filter: ReplayFilter): StoredReplayFilter {
  return {
    status: [...filter.statuses],
    command: filter.command ?? null,
    receivedFrom: filter.receivedFrom?.toISOString() ?? null,
    receivedTo: filter.receivedTo?.toISOString() ?? null,
  };
}
