import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { tablesOf } from '../projections/projection.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { GroupAttributeRepository } from './group-attribute.repository.js';
import { GroupEventsListener } from './group-events.listener.js';
import * as groupSchema from './group.schema.js';
import { GroupExtensionRepository } from './group-extension.repository.js';
import { GroupFailureRepository } from './group-failure.repository.js';
import { GroupMemberRepository } from './group-member.repository.js';
import { GroupMessageRepository } from './group-message.repository.js';
import { GroupProfileRepository } from './group-profile.repository.js';
import { GroupReceiptRepository } from './group-receipt.repository.js';
import { GroupRecallRepository } from './group-recall.repository.js';
import { GroupTopicRepository } from './group-topic.repository.js';
import { GROUP_CALLBACKS } from './group.callbacks.js';
import { GroupController } from './group.controller.js';
import { GroupService } from './group.service.js';

/**
 * Groups and Community topics: the family's commands, its projections and read routes.
 * Listen-only: it learns of callbacks through domain events and exports nothing.
 */
@Module({
  imports: [WebhookModule.forFeature(GROUP_CALLBACKS), ProjectionsModule.forFeature({ family: GROUP_CALLBACKS, tables: tablesOf(groupSchema), listener: GroupEventsListener })],
  controllers: [GroupController],
  providers: [
    GroupEventsListener,
    GroupService,
    GroupProfileRepository,
    GroupAttributeRepository,
    GroupMemberRepository,
    GroupMessageRepository,
    GroupRecallRepository,
    GroupReceiptRepository,
    GroupExtensionRepository,
    GroupFailureRepository,
    GroupTopicRepository,
  ],
  exports: [],
})
export class GroupModule {}
