import { Module } from '@nestjs/common';
import { C2CExtensionRepository } from './c2c-extension.repository.js';
import { C2CEventsListener } from './c2c-events.listener.js';
import { C2CMessageRepository } from './c2c-message.repository.js';
import { C2CUnreadRepository } from './c2c-unread.repository.js';
import { C2CController } from './c2c.controller.js';
import { C2CService } from './c2c.service.js';

/** One-to-one projections. Listen-only: it learns of callbacks through domain events and exports nothing. */
@Module({
  controllers: [C2CController],
  providers: [C2CEventsListener, C2CService, C2CMessageRepository, C2CUnreadRepository, C2CExtensionRepository],
  exports: [],
})
export class C2CModule {}
