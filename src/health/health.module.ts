import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WebhookModule } from '../webhook/webhook.module.js';
import { HealthContributions } from './health-contributions.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), WebhookModule],
  controllers: [HealthController],
  providers: [HealthContributions],
  exports: [HealthContributions],
})
export class HealthModule {}
