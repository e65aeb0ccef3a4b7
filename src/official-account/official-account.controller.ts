import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { OfficialAccountService, type OfficialAccountMessageView } from './official-account.service.js';

@Controller('official-accounts')
@UseGuards(ApiTokenGuard)
export class OfficialAccountController {
  constructor(private readonly officialAccounts: OfficialAccountService) {}

  @Get(':officialAccount/messages')
  async listMessages(
    @Param('officialAccount') officialAccount: string,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<{ items: OfficialAccountMessageView[] }> {
    return { items: await this.officialAccounts.listMessages(officialAccount, limit) };
  }

  @Get(':officialAccount/messages/:msgKey')
  async getMessage(@Param('officialAccount') officialAccount: string, @Param('msgKey') msgKey: string): Promise<OfficialAccountMessageView> {
    const message = await this.officialAccounts.getMessage(officialAccount, msgKey);
    if (!message) throw new NotFoundException(`no message ${msgKey} of ${officialAccount}`);
    return message;
  }
}
