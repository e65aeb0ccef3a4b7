import { BadRequestException, Body, Controller, Get, HttpCode, Injectable, Param, Post, Query, UseGuards, type PipeTransform } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth, ErrorEnvelope } from '../common/openapi.js';
import { ProjectionRebuildService } from './projection-rebuild.service.js';
import { RebuildListView, RebuildRequest, RebuildView, toRebuildView } from './rebuild.views.js';

/** `{family, withListeners?}` and nothing else; whether the family exists is the service's to say. */
@Injectable()
class RebuildRequestPipe implements PipeTransform<unknown, RebuildRequest> {
  transform(body: unknown): RebuildRequest {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('body must be a JSON object: {"family": "c2c", "withListeners": false}');
    const { family, withListeners, ...rest } = body as Record<string, unknown>;
    const unknownKeys = Object.keys(rest);
    if (unknownKeys.length > 0) throw new BadRequestException(`unknown field(s): ${unknownKeys.join(', ')}; expected family and withListeners`);
    if (typeof family !== 'string' || family === '') throw new BadRequestException('family must be a family name or "all"');
    if (withListeners !== undefined && typeof withListeners !== 'boolean') throw new BadRequestException('withListeners must be true or false');
    return { family, withListeners };
  }
}

@Injectable()
class RebuildIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw new BadRequestException('id must be a positive integer of at most 15 digits');
    return Number(value);
  }
}

/** Operations: rebuild a family's projection tables from the stored callbacks. */
@ApiTags('rebuilds')
@ApiTokenAuth()
@Controller('ops/rebuilds')
@UseGuards(ApiTokenGuard)
@AcceptsBasicAuth()
export class ProjectionRebuildsController {
  constructor(private readonly rebuilds: ProjectionRebuildService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a projection from the stored callbacks',
    description:
      "Empties the family's tables and feeds its stored callbacks again, in inbox order, to its own listener, in the background of this " +
      'instance (follow it with GET /ops/rebuilds/{id}). Callbacks keep being taken meanwhile and end up in the rebuilt state once; the ' +
      "read API shows partial state until it is done. Your listeners and the event relay are not called again (withListeners: every listener is).",
  })
  @ApiBody({ type: RebuildRequest })
  @ApiAcceptedResponse({ type: RebuildView, description: 'Started.' })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'Unknown family (the known ones are named) or a malformed body.' })
  @ApiConflictResponse({ type: ErrorEnvelope, description: 'A rebuild of an overlapping family is running (in any instance).' })
  async start(@Body(RebuildRequestPipe) request: RebuildRequest): Promise<RebuildView> {
    return toRebuildView(await this.rebuilds.start(request));
  }

  @Get()
  @ApiOperation({ summary: 'Rebuilds, newest first' })
  @ApiLimitQuery()
  @ApiOkResponse({ type: RebuildListView })
  async list(@Query('limit', LimitPipe) limit: number): Promise<RebuildListView> {
    return { items: (await this.rebuilds.list(limit)).map(toRebuildView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rebuild and its progress' })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ type: RebuildView })
  @ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No rebuild with this id.' })
  async get(@Param('id', RebuildIdPipe) id: number): Promise<RebuildView> {
    return toRebuildView(await this.rebuilds.find(id));
  }
}
