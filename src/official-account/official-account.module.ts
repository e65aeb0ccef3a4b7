import { Module } from '@nestjs/common';
import { OfficialAccountEventsListener } from './official-account-events.listener.js';
import { OfficialAccountMessageRepository } from './official-account-message.repository.js';
import { OfficialAccountProfileRepository } from './official-account-profile.repository.js';
import { OfficialAccountRecallRepository } from './official-account-recall.repository.js';
import { OfficialAccountSubscriberRepository } from './official-account-subscriber.repository.js';
import { OfficialAccountController } from './official-account.controller.js';
import { OfficialAccountService } from './official-account.service.js';

/** Official Account projections. Listen-only, exports nothing. */
@Module({
  controllers: [OfficialAccountController],
  providers: [
    OfficialAccountEventsListener,
    OfficialAccountService,
    OfficialAccountMessageRepository,
    OfficialAccountRecallRepository,
    OfficialAccountProfileRepository,
    OfficialAccountSubscriberRepository,
  ],
  exports: [],
})
export class OfficialAccountModule {}
