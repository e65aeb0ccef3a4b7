import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { EventRelayController } from './event-relay.controller.js';
import { EventRelayService } from './event-relay.service.js';
import { RelayRepository } from './relay.repository.js';
import { RelayedEvents } from './relayed-events.js';

/**
 * Domain events beyond the process: publishes every processed callback's events to NATS JetStream
 * when EVENT_RELAY_URL is set (off otherwise: no connection, no polling). Only AppModule imports it.
 */
@Module({
  imports: [WebhookModule, HealthModule],
  controllers: [EventRelayController],
  providers: [EventRelayService, RelayRepository, RelayedEvents],
})
export class RelayModule {}
