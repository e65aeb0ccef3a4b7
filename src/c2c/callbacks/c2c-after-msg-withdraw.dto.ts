import { Equals, IsOptional } from 'class-validator';
import { IsInt32, IsIntegerOrNumericString, IsStorableString } from '../../webhook/dto/validators.js';

/** `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled. */
export class C2CAfterMsgWithdrawDto {
  @Equals('C2C.CallbackAfterMsgWithDraw')
  CallbackCommand!: 'C2C.CallbackAfterMsgWithDraw';

  /** The sender of the recalled message. */
  @IsStorableString()
  From_Account!: string;

  @IsStorableString()
  To_Account!: string;

  /** The recalled message. */
  @IsStorableString()
  MsgKey!: string;

  /** To_Account's total unread one-to-one count after the recall; carried by the event only. */
  @IsOptional()
  @IsInt32(-1)
  UnreadMsgNum?: number;

  /** Milliseconds; not in Tencent's field table, used when sent. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
