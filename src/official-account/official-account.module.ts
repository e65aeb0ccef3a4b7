import { Module } from '@nestjs/common';
import { OfficialAccountEventsListener } from './official-account-events.listener.js';
import { OfficialAccountMessageRepository } from './official-account-message.repository.js';
import { OfficialAccountController } from './official-account.controller.js';
import { OfficialAccountService } from './official-account.service.js';

/** Official Account projections. Listen-only, exports nothing. */
@Module({
  controllers: [OfficialAccountController],
  providers: [OfficialAccountEventsListener, OfficialAccountService, OfficialAccountMessageRepository],
  exports: [],
})
export class OfficialAccountModule {}
