import { Equals, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsInt32, IsIntegerOrNumericString, IsListOf, IsMessageBody, IsStorableString, IsUint32 } from '../../webhook/dto/validators.js';
import { GroupCallbackDto, GroupMemberEntryDto } from './group-common.dto.js';
import { GroupMessageDto } from './group-messages.dto.js';

// The "before" commands (protocol reference 3.1, 3.3, 3.4, 3.7, section 5). Never retried, so
// never deduplicated: each is decided as it comes.

/** `Group.CallbackBeforeSendMsg`: a group message is about to be delivered; the answer decides. No MsgSeq yet. */
export class GroupBeforeSendMsgDto extends GroupMessageDto {
  @Equals('Group.CallbackBeforeSendMsg')
  CallbackCommand!: 'Group.CallbackBeforeSendMsg';

  @IsOptional()
  @IsUint32()
  Random?: number;

  @IsMessageBody()
  MsgBody!: MessageBody;
}

/** `Group.CallbackBeforeCreateGroup`: no GroupId yet. */
export class GroupBeforeCreateGroupDto {
  @Equals('Group.CallbackBeforeCreateGroup')
  CallbackCommand!: 'Group.CallbackBeforeCreateGroup';

  @IsStorableString()
  Operator_Account!: string;

  @IsOptional()
  @IsStorableString()
  Owner_Account?: string;

  @IsOptional()
  @IsStorableString()
  Type?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Name?: string;

  /** Groups of this type the user has already created. */
  @IsOptional()
  @IsInt32(0)
  CreateGroupNum?: number;

  @IsOptional()
  @IsListOf(() => GroupMemberEntryDto)
  MemberList?: GroupMemberEntryDto[];

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}

/** `Group.CallbackBeforeApplyJoinGroup`: a user asks to join. */
export class GroupBeforeApplyJoinGroupDto extends GroupCallbackDto {
  @Equals('Group.CallbackBeforeApplyJoinGroup')
  CallbackCommand!: 'Group.CallbackBeforeApplyJoinGroup';

  @IsStorableString()
  Requestor_Account!: string;
}

/** `Group.CallbackBeforeInviteJoinGroup`: a member invites users (or an admin adds them by REST). */
export class GroupBeforeInviteJoinGroupDto extends GroupCallbackDto {
  @Equals('Group.CallbackBeforeInviteJoinGroup')
  CallbackCommand!: 'Group.CallbackBeforeInviteJoinGroup';

  @IsListOf(() => GroupMemberEntryDto)
  DestinationMembers!: GroupMemberEntryDto[];
}

/** `Group.CallbackBeforeCreateTopic`: no GroupId is documented (kept when sent). */
export class GroupBeforeCreateTopicDto {
  @Equals('Group.CallbackBeforeCreateTopic')
  CallbackCommand!: 'Group.CallbackBeforeCreateTopic';

  @IsOptional()
  @IsStorableString()
  GroupId?: string;

  @IsOptional()
  @IsStorableString()
  Operator_Account?: string;

  @IsOptional()
  @IsStorableString()
  Type?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Name?: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
