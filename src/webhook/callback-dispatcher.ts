import { Injectable, Logger } from '@nestjs/common';
import { CallbackMetadata } from '../events/callback-metadata.js';
import { DomainEventEmitter } from '../events/domain-event-emitter.js';
import { WebhookReceivedEvent } from '../events/webhook-received.event.js';
import { WebhookUnhandledEvent } from '../events/webhook-unhandled.event.js';
import type { CallbackCommandDefinition } from './commands/callback-command.js';
import { InboxRepository } from './inbox/inbox.repository.js';
import type { InboxRow } from './inbox/inbox.schema.js';

/** A stored callback ready for its listeners; `definition` is absent for commands not modelled. */
export interface DispatchableCallback {
  readonly row: InboxRow;
  readonly payload: Record<string, unknown>;
  readonly modelled?: { readonly definition: CallbackCommandDefinition<object>; readonly dto: object };
}

export type DispatchOutcome = 'processed' | 'unhandled' | 'failed';

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
  ) {}

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
      const message = errorMessage(error);
      this.logger.error(
        `Listener failed for ${row.command} (inbox ${row.id}, dedupe key ${row.dedupeKey ?? '-'}, attempt ${attempt}): ${message}`,
        error instanceof Error ? error.stack : undefined,
      );
      await this.record(() => this.inbox.markFailed(row.id, message), row);
      return 'failed';
    }
    await this.record(() => this.inbox.markDispatched(row.id, outcome as 'processed' | 'unhandled'), row);
    return outcome;
  }

  private async record(update: () => Promise<void>, row: InboxRow): Promise<void> {
    try {
      await update();
    } catch (error) {
      this.logger.error(`Could not record the outcome of inbox ${row.id} (${row.command}); it stays pending: ${errorMessage(error)}`);
    }
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
