import { BadRequestException, Controller, Get, HttpCode, Injectable, Param, Post, Query, UseGuards, type PipeTransform } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, ApiTokenGuard } from '../../common/api-token.guard.js';
import { LimitPipe } from '../../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth, ErrorEnvelope } from '../../common/openapi.js';
import { INBOX_STATUSES, type InboxStatus } from '../inbox/inbox.schema.js';
import { WebhookEventDetail, WebhookEventListView } from './webhook-event.views.js';
import { WebhookEventsService } from './webhook-events.service.js';

/** Inbox ids are positive integers well inside JavaScript's safe range. */
@Injectable()
class InboxIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw new BadRequestException('id must be a positive integer of at most 15 digits');
    return Number(value);
  }
}

const idParam = ApiParam({ name: 'id', description: 'Inbox id.', schema: { type: 'integer', minimum: 1 } });
const unknownId = ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No webhook event with this id.' });

/** Operations: inspect the inbox and replay a stored callback. */
@ApiTags('webhook-events')
@ApiTokenAuth()
@Controller('webhook-events')
// The operator's page (/ops) calls it with the browser's Basic credentials.
@AcceptsBasicAuth()
@UseGuards(ApiTokenGuard)
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  @ApiOperation({ summary: 'Stored callbacks, newest first, a page at a time' })
  @ApiQuery({ name: 'status', required: false, enum: INBOX_STATUSES, enumName: 'InboxStatus', description: 'Only callbacks in this status.' })
  @ApiQuery({ name: 'command', required: false, type: String, description: 'Only callbacks of this CallbackCommand.', example: 'C2C.CallbackAfterSendMsg' })
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'The nextCursor of the previous page.', example: '41' })
  @ApiLimitQuery()
  @ApiOkResponse({ type: WebhookEventListView })
  async list(
    @Query('status') status: string | undefined,
    @Query('command') command: string | undefined,
    @Query('cursor') cursor: string | undefined,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<WebhookEventListView> {
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
  @ApiOperation({ summary: 'One stored callback, with its body and query (never Sign)' })
  @idParam
  @ApiOkResponse({ type: WebhookEventDetail })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'The id is not a positive integer.' })
  @unknownId
  async get(@Param('id', InboxIdPipe) id: number): Promise<WebhookEventDetail> {
    return this.events.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dispatch a stored callback again',
    description:
      'Replaying a processed callback changes no state (listeners are idempotent). A rejected one is validated again with the current DTOs: ' +
      'once valid it becomes an ordinary callback and is processed.',
  })
  @idParam
  @ApiOkResponse({ type: WebhookEventDetail, description: 'The row after the dispatch.' })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'The id is not a positive integer, or a rejected callback is still invalid (the fields are named).' })
  @unknownId
  @ApiConflictResponse({ type: ErrorEnvelope, description: 'The same callback is already stored, it is being dispatched right now, or it is a "before" callback.' })
  async replay(@Param('id', InboxIdPipe) id: number): Promise<WebhookEventDetail> {
    return this.events.replay(id);
  }
}
