import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { tablesOf } from '../projections/projection.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { C2C_CALLBACKS } from './c2c.callbacks.js';
import { C2CConversationRepository } from './c2c-conversation.repository.js';
import { C2CEditRepository } from './c2c-edit.repository.js';
import { C2CExtensionRepository } from './c2c-extension.repository.js';
import { C2CEventsListener } from './c2c-events.listener.js';
import * as c2cSchema from './c2c.schema.js';
import { C2CMessageRepository } from './c2c-message.repository.js';
import { C2CReadRepository } from './c2c-read.repository.js';
import { C2CRecallRepository } from './c2c-recall.repository.js';
import { C2CUnreadRepository } from './c2c-unread.repository.js';
import { C2CController } from './c2c.controller.js';
import { C2CService } from './c2c.service.js';

/** One-to-one projections. Listen-only: it learns of callbacks through domain events and exports nothing. */
@Module({
  imports: [WebhookModule.forFeature(C2C_CALLBACKS), ProjectionsModule.forFeature({ family: C2C_CALLBACKS, tables: tablesOf(c2cSchema), listener: C2CEventsListener })],
  controllers: [C2CController],
  providers: [
    C2CEventsListener,
    C2CService,
    C2CMessageRepository,
    C2CUnreadRepository,
    C2CExtensionRepository,
    C2CReadRepository,
    C2CRecallRepository,
    C2CEditRepository,
    C2CConversationRepository,
  ],
  exports: [],
})
export class C2CModule {}
