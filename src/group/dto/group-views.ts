import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MsgBodyElement } from '../../common/openapi.js';

// Response shapes of the group read API (DESIGN section 6, "Groups"). Classes only for the OpenAPI
// document: the service returns plain objects of these shapes. Times are epoch milliseconds except
// msgTime (Unix seconds); a field the protocol does not carry is null.

@ApiSchema({ name: 'Group', description: 'A group as its callbacks left it.' })
export class GroupView {
  @ApiProperty({ type: String, example: '@TGS#2J4SZEAEL' })
  groupId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Private, Public, ChatRoom, AVChatRoom, Community, Live, ... as sent.', example: 'Public' })
  type!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'MyFirstGroup' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The owner, as of the newest creation or ownership transfer.', example: 'leckie' })
  ownerAccount!: string | null;

  @ApiProperty({ type: String, nullable: true })
  introduction!: string | null;

  @ApiProperty({ type: String, nullable: true })
  notification!: string | null;

  @ApiProperty({ type: String, nullable: true })
  faceUrl!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Always null: no group callback carries the member count.' })
  memberCount!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Always null: no group callback carries the member limit.' })
  maxMemberCount!: number | null;

  @ApiProperty({ type: Boolean, description: 'Group.CallbackAfterGroupFull arrived, and no member left since.' })
  full!: boolean;

  @ApiProperty({ type: Boolean, description: 'Disbanded, and not created again since.' })
  destroyed!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Custom attributes (Group.CallbackAfterGroupAttrChanged), key to value; empty when none.',
    example: { attr_key1: 'attr_val1' },
  })
  attributes!: Record<string, string>;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Epoch milliseconds of the creation; null until it is known.' })
  createdAt!: number | null;
}

@ApiSchema({ name: 'GroupMember' })
export class GroupMemberView {
  @ApiProperty({ type: String, example: 'bob' })
  userId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Owner, Admin or Member, when a callback told it; null otherwise.', example: 'Admin' })
  role!: string | null;

  @ApiProperty({ type: 'integer', description: 'Epoch milliseconds of the join (or of the creation, for initial members).' })
  joinedAt!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Apply or Invited; null for the members a group was created with.', example: 'Invited' })
  joinType!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Who added them (Operator_Account).' })
  operator!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The group name card, once Group.CallbackAfterMemberFieldChanged set it.' })
  nameCard!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Always null: no group callback carries a mute time.' })
  mutedUntil!: number | null;
}

@ApiSchema({ name: 'GroupMemberList' })
export class GroupMemberListView {
  @ApiProperty({ type: () => GroupMemberView, isArray: true, description: 'Current members, by userId.' })
  items!: GroupMemberView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass it as `cursor` for the next page; null on the last.' })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'GroupMessageExtensionItem' })
export class GroupMessageExtensionItemView {
  @ApiProperty({ type: String, example: 'reaction' })
  key!: string;

  @ApiProperty({ type: String, example: 'like' })
  value!: string;

  @ApiProperty({ type: 'integer', description: 'The Seq of the key as reported.', example: 3 })
  seq!: number;
}

@ApiSchema({ name: 'GroupMessageExtensions', description: '`{seq: 0, items: []}` when the message has none.' })
export class GroupMessageExtensionsView {
  @ApiProperty({ type: 'integer', description: "The message's extension version.", example: 3 })
  seq!: number;

  @ApiProperty({ type: () => GroupMessageExtensionItemView, isArray: true, description: 'The keys that currently hold a value, sorted by key.' })
  items!: GroupMessageExtensionItemView[];
}

@ApiSchema({ name: 'GroupMessage', description: 'A group message, with its recall, read count and extensions applied.' })
export class GroupMessageView {
  @ApiProperty({ type: String, example: '@TGS#2J4SZEAEL' })
  groupId!: string;

  @ApiProperty({ type: 'integer', description: 'Counts per group, and per topic in a Community.', example: 123 })
  msgSeq!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The Community topic; null for a message of the group itself.' })
  topicId!: string | null;

  @ApiProperty({ type: String, description: 'From_Account.', example: 'leckie' })
  from!: string;

  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1490686222 })
  msgTime!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Random; null when not sent.' })
  msgRandom!: number | null;

  @ApiProperty({ type: Boolean, description: 'OnlineOnlyFlag was 1.' })
  onlineOnly!: boolean;

  @ApiProperty({ type: () => MsgBodyElement, isArray: true, description: 'MsgBody as received.' })
  body!: unknown[];

  @ApiProperty({ type: String, nullable: true })
  cloudCustomData!: string | null;

  @ApiProperty({ type: Boolean, description: 'Group.CallbackAfterRecallMsg reported it.' })
  recalled!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Epoch milliseconds; null unless recalled.' })
  recalledAt!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'ReadNum of the newest read receipt; null without one.' })
  readCount!: number | null;

  @ApiProperty({ type: () => GroupMessageExtensionsView })
  extensions!: GroupMessageExtensionsView;
}

@ApiSchema({ name: 'GroupMessageList' })
export class GroupMessageListView {
  @ApiProperty({ type: () => GroupMessageView, isArray: true, description: 'By msgSeq.' })
  items!: GroupMessageView[];
}

@ApiSchema({ name: 'GroupTopic' })
export class GroupTopicView {
  @ApiProperty({ type: String, example: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic' })
  topicId!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Epoch milliseconds of the creation (its receipt time: topic callbacks carry no EventTime); null until it is known.' })
  createdAt!: number | null;

  @ApiProperty({ type: Boolean })
  destroyed!: boolean;
}

@ApiSchema({ name: 'GroupTopicList' })
export class GroupTopicListView {
  @ApiProperty({ type: () => GroupTopicView, isArray: true, description: 'By topicId, destroyed topics included.' })
  items!: GroupTopicView[];
}
