import { IsIn, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsIntegerOrNumericString, IsMessageBody, IsStorableString } from '../../webhook/dto/validators.js';

/** The fields of an Official Account broadcast, shared by its before-send and after-send callbacks. */
export abstract class OfficialAccountBroadcastDto {
  @IsStorableString()
  Official_Account!: string;

  @IsOptional()
  @IsIn([0, 1])
  OnlineOnlyFlag?: 0 | 1;

  @IsMessageBody()
  MsgBody!: MessageBody;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  CloudCustomData?: string;

  /** Milliseconds. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
