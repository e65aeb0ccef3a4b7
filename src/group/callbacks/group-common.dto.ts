import { IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsStorableString } from '../../webhook/dto/validators.js';

// Shapes every group callback shares (protocol reference section 1).

/** An entry of every member list (`MemberList`, `NewMemberList`, `ExitMemberList`, `DestinationMembers`, `ReadReceiptMembers`). */
export class GroupMemberEntryDto {
  @IsStorableString()
  Member_Account!: string;
}

/** A group's or topic's custom field given at creation (`UserDefinedDataList`). */
export class GroupCustomFieldDto {
  @IsStorableString()
  Key!: string;

  @IsStorableString({ allowEmpty: true })
  Value!: string;
}

/**
 * `GroupId`, `Type` (an open set: `Private`, `Public`, `ChatRoom`, `AVChatRoom`, `Community`,
 * `Live`, ...), `Operator_Account` and `EventTime` (milliseconds; a number or a string of digits;
 * absent in older or undocumented shapes, then the receipt time stands in).
 */
export abstract class GroupCallbackDto {
  @IsStorableString()
  GroupId!: string;

  @IsOptional()
  @IsStorableString()
  Type?: string;

  /** Passed through to the events only; may be empty. */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Operator_Account?: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
