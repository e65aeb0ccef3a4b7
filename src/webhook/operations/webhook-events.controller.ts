import { BadRequestException, Controller, Get, HttpCode, Injectable, Param, Post, Query, UseGuards, type PipeTransform } from '@nestjs/common';
import { ApiTokenGuard } from '../../common/api-token.guard.js';
import { LimitPipe } from '../../common/limit.pipe.js';
import { INBOX_STATUSES, type InboxStatus } from '../inbox/inbox.schema.js';
import type { WebhookEventDetail, WebhookEventSummary } from './webhook-event.views.js';
import { WebhookEventsService } from './webhook-events.service.js';

/** Inbox ids are positive integers well inside JavaScript's safe range. */
@Injectable()
class InboxIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw new BadRequestException('id must be a positive integer of at most 15 digits');
    return Number(value);
  }
}

/** Operations: inspect the inbox and replay a stored callback. */
@Controller('webhook-events')
@UseGuards(ApiTokenGuard)
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  async list(
    @Query('status') status: string | undefined,
    @Query('command') command: string | undefined,
    @Query('cursor') cursor: string | undefined,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<{ items: WebhookEventSummary[]; nextCursor: string | null }> {
    if (status !== undefined && !(INBOX_STATUSES as readonly string[]).includes(status)) {
      throw new BadRequestException(`status must be one of ${INBOX_STATUSES.join(', ')}`);
    }
    if (command !== undefined && typeof command !== 'string') throw new BadRequestException('command must be given once');
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new BadRequestException('cursor must be the nextCursor of a previous page');
    return this.events.list({
      status: status as InboxStatus | undefined,
      command: command || undefined,
      beforeId: cursor === undefined ? undefined : Number(cursor),
      limit,
    });
  }

  @Get(':id')
  async get(@Param('id', InboxIdPipe) id: number): Promise<WebhookEventDetail> {
    return this.events.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  async replay(@Param('id', InboxIdPipe) id: number): Promise<WebhookEventDetail> {
    return this.events.replay(id);
  }
}
