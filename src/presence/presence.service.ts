import { Injectable } from '@nestjs/common';
import type { UserStateChangedEvent } from '../events/user-state-changed.event.js';
import { PresenceRepository } from './presence.repository.js';

/** `GET /users/:userId/presence`: the user's newest state change (by EventTime). */
export interface PresenceView {
  userId: string;
  /** True after a Login. */
  online: boolean;
  /** `Login`, `Logout` or `Disconnect`. */
  action: string;
  /** `Register`, `Unregister`, `LinkClose`, `TimeOut`, ... as Tencent sent it. */
  reason: string;
  /** Devices that change kicked off; empty when none. */
  kickedDevices: { platform: string }[];
  /** Epoch milliseconds of the change. */
  eventTime: number;
}

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
