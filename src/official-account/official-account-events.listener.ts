import { Injectable } from '@nestjs/common';
import { OfficialAccountCreatedEvent } from './events/official-account-created.event.js';
import { OfficialAccountDestroyedEvent } from './events/official-account-destroyed.event.js';
import { OfficialAccountFullEvent } from './events/official-account-full.event.js';
import { OfficialAccountMessageRecalledEvent } from './events/official-account-message-recalled.event.js';
import { OfficialAccountMessageSentEvent } from './events/official-account-message-sent.event.js';
import {
  OfficialAccountSubscribersAddedEvent,
  OfficialAccountSubscribersRemovedEvent,
} from './events/official-account-subscribers-changed.event.js';
import { OfficialAccountUpdatedEvent } from './events/official-account-updated.event.js';
import { OnDomainEvent } from '../events/on-domain-event.decorator.js';
import { OfficialAccountService } from './official-account.service.js';

@Injectable()
export class OfficialAccountEventsListener {
  constructor(private readonly officialAccounts: OfficialAccountService) {}

  @OnDomainEvent('official-account.message.sent')
  async handleMessageSent(event: OfficialAccountMessageSentEvent): Promise<void> {
    await this.officialAccounts.recordSentMessage(event);
  }

  @OnDomainEvent('official-account.message.recalled')
  async handleMessageRecalled(event: OfficialAccountMessageRecalledEvent): Promise<void> {
    await this.officialAccounts.recordRecall(event);
  }

  @OnDomainEvent('official-account.created')
  async handleCreated(event: OfficialAccountCreatedEvent): Promise<void> {
    await this.officialAccounts.recordCreated(event);
  }

  @OnDomainEvent('official-account.updated')
  async handleUpdated(event: OfficialAccountUpdatedEvent): Promise<void> {
    await this.officialAccounts.recordUpdated(event);
  }

  @OnDomainEvent('official-account.destroyed')
  async handleDestroyed(event: OfficialAccountDestroyedEvent): Promise<void> {
    await this.officialAccounts.recordDestroyed(event);
  }

  @OnDomainEvent('official-account.full')
  async handleFull(event: OfficialAccountFullEvent): Promise<void> {
    await this.officialAccounts.recordFull(event);
  }

  @OnDomainEvent('official-account.subscribers.added')
  async handleSubscribersAdded(event: OfficialAccountSubscribersAddedEvent): Promise<void> {
    await this.officialAccounts.recordSubscribersAdded(event);
  }

  @OnDomainEvent('official-account.subscribers.removed')
  async handleSubscribersRemoved(event: OfficialAccountSubscribersRemovedEvent): Promise<void> {
    await this.officialAccounts.recordSubscribersRemoved(event);
  }
}
