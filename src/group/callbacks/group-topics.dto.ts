import { ArrayNotEmpty, Equals, IsArray, IsOptional } from 'class-validator';
import { IsListOf, IsStorableString } from '../../webhook/dto/validators.js';
import { GroupCallbackDto, GroupCustomFieldDto } from './group-common.dto.js';

// Community topics (protocol reference section 5). None of them documents EventTime.

/** `Group.CallbackAfterCreateTopic`. */
export class GroupAfterCreateTopicDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterCreateTopic')
  CallbackCommand!: 'Group.CallbackAfterCreateTopic';

  /** `GroupId` + `@TOPIC#_` + suffix; store it, do not parse it. */
  @IsStorableString()
  TopicId!: string;

  /** The group's owner. */
  @IsOptional()
  @IsStorableString()
  Owner_Account?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Name?: string;

  /** Topic custom fields (off by default). */
  @IsOptional()
  @IsListOf(() => GroupCustomFieldDto)
  UserDefinedDataList?: GroupCustomFieldDto[];
}

/** `Group.CallbackAfterTopicDestroyed`: the table says String, the sample sends an array of ids. */
export class GroupAfterTopicDestroyedDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterTopicDestroyed')
  CallbackCommand!: 'Group.CallbackAfterTopicDestroyed';

  @IsArray()
  @ArrayNotEmpty()
  @IsStorableString({ each: true })
  TopicIdList!: string[];
}

/**
 * `Group.CallbackAfterTopicInfoChanged`: no TopicId is documented, so which topic changed may be
 * unknown; one is kept when sent.
 */
export class GroupAfterTopicInfoChangedDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterTopicInfoChanged')
  CallbackCommand!: 'Group.CallbackAfterTopicInfoChanged';

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  TopicId?: string;

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
