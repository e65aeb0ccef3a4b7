import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CallbackMetadata } from '../events/callback-metadata.js';
import { DomainEventEmitter } from '../events/domain-event-emitter.js';
import { WebhookReceivedEvent } from '../events/webhook-received.event.js';
import { WebhookUnhandledEvent } from '../events/webhook-unhandled.event.js';
import { CallbackDecoder } from './callback-decoder.js';
import { describeError } from '../common/describe-error.js';
import type { CallbackCommandDefinition } from './commands/callback-command.js';
import { InboxRepository, type DispatchRow } from './inbox/inbox.repository.js';
import { bodyAsReceived, type InboxRow } from './inbox/inbox.schema.js';
import { nextRetry } from './inbox/retry-policy.js';

/** A stored callback ready for its listeners; `definition` is absent for commands not modelled. */
export interface DispatchableCallback {
  readonly row: DispatchRow;
  readonly payload: Record<string, unknown>;
  readonly modelled?: { readonly definition: CallbackCommandDefinition<object>; readonly dto: object };
}

export type DispatchOutcome = 'processed' | 'unhandled' | 'failed' | 'dead';

/**
 * Turns a stored callback into its domain events, awaits every listener and records the outcome
 * on the inbox row. Never throws: the callback is already stored, so a listener error or a lost
 * database only leaves the row to be dispatched again.
 */
@Injectable()
export class CallbackDispatcher {
  private readonly logger = new Logger(CallbackDispatcher.name);

  constructor(
    private readonly events: DomainEventEmitter,
    private readonly inbox: InboxRepository,
    private readonly config: AppConfig,
    private readonly decoder: CallbackDecoder,
    private readonly metrics: MetricsService,
  ) {}

  /** Dispatches a callback read back from the inbox (a retry, a recovery after a crash, a replay). */
  async dispatchStored(row: InboxRow): Promise<DispatchOutcome> {
    const outcome = await this.decodeAndDispatch(row);
    this.metrics.countRedispatch(row.command, outcome);
    return outcome;
  }

  private async decodeAndDispatch(row: InboxRow): Promise<DispatchOutcome> {
    let payload: Record<string, unknown>;
    try {
      payload = this.decoder.parse(bodyAsReceived(row));
      const decoded = await this.decoder.decode(row.command, payload);
      if (decoded.kind === 'invalid') throw new Error(`stored callback no longer validates: ${decoded.reason}`);
      if (decoded.kind === 'before') throw new Error('a "before" callback is decided when it arrives, never dispatched');
      return await this.dispatch({ row, payload, modelled: decoded.kind === 'modelled' ? decoded : undefined });
    } catch (error) {
      return this.fail(row, row.attempts + 1, error);
    }
  }

  async dispatch(callback: DispatchableCallback): Promise<DispatchOutcome> {
    const { row, payload, modelled } = callback;
    const attempt = row.attempts + 1;
    const metadata = new CallbackMetadata(row.id, row.command, row.sdkAppId, row.clientIp, row.optPlatform, row.receivedAt, attempt);
    let outcome: DispatchOutcome;
    try {
      await this.events.emit('webhook.received', new WebhookReceivedEvent(metadata, payload));
      if (modelled) {
        await this.events.emitEvent(modelled.definition.toEvent(modelled.dto, payload, metadata));
        outcome = 'processed';
      } else {
        await this.events.emit('webhook.unhandled', new WebhookUnhandledEvent(metadata, payload));
        outcome = 'unhandled';
      }
    } catch (error) {
      return this.fail(row, attempt, error);
    }
    await this.record(() => this.inbox.markDispatched(row.id, outcome as 'processed' | 'unhandled'), row);
    return outcome;
  }

  /** Records a failed attempt: retried after a backoff, or dead once attempts are exhausted. */
  async fail(row: DispatchRow, attempt: number, error: unknown): Promise<'failed' | 'dead'> {
    const message = errorMessage(error);
    const retry = nextRetry(attempt, this.config.retry);
    const next = retry.dead ? 'giving up (dead)' : `retry in ${Math.round(retry.delayMs / 100) / 10} s`;
    this.logger.error(
      `Listener failed for ${row.command} (inbox ${row.id}, dedupe key ${row.dedupeKey ?? '-'}, attempt ${attempt}; ${next}): ${message}`,
      error instanceof Error ? error.stack : undefined,
    );
    await this.record(() => this.inbox.markFailed(row.id, message, retry), row);
    return retry.dead ? 'dead' : 'failed';
  }

  private async record(update: () => Promise<void>, row: DispatchRow): Promise<void> {
    try {
      await update();
    } catch (error) {
      this.logger.error(`Could not record the outcome of inbox ${row.id} (${row.command}); it stays pending: ${describeError(error)}`);
    }
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
