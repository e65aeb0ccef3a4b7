import { BadRequestException, Body, Controller, Get, HttpCode, HttpStatus, Injectable, Param, Post, Query, Res, UseGuards, type PipeTransform } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AcceptsBasicAuth, ApiTokenGuard } from '../../common/api-token.guard.js';
import { LimitPipe } from '../../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth, ErrorEnvelope } from '../../common/openapi.js';
import { InboxReplaysService } from './inbox-replays.service.js';
import { ReplayDryRunView, ReplayListView, ReplayView } from './inbox-replay.views.js';
import { ReplayRequestDto, ReplayRequestPipe, type ReplayRequest } from './replay-filter.dto.js';

@Injectable()
class ReplayIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw new BadRequestException('id must be a positive integer of at most 15 digits');
    return Number(value);
  }
}

const idParam = ApiParam({ name: 'id', description: 'Bulk replay id.', schema: { type: 'integer', minimum: 1 } });
const unknownId = ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No bulk replay with this id.' });

/** Where a response's status is set per call (200 for a dry run, 202 for a started job), on either platform. */
interface StatusSettable {
  status(code: number): unknown;
}

/** Operations: replay many stored callbacks at once, by filter, and follow the job. */
@ApiTags('ops')
@ApiTokenAuth()
@Controller('ops/replays')
@UseGuards(ApiTokenGuard)
@AcceptsBasicAuth()
@ApiExtraModels(ReplayDryRunView, ReplayView)
export class InboxReplaysController {
  constructor(private readonly replays: InboxReplaysService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Replay the stored callbacks matching a filter (dryRun: count them)',
    description:
      'Each callback is replayed as POST /webhook-events/:id/replay does (a rejected one is validated again), one at a time, in id order, at most ' +
      'INBOX_REPLAY_RATE_PER_SECOND a second and in the gaps of live callbacks. Only callbacks stored when it starts are part of it. One replay at a time.',
  })
  @ApiBody({ type: ReplayRequestDto })
  @ApiOkResponse({ description: 'dryRun: what it would replay.', schema: { $ref: getSchemaPath(ReplayDryRunView) } })
  @ApiAcceptedResponse({ description: 'Started; follow it with GET /ops/replays/:id.', schema: { $ref: getSchemaPath(ReplayView) } })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'The body is not a JSON object, or a field is invalid (named), or unknown.' })
  @ApiConflictResponse({ type: ErrorEnvelope, description: 'Another bulk replay is running (on any instance).' })
  async start(@Body(ReplayRequestPipe) body: ReplayRequest, @Res({ passthrough: true }) response: StatusSettable): Promise<ReplayDryRunView | ReplayView> {
    if (!body.dryRun) return this.replays.start(body.filter);
    response.status(HttpStatus.OK);
    return this.replays.dryRun(body.filter);
  }

  @Get()
  @ApiOperation({ summary: 'Bulk replays, newest first, with their progress' })
  @ApiLimitQuery()
  @ApiOkResponse({ type: ReplayListView })
  async list(@Query('limit', LimitPipe) limit: number): Promise<ReplayListView> {
    return this.replays.list(limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bulk replay and its progress' })
  @idParam
  @ApiOkResponse({ type: ReplayView })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'The id is not a positive integer.' })
  @unknownId
  async get(@Param('id', ReplayIdPipe) id: number): Promise<ReplayView> {
    return this.replays.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop a running bulk replay after its current callback (what it replayed stays replayed)' })
  @idParam
  @ApiOkResponse({ type: ReplayView, description: 'The replay; its state becomes cancelled within about a second.' })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'The id is not a positive integer.' })
  @unknownId
  @ApiConflictResponse({ type: ErrorEnvelope, description: 'The replay is not running.' })
  async cancel(@Param('id', ReplayIdPipe) id: number): Promise<ReplayView> {
    return this.replays.cancel(id);
  }
}
