import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DecisionHandlers } from './decision-handlers.js';
import { DecisionService } from './decision.service.js';

/** Decides "before" callbacks with the @OnBeforeCallback handlers of every module. */
@Module({
  imports: [DiscoveryModule],
  providers: [DecisionHandlers, DecisionService],
  exports: [DecisionService],
})
export class DecisionsModule {}
