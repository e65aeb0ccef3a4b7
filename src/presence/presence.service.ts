import { Injectable } from '@nestjs/common';
import type { UserStateChangedEvent } from './events/user-state-changed.event.js';
import { PresenceRepository } from './presence.repository.js';
import type { PresenceView } from './presence.views.js';

export type { PresenceView } from './presence.views.js';

@Injectable()
export class PresenceService {
  constructor(private readonly presence: PresenceRepository) {}

  async recordStateChange(event: UserStateChangedEvent): Promise<void> {
    await this.presence.recordIfNewer(event);
  }

  async getPresence(userId: string): Promise<PresenceView | undefined> {
    const row = await this.presence.findByUser(userId);
    return (
      row && {
        userId: row.userId,
        online: row.online,
        action: row.action,
        reason: row.reason,
        kickedDevices: row.kickedDevices.map((device) => ({ platform: device.platform })),
        eventTime: row.eventTime,
      }
    );
  }
}
