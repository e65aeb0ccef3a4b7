import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../events/on-domain-event.decorator.js';
import { UserStateChangedEvent } from './events/user-state-changed.event.js';
import { PresenceService } from './presence.service.js';

@Injectable()
export class PresenceEventsListener {
  constructor(private readonly presence: PresenceService) {}

  @OnDomainEvent('user.state.changed')
  async handleUserStateChanged(event: UserStateChangedEvent): Promise<void> {
    await this.presence.recordStateChange(event);
  }
}
