import { BadRequestException, Controller, Get, Header, Param, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, ApiTokenGuard } from '../common/api-token.guard.js';
import { ApiTokenAuth, ErrorEnvelope } from '../common/openapi.js';
import { OpsPageFiles } from './ops-page-files.js';
import { MAX_STATS_HOURS, OpsStatsService } from './ops-stats.service.js';
import { OpsStatsView } from './ops-stats.views.js';

// The page runs only its own script and styles, and no other site may frame it (a framed page
// would let a click on another site press Replay).
const PAGE_HEADERS: [string, string][] = [
  ['Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"],
  ['X-Frame-Options', 'DENY'],
  ['Cache-Control', 'no-store'],
];

/** The operator's page (GET /ops), its assets and the counts its chart draws. */
@ApiTags('ops')
@ApiTokenAuth()
@Controller('ops')
@UseGuards(ApiTokenGuard)
@AcceptsBasicAuth({ challengeRealm: 'Tencent Chat webhooks operations' })
export class OpsPageController {
  constructor(
    private readonly files: OpsPageFiles,
    private readonly stats: OpsStatsService,
  ) {}

  @Get()
  @ApiExcludeEndpoint()
  @Header(...PAGE_HEADERS[0]!)
  @Header(...PAGE_HEADERS[1]!)
  @Header(...PAGE_HEADERS[2]!)
  async page(): Promise<StreamableFile> {
    return this.file('index.html');
  }

  @Get('assets/:file')
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-cache')
  async asset(@Param('file') file: string): Promise<StreamableFile> {
    return this.file(file);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Callbacks stored per command and status over the last hours, per time bucket (what the operator\'s page charts)' })
  @ApiQuery({ name: 'hours', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_STATS_HOURS, default: 24 } })
  @ApiOkResponse({ type: OpsStatsView })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'hours is not an integer from 1 to 168.' })
  async getStats(@Query('hours') hours: unknown): Promise<OpsStatsView> {
    return this.stats.stats(parseHours(hours));
  }

  private async file(name: string): Promise<StreamableFile> {
    const { body, contentType } = await this.files.get(name);
    return new StreamableFile(body, { type: contentType, length: body.length });
  }
}

function parseHours(value: unknown): number {
  if (value === undefined || value === '') return 24;
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_STATS_HOURS) {
    throw new BadRequestException(`hours must be an integer from 1 to ${MAX_STATS_HOURS}`);
  }
  return Number(value);
}
