import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { tablesOf } from '../projections/projection.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { PRESENCE_CALLBACKS } from './presence.callbacks.js';
import { PresenceEventsListener } from './presence-events.listener.js';
import * as presenceSchema from './presence.schema.js';
import { PresenceController } from './presence.controller.js';
import { PresenceRepository } from './presence.repository.js';
import { PresenceService } from './presence.service.js';

/** Users' online state (`State.StateChange`). Listen-only, exports nothing. */
@Module({
  imports: [WebhookModule.forFeature(PRESENCE_CALLBACKS), ProjectionsModule.forFeature({ family: PRESENCE_CALLBACKS, tables: tablesOf(presenceSchema), listener: PresenceEventsListener })],
  controllers: [PresenceController],
  providers: [PresenceEventsListener, PresenceService, PresenceRepository],
  exports: [],
})
export class PresenceModule {}
