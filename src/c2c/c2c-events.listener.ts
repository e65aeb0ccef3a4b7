import { Injectable } from '@nestjs/common';
import { C2CConversationReadEvent } from './events/c2c-conversation-read.event.js';
import { C2CMessageEditedEvent } from './events/c2c-message-edited.event.js';
import { C2CMessageExtensionChangedEvent } from './events/c2c-message-extension-changed.event.js';
import { C2CMessageRecalledEvent } from './events/c2c-message-recalled.event.js';
import { C2CMessageSendFailedEvent } from './events/c2c-message-send-failed.event.js';
import { C2CMessageSentEvent } from './events/c2c-message-sent.event.js';
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

  @OnDomainEvent('c2c.conversation.read')
  async handleConversationRead(event: C2CConversationReadEvent): Promise<void> {
    await this.c2c.recordRead(event);
  }

  @OnDomainEvent('c2c.message.recalled')
  async handleMessageRecalled(event: C2CMessageRecalledEvent): Promise<void> {
    await this.c2c.recordRecall(event);
  }

  @OnDomainEvent('c2c.message.edited')
  async handleMessageEdited(event: C2CMessageEditedEvent): Promise<void> {
    await this.c2c.applyEdit(event);
  }
}
