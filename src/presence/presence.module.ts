import { Module } from '@nestjs/common';
import { WebhookModule } from '../webhook/webhook.module.js';
import { PRESENCE_CALLBACKS } from './presence.callbacks.js';
import { PresenceEventsListener } from './presence-events.listener.js';
import { PresenceController } from './presence.controller.js';
import { PresenceRepository } from './presence.repository.js';
import { PresenceService } from './presence.service.js';

/** Users' online state (`State.StateChange`). Listen-only, exports nothing. */
@Module({
  imports: [WebhookModule.forFeature(PRESENCE_CALLBACKS)],
  controllers: [PresenceController],
  providers: [PresenceEventsListener, PresenceService, PresenceRepository],
  exports: [],
})
export class PresenceModule {}
