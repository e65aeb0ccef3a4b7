import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { OfficialAccountService } from './official-account.service.js';
import type { OfficialAccountMessageView, OfficialAccountView, SubscriberView } from './official-account.views.js';

@Controller('official-accounts')
@UseGuards(ApiTokenGuard)
export class OfficialAccountController {
  constructor(private readonly officialAccounts: OfficialAccountService) {}

  @Get(':officialAccount')
  async getAccount(@Param('officialAccount') officialAccount: string): Promise<OfficialAccountView> {
    const account = await this.officialAccounts.getAccount(officialAccount);
    if (!account) throw new NotFoundException(`no Official Account ${officialAccount} is known`);
    return account;
  }

  @Get(':officialAccount/subscribers')
  async listSubscribers(
    @Param('officialAccount') officialAccount: string,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<{ items: SubscriberView[] }> {
    const items = await this.officialAccounts.listSubscribers(officialAccount, limit);
    if (!items) throw new NotFoundException(`no Official Account ${officialAccount} is known`);
    return { items };
  }

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
