import { Equals, IsIn, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsIntegerOrNumericString, IsMessageBody, IsStorableString, IsTimestamp } from './validators.js';

/** `OfficialAccount.CallbackAfterSendMsg`: an Official Account broadcast was delivered. */
export class OfficialAccountAfterSendMsgDto {
  @Equals('OfficialAccount.CallbackAfterSendMsg')
  CallbackCommand!: 'OfficialAccount.CallbackAfterSendMsg';

  @IsStorableString()
  Official_Account!: string;

  @IsStorableString()
  MsgKey!: string;

  /** Unix seconds. */
  @IsTimestamp()
  MsgTime!: number;

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
