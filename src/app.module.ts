import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { C2CModule } from './c2c/c2c.module.js';
import { EnvelopeExceptionFilter } from './common/envelope-exception.filter.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { GroupModule } from './group/group.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OfficialAccountModule } from './official-account/official-account.module.js';
import { OpsPageModule } from './ops-page/ops-page.module.js';
import { PresenceModule } from './presence/presence.module.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { RelayModule } from './relay/relay.module.js';
import { WebhookModule } from './webhook/webhook.module.js';

@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, MetricsModule, EventsModule, WebhookModule, C2CModule, OfficialAccountModule, PresenceModule, GroupModule, ProjectionsModule, HealthModule, RelayModule, OpsPageModule],
  providers: [{ provide: APP_FILTER, useClass: EnvelopeExceptionFilter }],
})
export class AppModule {}
