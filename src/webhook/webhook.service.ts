import { createHash } from 'node:crypto';
import { BadRequestException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CallbackDispatcher } from './callback-dispatcher.js';
import { dedupeKeyOf } from './commands/callback-command.js';
import type { ParsedCallback } from './incoming-callback.js';
import { InboxRepository } from './inbox/inbox.repository.js';
import type { InboxRow } from './inbox/inbox.schema.js';

/** Persist before ack: store the callback, then hand it to the dispatcher. */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    private readonly inbox: InboxRepository,
    private readonly dispatcher: CallbackDispatcher,
    private readonly config: AppConfig,
  ) {}

  async receive(callback: ParsedCallback): Promise<void> {
    if (callback.kind === 'invalid') {
      await this.store(() => this.inbox.insertRejected(callback, callback.reason), callback.command);
      throw new BadRequestException(callback.reason);
    }
    const dedupeKey =
      callback.kind === 'modelled'
        ? callback.definition.dedupeKey(callback.dto)
        : dedupeKeyOf(callback.command, createHash('sha256').update(callback.rawText).digest('hex'));
    const row = await this.store(() => this.inbox.insertIfNew({ ...callback, dedupeKey }, this.config.leaseSeconds), callback.command);
    if (!row) return; // a duplicate delivery: already stored, and dispatched or pending
    await this.dispatcher.dispatch({
      row,
      payload: callback.payload,
      modelled: callback.kind === 'modelled' ? { definition: callback.definition, dto: callback.dto } : undefined,
    });
  }

  private async store<T extends InboxRow | undefined>(insert: () => Promise<T>, command: string): Promise<T> {
    try {
      return await insert();
    } catch (error) {
      this.logger.error(`Could not store a ${command} callback: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableException('the callback could not be stored; it was not accepted, retry later');
    }
  }
}
