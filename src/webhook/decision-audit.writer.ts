import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { describeError } from '../common/describe-error.js';
import type { DecisionRecord } from '../decisions/decision.service.js';
import { CallbackMetadata } from '../events/callback-metadata.js';
import { DomainEventEmitter } from '../events/domain-event-emitter.js';
import { WebhookReceivedEvent } from '../events/webhook-received.event.js';
import type { ParsedCallback } from './incoming-callback.js';
import { InboxRepository } from './inbox/inbox.repository.js';

type DecidedCallback = Extract<ParsedCallback, { kind: 'before' }>;
interface PendingAudit {
  callback: DecidedCallback;
  record: DecisionRecord;
}

const BATCH_SIZE = 200;
/** Past this, the oldest audits are dropped (and logged): memory stays bounded while the database is away. */
const MAX_QUEUED = 20_000;

/**
 * Keeps decided "before" callbacks in the inbox off the answer path: they are queued and written
 * in multi-row inserts, one batch at a time, so a burst of decisions costs a few statements
 * instead of one pool connection each.
 */
@Injectable()
export class DecisionAuditWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DecisionAuditWriter.name);
  private readonly queue: PendingAudit[] = [];
  private flushing: Promise<void> | undefined;
  private dropped = 0;

  constructor(
    private readonly inbox: InboxRepository,
    private readonly events: DomainEventEmitter,
  ) {}

  record(callback: DecidedCallback, record: DecisionRecord): void {
    this.queue.push({ callback, record });
    if (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      if (this.dropped++ % 1000 === 0) this.logger.error(`Decision audit queue full: ${this.dropped} audit record(s) dropped so far`);
    }
    this.flushing ??= this.flush();
  }

  /** Resolves once everything queued so far is written (or has failed and been logged). */
  async written(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.written();
  }

  private async flush(): Promise<void> {
    // Let the decisions of the current burst join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH_SIZE);
        try {
          const rows = await this.inbox.insertDecided(batch.map(({ callback, record }) => ({ entry: callback, decision: { ...record } })));
          await Promise.all(rows.map((row, i) => this.announce(row.id, batch[i]!.callback)));
        } catch (error) {
          this.logger.error(`Could not record ${batch.length} decided callback(s): ${describeError(error)}`);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** webhook.received for a decided callback, once it has its inbox id. */
  private async announce(inboxId: number, callback: DecidedCallback): Promise<void> {
    const { source } = callback;
    const metadata = new CallbackMetadata(inboxId, callback.command, source.sdkAppId, source.clientIp, source.optPlatform, source.receivedAt, 1);
    try {
      await this.events.emit('webhook.received', new WebhookReceivedEvent(metadata, callback.payload));
    } catch (error) {
      this.logger.error(`webhook.received listener failed for ${callback.command} (inbox ${inboxId}): ${describeError(error)}`);
    }
  }
}
