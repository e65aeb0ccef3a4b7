import { Equals, IsIn, IsOptional } from 'class-validator';
import { C2CMessageDto } from './c2c-message.dto.js';
import { IsInt32, IsStorableString } from '../../webhook/dto/validators.js';

/** `C2C.CallbackAfterSendMsg`: a one-to-one message was sent (or failed to be). */
export class C2CAfterSendMsgDto extends C2CMessageDto {
  @Equals('C2C.CallbackAfterSendMsg')
  CallbackCommand!: 'C2C.CallbackAfterSendMsg';

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
}
