import { Equals, IsOptional } from 'class-validator';
import { C2CMessageDto } from './c2c-message.dto.js';
import { IsIntegerOrNumericString, IsStorableString } from '../../webhook/dto/validators.js';

/** `C2C.CallbackAfterModifyMsg`: a one-to-one message was edited; it carries the message as it now is. */
export class C2CAfterModifyMsgDto extends C2CMessageDto {
  @Equals('C2C.CallbackAfterModifyMsg')
  CallbackCommand!: 'C2C.CallbackAfterModifyMsg';

  /** Who edited it. */
  @IsOptional()
  @IsStorableString()
  Operator_Account?: string;

  /** Milliseconds: when the edit happened. Orders edits of the same message. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
