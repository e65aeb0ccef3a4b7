import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { CallbackDecoder } from '../callback-decoder.js';
import { CallbackDispatcher, type DispatchOutcome } from '../callback-dispatcher.js';
import { unmodelledDedupeKey } from '../commands/callback-command.js';
import { InboxRepository, isUniqueViolation, type InboxListFilter } from '../inbox/inbox.repository.js';
import { bodyAsReceived, type InboxRow } from '../inbox/inbox.schema.js';
import { toDetail, toSummary, type WebhookEventDetail, type WebhookEventSummary } from './webhook-event.views.js';

@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly dispatcher: CallbackDispatcher,
    private readonly decoder: CallbackDecoder,
    private readonly config: AppConfig,
  ) {}

  async list(filter: InboxListFilter): Promise<{ items: WebhookEventSummary[]; nextCursor: string | null }> {
    // One row more than asked tells whether another page exists.
    const rows = await this.inbox.list({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    return { items: page.map(toSummary), nextCursor: rows.length > filter.limit ? String(page.at(-1)!.id) : null };
  }

  async get(id: number): Promise<WebhookEventDetail> {
    return toDetail(await this.find(id));
  }

  /**
   * Dispatches a stored callback again. Listeners are idempotent, so replaying a processed one
   * changes nothing; a rejected one is validated again with the current DTOs first.
   */
  async replay(id: number): Promise<WebhookEventDetail> {
    await this.replayRow(await this.find(id));
    return toDetail(await this.find(id));
  }

  /**
   * The replay of one row as read (the one-row route and each row of a bulk replay): claimed under
   * a lease, a rejected one validated again first. ConflictException: a dispatch holds it now, it is
   * a "before" callback, or (rejected) the same callback is already stored; BadRequestException: a
   * rejected one is still invalid.
   */
  async replayRow(row: InboxRow): Promise<DispatchOutcome> {
    if (row.status === 'decided') throw new ConflictException(`webhook event ${row.id} is a "before" callback: it was answered when it arrived and cannot be replayed`);
    const claimed = row.status === 'rejected' ? await this.acceptRejected(row) : await this.inbox.claimForReplay(row.id, this.config.leaseSeconds);
    if (!claimed) throw new ConflictException(`webhook event ${row.id} is being dispatched right now; try again shortly`);
    return this.dispatcher.dispatchStored(claimed);
  }

  private async acceptRejected(row: InboxRow): Promise<InboxRow | undefined> {
    let decoded;
    try {
      decoded = await this.decoder.decode(row.command, this.decoder.parse(bodyAsReceived(row)));
    } catch (error) {
      throw new BadRequestException(error instanceof Error ? error.message : String(error));
    }
    if (decoded.kind === 'invalid') {
      await this.inbox.recordRejection(row.id, decoded.reason);
      throw new BadRequestException(`still invalid: ${decoded.reason}`);
    }
    if (decoded.kind === 'before') throw new ConflictException('a "before" callback cannot be replayed: it was answered when it arrived');
    const dedupeKey = decoded.kind === 'modelled' ? decoded.definition.dedupeKey(decoded.dto, row.receivedAt) : unmodelledDedupeKey(row.command, bodyAsReceived(row));
    const alreadyStored = (id: number): ConflictException => new ConflictException(`the same callback is already stored as webhook event ${id}`);
    const existing = await this.inbox.findByDedupeKey(dedupeKey);
    if (existing) throw alreadyStored(existing.id);
    try {
      return await this.inbox.acceptRejected(row.id, dedupeKey, this.config.leaseSeconds);
    } catch (error) {
      // Stored meanwhile (a redelivery, a concurrent replay): the unique dedupe key refused it.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.inbox.findByDedupeKey(dedupeKey);
      throw alreadyStored(winner?.id ?? row.id);
    }
  }

  private async find(id: number): Promise<InboxRow> {
    const row = await this.inbox.findById(id);
    if (!row) throw new NotFoundException(`no webhook event ${id}`);
    return row;
  }
}
