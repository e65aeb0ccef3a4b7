import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { C2CService } from './c2c.service.js';
import type { ConversationView, MessageView, UnreadView } from './dto/c2c-views.js';

@Controller('c2c')
@UseGuards(ApiTokenGuard)
export class C2CController {
  constructor(private readonly c2c: C2CService) {}

  @Get('conversations/:userA/:userB/messages')
  async listMessages(
    @Param('userA') userA: string,
    @Param('userB') userB: string,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<{ items: MessageView[] }> {
    return { items: await this.c2c.listMessages(userA, userB, limit) };
  }

  @Get('conversations/:userA/:userB/messages/:msgKey')
  async getMessage(@Param('userA') userA: string, @Param('userB') userB: string, @Param('msgKey') msgKey: string): Promise<MessageView> {
    const message = await this.c2c.getMessage(userA, userB, msgKey);
    if (!message) throw new NotFoundException(`no message ${msgKey} between ${userA} and ${userB}`);
    return message;
  }

  @Get('users/:userId/unread')
  async getUnread(@Param('userId') userId: string): Promise<UnreadView> {
    const unread = await this.c2c.getUnread(userId);
    if (!unread) throw new NotFoundException(`no successful send to ${userId} nor read report by them is known`);
    return unread;
  }

  /** The user's conversations, newest last message first; empty when none is known. */
  @Get('users/:userId/conversations')
  async listConversations(@Param('userId') userId: string, @Query('limit', LimitPipe) limit: number): Promise<{ items: ConversationView[] }> {
    return { items: await this.c2c.listConversations(userId, limit) };
  }
}
