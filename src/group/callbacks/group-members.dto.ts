import { ArrayNotEmpty, Equals, IsOptional, ValidateIf } from 'class-validator';
import { IsListOf, IsStorableString } from '../../webhook/dto/validators.js';
import { GroupCallbackDto, GroupMemberEntryDto } from './group-common.dto.js';

// Membership (protocol reference 3.5, 3.6, 3.12, 3.19).

/** `Group.CallbackAfterNewMemberJoin`. */
export class GroupAfterNewMemberJoinDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterNewMemberJoin')
  CallbackCommand!: 'Group.CallbackAfterNewMemberJoin';

  /** `Apply` or `Invited`. */
  @IsOptional()
  @IsStorableString()
  JoinType?: string;

  @IsListOf(() => GroupMemberEntryDto)
  @ArrayNotEmpty()
  NewMemberList!: GroupMemberEntryDto[];
}

/** `Group.CallbackAfterMemberExit`. */
export class GroupAfterMemberExitDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterMemberExit')
  CallbackCommand!: 'Group.CallbackAfterMemberExit';

  /** `Kicked` or `Quit`. */
  @IsOptional()
  @IsStorableString()
  ExitType?: string;

  @IsListOf(() => GroupMemberEntryDto)
  @ArrayNotEmpty()
  ExitMemberList!: GroupMemberEntryDto[];
}

/**
 * `Group.CallbackAfterMemberFieldChanged`: a member's role or name card changed. Tencent's page
 * names the member `Member_Account`, the Java SDK `Modified_Account`: either is accepted, one is
 * required (the error names `Member_Account`).
 */
export class GroupAfterMemberFieldChangedDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterMemberFieldChanged')
  CallbackCommand!: 'Group.CallbackAfterMemberFieldChanged';

  @ValidateIf((dto: GroupAfterMemberFieldChangedDto) => dto.Modified_Account === undefined || dto.Member_Account !== undefined)
  @IsStorableString()
  Member_Account?: string;

  @IsOptional()
  @IsStorableString()
  Modified_Account?: string;

  /** `Admin` or `Member`; only a changed field is sent (our reading). */
  @IsOptional()
  @IsStorableString()
  Role?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  NameCard?: string;
}

/**
 * `Group.CallbackOnMemberStateChange` (AVChatRoom, high volume): members went offline or came back.
 * No EventTime is documented and nothing tells a retry from a new flap.
 */
export class GroupOnMemberStateChangeDto extends GroupCallbackDto {
  @Equals('Group.CallbackOnMemberStateChange')
  CallbackCommand!: 'Group.CallbackOnMemberStateChange';

  /** `Online` or `Offline`. */
  @IsStorableString()
  EventType!: string;

  /** Since the 2025 page: `HeartbeatInterrupt`, `HeartbeatRecover`, `Join`, `Quit`. */
  @IsOptional()
  @IsStorableString()
  EventCause?: string;

  @IsListOf(() => GroupMemberEntryDto)
  MemberList!: GroupMemberEntryDto[];
}
