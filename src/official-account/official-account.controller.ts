import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth, ErrorEnvelope } from '../common/openapi.js';
import { OfficialAccountService } from './official-account.service.js';
import { OfficialAccountMessageListView, OfficialAccountMessageView, OfficialAccountView, SubscriberListView } from './official-account.views.js';

const officialAccountParam = ApiParam({
  name: 'officialAccount',
  description: 'The Official Account id, URL-encoded (`@TOA#_2J4SZEAEL` is `%40TOA%23_2J4SZEAEL`).',
  example: '@TOA#_2J4SZEAEL',
});
const unknownAccount = ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No profile or subscriber callback of the account arrived.' });

@ApiTags('official-accounts')
@ApiTokenAuth()
@Controller('official-accounts')
@UseGuards(ApiTokenGuard)
export class OfficialAccountController {
  constructor(private readonly officialAccounts: OfficialAccountService) {}

  @Get(':officialAccount')
  @ApiOperation({ summary: 'The profile of an Official Account' })
  @officialAccountParam
  @ApiOkResponse({ type: OfficialAccountView })
  @unknownAccount
  async getAccount(@Param('officialAccount') officialAccount: string): Promise<OfficialAccountView> {
    const account = await this.officialAccounts.getAccount(officialAccount);
    if (!account) throw new NotFoundException(`no Official Account ${officialAccount} is known`);
    return account;
  }

  @Get(':officialAccount/subscribers')
  @ApiOperation({ summary: 'The current subscribers, longest-standing first' })
  @officialAccountParam
  @ApiLimitQuery()
  @ApiOkResponse({ type: SubscriberListView })
  @unknownAccount
  async listSubscribers(
    @Param('officialAccount') officialAccount: string,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<SubscriberListView> {
    const items = await this.officialAccounts.listSubscribers(officialAccount, limit);
    if (!items) throw new NotFoundException(`no Official Account ${officialAccount} is known`);
    return { items };
  }

  @Get(':officialAccount/messages')
  @ApiOperation({ summary: 'Messages the account sent, by msgTime, then msgKey' })
  @officialAccountParam
  @ApiLimitQuery()
  @ApiOkResponse({ type: OfficialAccountMessageListView })
  async listMessages(
    @Param('officialAccount') officialAccount: string,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<OfficialAccountMessageListView> {
    return { items: await this.officialAccounts.listMessages(officialAccount, limit) };
  }

  @Get(':officialAccount/messages/:msgKey')
  @ApiOperation({ summary: 'One message the account sent' })
  @officialAccountParam
  @ApiParam({ name: 'msgKey', description: 'MsgKey of the message (URL-encoded).' })
  @ApiOkResponse({ type: OfficialAccountMessageView })
  @ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No such message of this account.' })
  async getMessage(@Param('officialAccount') officialAccount: string, @Param('msgKey') msgKey: string): Promise<OfficialAccountMessageView> {
    const message = await this.officialAccounts.getMessage(officialAccount, msgKey);
    if (!message) throw new NotFoundException(`no message ${msgKey} of ${officialAccount}`);
    return message;
  }
}
