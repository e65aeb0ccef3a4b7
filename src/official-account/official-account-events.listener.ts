import { Injectable } from '@nestjs/common';
import { OfficialAccountMessageSentEvent } from '../events/official-account-message-sent.event.js';
import { OnDomainEvent } from '../events/on-domain-event.decorator.js';
import { OfficialAccountService } from './official-account.service.js';

@Injectable()
export class OfficialAccountEventsListener {
  constructor(private readonly officialAccounts: OfficialAccountService) {}

  @OnDomainEvent('official-account.message.sent')
  async handleMessageSent(event: OfficialAccountMessageSentEvent): Promise<void> {
    await this.officialAccounts.recordSentMessage(event);
  }
}
