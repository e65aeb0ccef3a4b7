import { Module } from '@nestjs/common';
import { WebhookModule } from '../webhook/webhook.module.js';
import { GROUP_CALLBACKS } from './group.callbacks.js';

/**
 * Groups and Community topics. For now it registers the family's commands only: each callback is
 * stored and emitted as a domain event (projections and read routes come later).
 */
@Module({
  imports: [WebhookModule.forFeature(GROUP_CALLBACKS)],
  providers: [],
  exports: [],
})
export class GroupModule {}
