import { BadRequestException, Injectable, Logger, NotFoundException, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { describeError } from '../common/describe-error.js';
import { CallbackMetadata } from '../events/callback-metadata.js';
import { DomainEventEmitter } from '../events/domain-event-emitter.js';
import { domainEventHandlersOf } from '../events/on-domain-event.decorator.js';
import { WebhookReceivedEvent } from '../events/webhook-received.event.js';
import { CallbackDecoder } from '../webhook/callback-decoder.js';
import { InboxRetentionHolds } from '../webhook/inbox/inbox-retention-holds.js';
import { bodyAsReceived, type InboxRow } from '../webhook/inbox/inbox.schema.js';
import { RegisteredProjection, type ProjectionDefinition } from './projection.js';
import { ProjectionRebuildRepository, type RebuildProgress } from './projection-rebuild.repository.js';
import type { ProjectionRebuildRow } from './projection-rebuilds.schema.js';

export const ALL_FAMILIES = 'all';

/** A running rebuild whose heartbeat is older than this was left by a stopped instance. */
const LEASE_SECONDS = 60;
const PAGE_SIZE = 500;
const PERSIST_EVERY_MS = 1000;
/**
 * Callbacks fed at once, started in inbox order: enough for the repositories' WriteBatchers to
 * group their writes (one statement for many callbacks) instead of a round trip per callback.
 */
export const DEFAULT_FEED_WINDOW = 64;
/** After each chunk, a pause of this share of its duration: live callbacks get a third of the time at least. */
const LIVE_TRAFFIC_PAUSE = 0.5;

export interface RebuildRequestOptions {
  readonly family: string;
  readonly withListeners?: boolean;
  /** Callbacks in flight at once (1: strictly one after the other). */
  readonly feedWindow?: number;
  /** Called about every `progressEveryMs` with the counts so far (the CLI's bar). */
  readonly onProgress?: (progress: LiveProgress) => void;
  readonly progressEveryMs?: number;
}

export interface LiveProgress {
  readonly total: number;
  readonly processed: number;
  readonly failed: number;
  readonly ratePerSecond: number;
}

class RebuildInterrupted extends Error {}

interface RunningRebuild {
  readonly id: number;
  stopping: boolean;
  /** The last inbox id read: the rows after it are still to be fed. */
  cursorInboxId: number;
  done?: Promise<ProjectionRebuildRow>;
}

/**
 * Recomputes a family's projection tables from the stored callbacks: empties them, then feeds every
 * stored callback of the family, in inbox order, to the family's own listener (every listener with
 * `withListeners`). It runs beside live traffic: see docs/operations.md, "Rebuilding a projection".
 */
@Injectable()
export class ProjectionRebuildService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionRebuildService.name);
  private readonly running = new Map<number, RunningRebuild>();
  private registered: ProjectionDefinition[] | undefined;
  private readonly releaseRetentionHold: () => void;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
    private readonly repository: ProjectionRebuildRepository,
    private readonly decoder: CallbackDecoder,
    private readonly events: DomainEventEmitter,
    retentionHolds: InboxRetentionHolds,
  ) {
    // Retention never deletes a callback a rebuild has still to feed, whichever process runs it.
    this.releaseRetentionHold = retentionHolds.hold('projection-rebuild', async () => {
      const here = this.lowestNeededInboxId();
      const anywhere = await this.repository.lowestNeededInboxId(LEASE_SECONDS);
      return here === undefined ? anywhere : Math.min(here, anywhere ?? here);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const failed = await this.repository.failAbandoned(LEASE_SECONDS);
    if (failed > 0) this.logger.warn(`${failed} rebuild(s) left running by a stopped instance marked failed`);
  }

  /** Stops between pages; the rebuild is then marked failed ("interrupted"), never left running. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const rebuild of this.running.values()) rebuild.stopping = true;
    await Promise.allSettled([...this.running.values()].flatMap((rebuild) => (rebuild.done ? [rebuild.done] : [])));
    this.releaseRetentionHold();
  }

  /** The families whose projection can be rebuilt, in registration order. */
  familyNames(): string[] {
    return this.projections().map((projection) => projection.family.name);
  }

  /** Starts a rebuild in the background of this instance: the answer is the row as it starts. */
  async start(options: RebuildRequestOptions): Promise<ProjectionRebuildRow> {
    const { row, run } = await this.begin(options);
    run().catch((error: unknown) => this.logger.error(`Rebuild ${row.id}: ${describeError(error)}`));
    return row;
  }

  /** Runs a rebuild to its end (the CLI): the final row. */
  async run(options: RebuildRequestOptions): Promise<ProjectionRebuildRow> {
    const { run } = await this.begin(options);
    return run();
  }

  async find(id: number): Promise<ProjectionRebuildRow> {
    const row = await this.repository.find(id);
    if (!row) throw new NotFoundException(`no rebuild ${id}`);
    return row;
  }

  async list(limit: number): Promise<ProjectionRebuildRow[]> {
    return this.repository.listNewestFirst(limit);
  }

  /**
   * The lowest inbox id a rebuild running here still has to read (undefined: none runs): for the
   * retention's hold, so that it never deletes a callback before the rebuild has fed it.
   */
  lowestNeededInboxId(): number | undefined {
    const cursors = [...this.running.values()].map((rebuild) => rebuild.cursorInboxId + 1);
    return cursors.length === 0 ? undefined : Math.min(...cursors);
  }

  private async begin(options: RebuildRequestOptions): Promise<{ row: ProjectionRebuildRow; run: () => Promise<ProjectionRebuildRow> }> {
    const projections = this.select(options.family);
    const families = projections.map((projection) => projection.family.name);
    const row = await this.repository.begin(options.family, families, options.withListeners ?? false, LEASE_SECONDS);
    const rebuild: RunningRebuild = { id: row.id, stopping: false, cursorInboxId: 0 };
    this.running.set(row.id, rebuild);
    const run = (): Promise<ProjectionRebuildRow> =>
      (rebuild.done ??= this.execute(rebuild, projections, options).finally(() => this.running.delete(row.id)));
    return { row, run };
  }

  private select(family: string): ProjectionDefinition[] {
    const projections = this.projections();
    if (family === ALL_FAMILIES) return projections;
    const chosen = projections.find((projection) => projection.family.name === family);
    if (!chosen) throw new BadRequestException(`family must be one of ${[...this.familyNames(), ALL_FAMILIES].join(', ')}`);
    return [chosen];
  }

  private projections(): ProjectionDefinition[] {
    return (this.registered ??= this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is RegisteredProjection => instance instanceof RegisteredProjection)
      .map((registered) => registered.projection));
  }

  private async execute(rebuild: RunningRebuild, projections: ProjectionDefinition[], options: RebuildRequestOptions): Promise<ProjectionRebuildRow> {
    const started = performance.now();
    const window = Math.max(1, options.feedWindow ?? DEFAULT_FEED_WINDOW);
    const withListeners = options.withListeners ?? false;
    let total = 0;
    let processed = 0;
    let failed = 0;
    let lastError: string | null = null;
    const progress = (): RebuildProgress & LiveProgress => {
      const seconds = (performance.now() - started) / 1000;
      return { total, processed, failed, lastError, cursorInboxId: rebuild.cursorInboxId, ratePerSecond: seconds > 0 ? (processed + failed) / seconds : 0 };
    };
    const persist = (): void => {
      this.repository.recordProgress(rebuild.id, progress()).catch((error: unknown) => this.logger.warn(`Rebuild ${rebuild.id}: progress not recorded: ${describeError(error)}`));
    };
    const timers = [setInterval(persist, PERSIST_EVERY_MS)];
    if (options.onProgress) timers.push(setInterval(() => options.onProgress?.(progress()), options.progressEveryMs ?? 250));
    for (const timer of timers) timer.unref();

    const feedOne = async (row: InboxRow, listener: object): Promise<void> => {
      try {
        await this.feed(row, listener, withListeners);
        processed++;
      } catch (error) {
        failed++;
        lastError = `inbox ${row.id} (${row.command}): ${describeError(error)}`;
      }
    };

    const families = projections.map((projection) => projection.family.name).join(', ');
    try {
      const listenerOf = new Map<string, object>();
      for (const projection of projections) {
        const listener = this.moduleRef.get(projection.listener, { strict: false });
        for (const definition of projection.family.commands) listenerOf.set(definition.command, listener);
      }
      const commands = [...listenerOf.keys()];
      const highWater = await this.repository.emptyTables(projections.flatMap((projection) => projection.tables));
      total = await this.repository.countToFeed(commands, highWater);
      await this.repository.recordStart(rebuild.id, highWater, total);
      this.logger.log(`Rebuild ${rebuild.id} of ${families}: tables emptied, feeding ${total} stored callbacks up to inbox ${highWater}`);
      for (;;) {
        if (rebuild.stopping) throw new RebuildInterrupted('interrupted: the service stopped during the rebuild; run it again');
        const page = await this.repository.pageToFeed(commands, rebuild.cursorInboxId, highWater, PAGE_SIZE);
        if (page.length === 0) break;
        // A chunk at a time, then a pause for live callbacks: on PGlite every query runs on this
        // thread, and a rebuild that always had one queued would keep them from being read at all.
        for (let at = 0; at < page.length; at += window) {
          const chunkStarted = performance.now();
          await Promise.all(page.slice(at, at + window).map((row) => feedOne(row, listenerOf.get(row.command)!)));
          await new Promise((resolve) => setTimeout(resolve, (performance.now() - chunkStarted) * LIVE_TRAFFIC_PAUSE));
        }
        rebuild.cursorInboxId = page[page.length - 1]!.id;
      }
      const final = progress();
      await this.repository.finish(rebuild.id, 'done', final);
      this.logger.log(`Rebuild ${rebuild.id} of ${families} done: ${final.processed} fed, ${final.failed} failed, ${Math.round(final.ratePerSecond)}/s`);
    } catch (error) {
      lastError = error instanceof RebuildInterrupted ? error.message : `rebuild stopped: ${describeError(error)}`;
      this.logger.error(`Rebuild ${rebuild.id} of ${families} failed: ${lastError}`);
      await this.repository.finish(rebuild.id, 'failed', progress()).catch((recordError: unknown) => {
        // The row stays running until its lease passes; the next start or rebuild fails it then.
        this.logger.error(`Rebuild ${rebuild.id}: could not record its failure: ${describeError(recordError)}`);
      });
    } finally {
      for (const timer of timers) clearInterval(timer);
      options.onProgress?.(progress());
    }
    return this.find(rebuild.id);
  }

  /** One stored callback to the listener(s), as its live dispatch did, without touching its inbox row. */
  private async feed(row: InboxRow, listener: object, withListeners: boolean): Promise<void> {
    const payload = this.decoder.parse(bodyAsReceived(row));
    const decoded = await this.decoder.decode(row.command, payload);
    if (decoded.kind !== 'modelled') throw new Error(`the stored callback no longer decodes: ${decoded.kind === 'invalid' ? decoded.reason : decoded.kind}`);
    const metadata = new CallbackMetadata(row.id, row.command, row.sdkAppId, row.clientIp, row.optPlatform, row.receivedAt, row.attempts + 1);
    const event = decoded.definition.toEvent(decoded.dto, payload, metadata);
    if (withListeners) {
      await this.events.emit('webhook.received', new WebhookReceivedEvent(metadata, payload));
      await this.events.emitEvent(event);
      return;
    }
    for (const handle of domainEventHandlersOf(listener, event.name)) await handle(event.payload);
  }
}
