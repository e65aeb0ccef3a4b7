import { applyDecorators, Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { HealthContributions } from './health-contributions.js';
import { InboxRepository } from '../webhook/inbox/inbox.repository.js';

const DATABASE_TIMEOUT_MS = 2000;

/** Terminus' body, for the OpenAPI document. */
const indicators: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'degraded', 'down'] } }, additionalProperties: true },
};
const healthResult = (statuses: string[], example: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  properties: {
    status: { type: 'string', enum: statuses },
    info: { ...indicators, nullable: true },
    error: { ...indicators, nullable: true },
    details: indicators,
  },
  example,
});
const upDetails = { database: { status: 'up' }, inbox: { status: 'up', received: 0, failed: 0, dead: 0 } };
const ApiReadiness = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary: 'Readiness: the database answers; the inbox backlog (received, failed, dead) is reported, dead callbacks make it degraded' }),
    ApiOkResponse({
      description: 'Ready (ok, or degraded when dead callbacks wait for a replay).',
      schema: healthResult(['ok', 'degraded'], { status: 'ok', info: upDetails, error: {}, details: upDetails }),
    }),
    ApiServiceUnavailableResponse({
      description: 'Not ready: the database does not answer.',
      schema: healthResult(['error', 'shutting_down'], { status: 'error', info: {}, error: { database: { status: 'down' } }, details: { database: { status: 'down' } } }),
    }),
  );

/**
 * Liveness (`/health/live`: the process answers) and readiness (`/health`, `/health/ready`: the
 * database answers; the inbox backlog is reported, and dead callbacks make the status degraded).
 * Terminus' own body, not the error envelope: orchestrators and dashboards expect it.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly inbox: InboxRepository,
    @Inject(DRIZZLE) private readonly db: Database,
    private readonly adapterHost: HttpAdapterHost,
    private readonly contributions: HealthContributions,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @ApiReadiness()
  async check(@Res({ passthrough: true }) response: unknown): Promise<HealthCheckResult> {
    return this.ready(response);
  }

  @Get('ready')
  @ApiReadiness()
  async ready(@Res({ passthrough: true }) response: unknown): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.indicators.check('database').attempt(() => this.db.execute(sql`select 1`).then(() => undefined)).withTimeout(DATABASE_TIMEOUT_MS),
        async () => {
          const backlog = this.indicators.check('inbox');
          try {
            const counts = await this.inbox.countByStatus();
            const data = { received: counts.received ?? 0, failed: counts.failed ?? 0, dead: counts.dead ?? 0 };
            return data.dead > 0 ? backlog.degraded(data) : backlog.up(data);
          } catch (error) {
            return backlog.down({ message: error instanceof Error ? error.message : String(error) });
          }
        },
        ...this.contributions.all().map((check) => () => check(this.indicators)),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      this.adapterHost.httpAdapter.status(response, 503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
