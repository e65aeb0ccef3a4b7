import { Module } from '@nestjs/common';
import { OpsPageController } from './ops-page.controller.js';
import { OpsPageFiles } from './ops-page-files.js';
import { OpsStatsRepository } from './ops-stats.repository.js';
import { OpsStatsService } from './ops-stats.service.js';

/**
 * The operator's page at /ops: a browser page (./browser, bundled by scripts/build-ops-page.mjs)
 * over the operations routes; the page's own route is the chart's counts (GET /ops/stats).
 */
@Module({
  controllers: [OpsPageController],
  providers: [OpsPageFiles, OpsStatsRepository, OpsStatsService],
})
export class OpsPageModule {}
