import { Injectable, Logger } from '@nestjs/common';
import { C2CMessageSentEvent, OnDomainEvent } from '../../src/events/index.js';
import { GreetingOutbox } from './greeting-outbox.js';

/**
 * An example of your own business logic: when a user receives their first one-to-one message,
 * queue a greeting for them. Listeners run at least once per callback, so this one is
 * idempotent (the outbox ignores a user it already greeted).
 */
@Injectable()
export class FirstMessageGreeterListener {
  private readonly logger = new Logger(FirstMessageGreeterListener.name);

  constructor(private readonly outbox: GreetingOutbox) {}

  @OnDomainEvent('c2c.message.sent')
  async handleMessageSent(event: C2CMessageSentEvent): Promise<void> {
    if (await this.outbox.queueOnce(event.to, `Welcome, ${event.to}! ${event.from} just wrote to you.`)) {
      this.logger.log(`Greeting queued for ${event.to}`);
    }
  }
}
