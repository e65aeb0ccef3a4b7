import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { ApiTokenAuth, ErrorEnvelope } from '../common/openapi.js';
import { PresenceService } from './presence.service.js';
import { PresenceView } from './presence.views.js';

@ApiTags('presence')
@ApiTokenAuth()
@Controller('users')
@UseGuards(ApiTokenGuard)
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get(':userId/presence')
  @ApiOperation({ summary: "The user's newest state change (login, logout, disconnect)" })
  @ApiParam({ name: 'userId', description: 'The user (URL-encoded).', example: 'Jonh' })
  @ApiOkResponse({ type: PresenceView })
  @ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No state change of the user is known.' })
  async getPresence(@Param('userId') userId: string): Promise<PresenceView> {
    const presence = await this.presence.getPresence(userId);
    if (!presence) throw new NotFoundException(`no state change of ${userId} is known`);
    return presence;
  }
}
