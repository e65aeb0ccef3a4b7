import { Equals, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsIntegerOrNumericString, IsMessageBody, IsStorableString, IsTimestamp, IsUint32 } from './validators.js';

/** `C2C.CallbackAfterModifyMsg`: a one-to-one message was edited; it carries the message as it now is. */
export class C2CAfterModifyMsgDto {
  @Equals('C2C.CallbackAfterModifyMsg')
  CallbackCommand!: 'C2C.CallbackAfterModifyMsg';

  /** Who edited it. */
  @IsOptional()
  @IsStorableString()
  Operator_Account?: string;

  /** The sender of the message. */
  @IsStorableString()
  From_Account!: string;

  @IsStorableString()
  To_Account!: string;

  @IsUint32()
  MsgSeq!: number;

  @IsUint32()
  MsgRandom!: number;

  /** Unix seconds: when the message was sent. */
  @IsTimestamp()
  MsgTime!: number;

  @IsStorableString()
  MsgKey!: string;

  /** The new body. */
  @IsMessageBody()
  MsgBody!: MessageBody;

  /** The new CloudCustomData; absent when the edited message has none. */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  CloudCustomData?: string;

  /** Milliseconds: when the edit happened. Orders edits of the same message. */
  @IsIntegerOrNumericString()
  EventTime!: number | string;
}
