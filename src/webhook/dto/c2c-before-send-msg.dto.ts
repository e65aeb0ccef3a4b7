import { Equals, IsIn, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsMessageBody, IsStorableString, IsTimestamp, IsUint32 } from './validators.js';

/** `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be sent; the answer decides. */
export class C2CBeforeSendMsgDto {
  @Equals('C2C.CallbackBeforeSendMsg')
  CallbackCommand!: 'C2C.CallbackBeforeSendMsg';

  @IsStorableString()
  From_Account!: string;

  @IsStorableString()
  To_Account!: string;

  @IsUint32()
  MsgSeq!: number;

  @IsUint32()
  MsgRandom!: number;

  @IsTimestamp()
  MsgTime!: number;

  @IsStorableString()
  MsgKey!: string;

  @IsOptional()
  @IsIn([0, 1])
  OnlineOnlyFlag?: 0 | 1;

  @IsMessageBody()
  MsgBody!: MessageBody;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  CloudCustomData?: string;
}
