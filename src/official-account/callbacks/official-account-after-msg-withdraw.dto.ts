import { ArrayNotEmpty, Equals, IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsListOf, IsStorableString } from '../../webhook/dto/validators.js';

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

  @IsListOf(() => WithdrawnMessageDto)
  @ArrayNotEmpty()
  WithdrawMsgList!: WithdrawnMessageDto[];

  /** Milliseconds: when they were recalled. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
