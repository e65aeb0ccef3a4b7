import { Injectable } from '@nestjs/common';
import { C2CMessageExtensionChangedEvent } from '../events/c2c-message-extension-changed.event.js';
import { C2CMessageSendFailedEvent } from '../events/c2c-message-send-failed.event.js';
import { C2CMessageSentEvent } from '../events/c2c-message-sent.event.js';
import { OnDomainEvent } from '../events/on-domain-event.decorator.js';
import { C2CService } from './c2c.service.js';

@Injectable()
export class C2CEventsListener {
  constructor(private readonly c2c: C2CService) {}

  @OnDomainEvent('c2c.message.sent')
  async handleMessageSent(event: C2CMessageSentEvent): Promise<void> {
    await this.c2c.recordSentMessage(event);
  }

  @OnDomainEvent('c2c.message.send-failed')
  async handleMessageSendFailed(event: C2CMessageSendFailedEvent): Promise<void> {
    await this.c2c.recordFailedMessage(event);
  }

  @OnDomainEvent('c2c.message-extension.changed')
  async handleMessageExtensionChanged(event: C2CMessageExtensionChangedEvent): Promise<void> {
    await this.c2c.applyExtensionChange(event);
  }
}
