import { Type } from 'class-transformer';
import { ArrayNotEmpty, Equals, IsArray, ValidateNested } from 'class-validator';
import { IsIntegerOrNumericString, IsStorableString } from './validators.js';

export class WithdrawnMessageDto {
  @IsStorableString()
  MsgKey!: string;
}

/** `OfficialAccount.CallbackAfterMsgWithDraw`: Official Account messages were recalled. */
export class OfficialAccountAfterMsgWithdrawDto {
  @Equals('OfficialAccount.CallbackAfterMsgWithDraw')
  CallbackCommand!: 'OfficialAccount.CallbackAfterMsgWithDraw';

  @IsStorableString()
  Official_Account!: string;

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => WithdrawnMessageDto)
  WithdrawMsgList!: WithdrawnMessageDto[];

  /** Milliseconds: when they were recalled. */
  @IsIntegerOrNumericString()
  EventTime!: number | string;
}
