import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { PresenceService, type PresenceView } from './presence.service.js';

@Controller('users')
@UseGuards(ApiTokenGuard)
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get(':userId/presence')
  async getPresence(@Param('userId') userId: string): Promise<PresenceView> {
    const presence = await this.presence.getPresence(userId);
    if (!presence) throw new NotFoundException(`no state change of ${userId} is known`);
    return presence;
  }
}
