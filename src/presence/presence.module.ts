import { Module } from '@nestjs/common';
import { PresenceEventsListener } from './presence-events.listener.js';
import { PresenceController } from './presence.controller.js';
import { PresenceRepository } from './presence.repository.js';
import { PresenceService } from './presence.service.js';

/** Users' online state (`State.StateChange`). Listen-only, exports nothing. */
@Module({
  controllers: [PresenceController],
  providers: [PresenceEventsListener, PresenceService, PresenceRepository],
  exports: [],
})
export class PresenceModule {}
