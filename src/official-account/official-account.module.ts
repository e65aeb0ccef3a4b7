import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { tablesOf } from '../projections/projection.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { OFFICIAL_ACCOUNT_CALLBACKS } from './official-account.callbacks.js';
import { OfficialAccountEventsListener } from './official-account-events.listener.js';
import * as officialAccountSchema from './official-account.schema.js';
import { OfficialAccountMessageRepository } from './official-account-message.repository.js';
import { OfficialAccountProfileRepository } from './official-account-profile.repository.js';
import { OfficialAccountRecallRepository } from './official-account-recall.repository.js';
import { OfficialAccountSubscriberRepository } from './official-account-subscriber.repository.js';
import { OfficialAccountController } from './official-account.controller.js';
import { OfficialAccountService } from './official-account.service.js';

/** Official Account projections. Listen-only, exports nothing. */
@Module({
  imports: [WebhookModule.forFeature(OFFICIAL_ACCOUNT_CALLBACKS), ProjectionsModule.forFeature({ family: OFFICIAL_ACCOUNT_CALLBACKS, tables: tablesOf(officialAccountSchema), listener: OfficialAccountEventsListener })],
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
