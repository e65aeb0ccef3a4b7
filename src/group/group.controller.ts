import { BadRequestException, Controller, Get, Injectable, NotFoundException, Param, Query, UseGuards, type PipeTransform } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth, ErrorEnvelope } from '../common/openapi.js';
import { GroupMemberListView, GroupMessageListView, GroupMessageView, GroupTopicListView, GroupView } from './dto/group-views.js';
import { decodeCursor, GroupService } from './group.service.js';

/** MsgSeq in a path: a non-negative integer well inside JavaScript's safe range. */
@Injectable()
class MsgSeqPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new BadRequestException('msgSeq must be a non-negative integer of at most 15 digits');
    return Number(value);
  }
}

/** `?topicId=`: a Community topic; absent or empty for the group itself. */
@Injectable()
class TopicIdPipe implements PipeTransform<unknown, string | null> {
  transform(value: unknown): string | null {
    if (value === undefined || value === '') return null;
    if (typeof value !== 'string') throw new BadRequestException('topicId must be given once');
    return value;
  }
}

/** `?cursor=`: the nextCursor of a previous members page. */
@Injectable()
class MemberCursorPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    const userId = typeof value === 'string' ? decodeCursor(value) : undefined;
    if (userId === undefined) throw new BadRequestException('cursor must be the nextCursor of a previous page');
    return userId;
  }
}

const groupIdParam = ApiParam({
  name: 'groupId',
  description: 'The group id, URL-encoded (`@TGS#2J4SZEAEL` is `%40TGS%232J4SZEAEL`).',
  example: '@TGS#2J4SZEAEL',
});
const topicIdQuery = ApiQuery({
  name: 'topicId',
  required: false,
  type: String,
  description: 'A Community topic; absent for the messages of the group itself (MsgSeq counts per topic).',
  example: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic',
});
const unknownGroup = ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No callback about this group arrived.' });

@ApiTags('groups')
@ApiTokenAuth()
@Controller('groups')
@UseGuards(ApiTokenGuard)
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @Get(':groupId')
  @ApiOperation({ summary: 'A group: profile, attributes, lifecycle' })
  @groupIdParam
  @ApiOkResponse({ type: GroupView })
  @unknownGroup
  async getGroup(@Param('groupId') groupId: string): Promise<GroupView> {
    const group = await this.groups.getGroup(groupId);
    if (!group) throw new NotFoundException(`no group ${groupId} is known`);
    return group;
  }

  @Get(':groupId/members')
  @ApiOperation({ summary: 'The current members, by userId, a page at a time' })
  @groupIdParam
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'The nextCursor of the previous page.' })
  @ApiLimitQuery()
  @ApiOkResponse({ type: GroupMemberListView })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'The cursor is not one a previous page gave.' })
  @unknownGroup
  async listMembers(
    @Param('groupId') groupId: string,
    @Query('cursor', MemberCursorPipe) afterUserId: string | undefined,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<GroupMemberListView> {
    const page = await this.groups.listMembers(groupId, afterUserId, limit);
    if (!page) throw new NotFoundException(`no group ${groupId} is known`);
    return page;
  }

  @Get(':groupId/messages')
  @ApiOperation({ summary: 'Messages of the group, or of one of its topics, by msgSeq' })
  @groupIdParam
  @topicIdQuery
  @ApiLimitQuery()
  @ApiOkResponse({ type: GroupMessageListView })
  async listMessages(
    @Param('groupId') groupId: string,
    @Query('topicId', TopicIdPipe) topicId: string | null,
    @Query('limit', LimitPipe) limit: number,
  ): Promise<GroupMessageListView> {
    return { items: await this.groups.listMessages(groupId, topicId, limit) };
  }

  @Get(':groupId/messages/:msgSeq')
  @ApiOperation({ summary: 'One message of the group, or of one of its topics' })
  @groupIdParam
  @ApiParam({ name: 'msgSeq', description: 'MsgSeq of the message (per topic in a Community).', schema: { type: 'integer', minimum: 0 } })
  @topicIdQuery
  @ApiOkResponse({ type: GroupMessageView })
  @ApiBadRequestResponse({ type: ErrorEnvelope, description: 'msgSeq is not a non-negative integer.' })
  @ApiNotFoundResponse({ type: ErrorEnvelope, description: 'No such message in this group (or topic).' })
  async getMessage(
    @Param('groupId') groupId: string,
    @Param('msgSeq', MsgSeqPipe) msgSeq: number,
    @Query('topicId', TopicIdPipe) topicId: string | null,
  ): Promise<GroupMessageView> {
    const message = await this.groups.getMessage(groupId, topicId, msgSeq);
    if (!message) throw new NotFoundException(`no message ${msgSeq} in ${topicId ?? groupId}`);
    return message;
  }

  @Get(':groupId/topics')
  @ApiOperation({ summary: 'The Community topics of the group, by topicId (destroyed ones included)' })
  @groupIdParam
  @ApiLimitQuery()
  @ApiOkResponse({ type: GroupTopicListView })
  async listTopics(@Param('groupId') groupId: string, @Query('limit', LimitPipe) limit: number): Promise<GroupTopicListView> {
    return { items: await this.groups.listTopics(groupId, limit) };
  }
}
