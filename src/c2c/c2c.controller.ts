import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth, ErrorEnvelope } from '../common/openapi.js';
import { C2CService } from './c2c.service.js';
import { ConversationListView, MessageListView, MessageView, UnreadView } from './dto/c2c-views.js';

const userA = ApiParam({ name: 'userA', description: 'One user of the conversation (URL-encoded); the order of the two does not matter.', example: 'Jonh' });
const userB = ApiParam({ name: 'userB', description: 'The other user of the conversation (URL-encoded).', example: 'Kate' });

@ApiTags('c2c')
@ApiTokenAuth()
@Controller('c2c')
@UseGuards(ApiTokenGuard)
export class C2CController {
  constructor(private readonly c2c: C2CService) {}

  @Get('conversations/:userA/:userB/messages')
  @ApiOperation({ summary: 'Messages of a one-to-one conversation, oldest first (by msgTime, then msgSeq)' })
  @userA
  @userB
  @ApiLimitQuery()
  @ApiOkResponse({ type: MessageListView })
  async listMessages(
    @Param('userA') userA: string,
    @Param('userB') userB: string,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<MessageListView> {
    return { items: await this.c2c.listMessages(userA, userB, limit) };
  }

  @Get('conversations/:userA/:userB/messages/:msgKey')
  @ApiOperation({ summary: 'One message of a one-to-one conversation' })
  @userA
  @userB
  @ApiParam({ name: 'msgKey', description: 'MsgKey of the message (URL-encoded).' })
  @ApiOkResponse({ type: MessageView })
  @ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No such message in this conversation.' })
  async getMessage(@Param('userA') userA: string, @Param('userB') userB: string, @Param('msgKey') msgKey: string): Promise<MessageView> {
    const message = await this.c2c.getMessage(userA, userB, msgKey);
    if (!message) throw new NotFoundException(`no message ${msgKey} between ${userA} and ${userB}`);
    return message;
  }

  @Get('users/:userId/unread')
  @ApiOperation({ summary: "The user's total unread count, from the newer of the newest successful send to them and their newest read report" })
  @ApiParam({ name: 'userId', description: 'The user (URL-encoded).', example: 'Jonh' })
  @ApiOkResponse({ type: UnreadView })
  @ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No successful send to the user nor read report by them is known.' })
  async getUnread(@Param('userId') userId: string): Promise<UnreadView> {
    const unread = await this.c2c.getUnread(userId);
    if (!unread) throw new NotFoundException(`no successful send to ${userId} nor read report by them is known`);
    return unread;
  }

  /** The user's conversations, newest last message first; empty when none is known. */
  @Get('users/:userId/conversations')
  @ApiOperation({ summary: "The user's conversations, newest last message first (empty for an unknown user)" })
  @ApiParam({ name: 'userId', description: 'The user (URL-encoded).', example: 'Jonh' })
  @ApiLimitQuery()
  @ApiOkResponse({ type: ConversationListView })
  async listConversations(@Param('userId') userId: string, @Query('limit', LimitPipe) limit: number): Promise<ConversationListView> {
    return { items: await this.c2c.listConversations(userId, limit) };
  }
}
