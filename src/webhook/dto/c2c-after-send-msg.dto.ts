import { Equals, IsIn, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsInt32, IsMessageBody, IsStorableString, IsTimestamp, IsUint32 } from './validators.js';

/** `C2C.CallbackAfterSendMsg`: a one-to-one message was sent (or failed to be). */
export class C2CAfterSendMsgDto {
  @Equals('C2C.CallbackAfterSendMsg')
  CallbackCommand!: 'C2C.CallbackAfterSendMsg';

  @IsStorableString()
  From_Account!: string;

  @IsStorableString()
  To_Account!: string;

  @IsUint32()
  MsgSeq!: number;

  @IsUint32()
  MsgRandom!: number;

  /** Unix seconds. */
  @IsTimestamp()
  MsgTime!: number;

  @IsStorableString()
  MsgKey!: string;

  /** The client's own id for the message; not always sent. */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  MsgId?: string;

  @IsOptional()
  @IsIn([0, 1])
  OnlineOnlyFlag?: 0 | 1;

  /** 0 delivered; otherwise Tencent's error code. */
  @IsInt32()
  SendMsgResult!: number;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  ErrorInfo?: string;

  /** To_Account's total unread one-to-one count; -1 when the send failed. */
  @IsInt32(-1)
  UnreadMsgNum!: number;

  @IsMessageBody()
  MsgBody!: MessageBody;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  CloudCustomData?: string;
}
