import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { AppConfig } from '../config/app-config.js';
import { DecisionsModule } from '../decisions/decisions.module.js';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { CallbackDecoder } from './callback-decoder.js';
import { CallbackDispatcher } from './callback-dispatcher.js';
import { WebhookFeatureModule, type CallbackFamily } from './commands/callback-family.js';
import { CallbackRegistry } from './commands/callback-registry.js';
import { DecisionAuditWriter } from './decision-audit.writer.js';
import { InboxMetrics } from './inbox/inbox-metrics.js';
import { InboxRecoveryService } from './inbox/inbox-recovery.service.js';
import { InboxRetentionHolds } from './inbox/inbox-retention-holds.js';
import { InboxRetentionService } from './inbox/inbox-retention.service.js';
import { InboxRepository } from './inbox/inbox.repository.js';
import { LiveCallbacks } from './live-callbacks.js';
import { InboxReplayRepository } from './operations/inbox-replay.repository.js';
import { InboxReplaysController } from './operations/inbox-replays.controller.js';
import { InboxReplaysService } from './operations/inbox-replays.service.js';
import { WebhookEventsController } from './operations/webhook-events.controller.js';
import { WebhookEventsService } from './operations/webhook-events.service.js';
import { SdkAppIdGuard } from './sdk-app-id.guard.js';
import { WebhookController } from './webhook.controller.js';
import { WebhookService } from './webhook.service.js';

/**
 * POST WEBHOOK_PATH: verify, validate, store, dispatch. It imports no family: a family registers
 * its commands with `WebhookModule.forFeature(family)` and learns of callbacks through domain events.
 */
@Module({
  imports: [DecisionsModule, DiscoveryModule],
  controllers: [WebhookController, WebhookEventsController, InboxReplaysController],
  providers: [
    CallbackRegistry,
    CallbackDecoder,
    CallbackBodyPipe,
    SdkAppIdGuard,
    InboxRepository,
    CallbackDispatcher,
    WebhookService,
    InboxRecoveryService,
    InboxRetentionHolds,
    InboxRetentionService,
    WebhookEventsService,
    InboxMetrics,
    DecisionAuditWriter,
    LiveCallbacks,
    InboxReplayRepository,
    InboxReplaysService,
  ],
  exports: [InboxRepository, CallbackRegistry, CallbackDecoder, InboxRetentionHolds],
})
export class WebhookModule {
  /** Registers a family of callbacks (its commands and events): import it in the family's module. */
  static forFeature(family: CallbackFamily): DynamicModule {
    return WebhookFeatureModule.forFeature(family);
  }

  constructor(config: AppConfig) {
    // The route is configuration, and decorators are evaluated at import time; routes are
    // registered at app.init(), after modules are constructed, so setting it here takes effect.
    Reflect.defineMetadata(PATH_METADATA, config.webhookPath, WebhookController);
  }
}
