import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { sql } from 'drizzle-orm';
import type { Response } from 'express';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { InboxRepository } from '../webhook/inbox/inbox.repository.js';

const DATABASE_TIMEOUT_MS = 2000;

/**
 * Liveness (`/health/live`: the process answers) and readiness (`/health`, `/health/ready`: the
 * database answers; the inbox backlog is reported, and dead callbacks make the status degraded).
 * Terminus' own body, not the error envelope: orchestrators and dashboards expect it.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly inbox: InboxRepository,
    @Inject(DRIZZLE) private readonly db: Database,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.ready(response);
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
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
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
