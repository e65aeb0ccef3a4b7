import { Equals, IsOptional } from 'class-validator';
import { IsInt32, IsIntegerOrNumericString, IsListOf, IsStorableString } from '../../webhook/dto/validators.js';
import { GroupCallbackDto, GroupCustomFieldDto, GroupMemberEntryDto } from './group-common.dto.js';

// A group's life and profile (protocol reference 3.2, 3.9-3.11, 3.20, 3.22, 3.23).

/** `Group.CallbackAfterCreateGroup`. */
export class GroupAfterCreateGroupDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterCreateGroup')
  CallbackCommand!: 'Group.CallbackAfterCreateGroup';

  @IsOptional()
  @IsStorableString()
  Owner_Account?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Name?: string;

  /** The initial members. */
  @IsOptional()
  @IsListOf(() => GroupMemberEntryDto)
  MemberList?: GroupMemberEntryDto[];

  /** Absent unless group custom fields are configured. */
  @IsOptional()
  @IsListOf(() => GroupCustomFieldDto)
  UserDefinedDataList?: GroupCustomFieldDto[];
}

/** `Group.CallbackAfterGroupInfoChanged`: the profile fields present are the changed ones. */
export class GroupAfterGroupInfoChangedDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterGroupInfoChanged')
  CallbackCommand!: 'Group.CallbackAfterGroupInfoChanged';

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Name?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Introduction?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Notification?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  FaceUrl?: string;
}

/** `Group.CallbackAfterGroupDestroyed`. */
export class GroupAfterGroupDestroyedDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterGroupDestroyed')
  CallbackCommand!: 'Group.CallbackAfterGroupDestroyed';

  @IsOptional()
  @IsStorableString()
  Owner_Account?: string;

  /** In the sample, not in the field table. */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Name?: string;

  /** Members at disbanding; not sent for Community. */
  @IsOptional()
  @IsListOf(() => GroupMemberEntryDto)
  MemberList?: GroupMemberEntryDto[];
}

/** `Group.CallbackAfterGroupFull`: an alert, which may repeat for one group. */
export class GroupAfterGroupFullDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterGroupFull')
  CallbackCommand!: 'Group.CallbackAfterGroupFull';
}

/** `Group.CallbackAfterChangeGroupOwner`. */
export class GroupAfterChangeGroupOwnerDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterChangeGroupOwner')
  CallbackCommand!: 'Group.CallbackAfterChangeGroupOwner';

  @IsOptional()
  @IsStorableString()
  OldOwner_Account?: string;

  @IsStorableString()
  NewOwner_Account!: string;
}

/** One group attribute: lower-case `key`/`value`, unlike the extension `Key`/`Value`. */
export class GroupAttributeDto {
  @IsStorableString()
  key!: string;

  @IsStorableString({ allowEmpty: true })
  value!: string;
}

/** `Group.CallbackAfterGroupAttrChanged`. */
export class GroupAfterGroupAttrChangedDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterGroupAttrChanged')
  CallbackCommand!: 'Group.CallbackAfterGroupAttrChanged';

  /** `set` (replace all), `modify`, `clear`, `delete`: in the sample only, so not checked against a list. */
  @IsOptional()
  @IsStorableString()
  OptionType?: string;

  /** Whether this is the whole resulting set or the touched keys is not documented. */
  @IsOptional()
  @IsListOf(() => GroupAttributeDto)
  GroupAttr?: GroupAttributeDto[];
}

/** `Group.CallbackOnDailyGroupQuotaAlarm`: no group; today's net new groups passed 70 % of the limit. */
export class GroupOnDailyGroupQuotaAlarmDto {
  @Equals('Group.CallbackOnDailyGroupQuotaAlarm')
  CallbackCommand!: 'Group.CallbackOnDailyGroupQuotaAlarm';

  @IsInt32(0)
  QuotaUsed!: number;

  @IsOptional()
  @IsInt32(0)
  Quota?: number;

  /** Unit not stated; the sample is milliseconds. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
