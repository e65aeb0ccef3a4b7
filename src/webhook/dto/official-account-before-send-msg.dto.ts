import { Equals, IsIn, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsIntegerOrNumericString, IsMessageBody, IsStorableString } from './validators.js';

/** `OfficialAccount.CallbackBeforeSendMsg`: an Official Account broadcast is about to be sent. */
export class OfficialAccountBeforeSendMsgDto {
  @Equals('OfficialAccount.CallbackBeforeSendMsg')
  CallbackCommand!: 'OfficialAccount.CallbackBeforeSendMsg';

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

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
