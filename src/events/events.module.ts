import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DomainEventEmitter } from './domain-event-emitter.js';
import { ListenerErrorsPolicy } from './listener-errors.policy.js';

@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: false, maxListeners: 50 }), DiscoveryModule],
  providers: [DomainEventEmitter, ListenerErrorsPolicy],
  exports: [DomainEventEmitter],
})
export class EventsModule {}
