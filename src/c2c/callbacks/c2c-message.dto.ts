import { IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsMessageBody, IsStorableString, IsTimestamp, IsUint32 } from '../../webhook/dto/validators.js';

/** The fields that identify and carry a one-to-one message, shared by the send, before-send and edit callbacks. */
export abstract class C2CMessageDto {
  /** The sender. */
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

  /** `MsgSeq_MsgRandom_MsgTime`; unique within the conversation. */
  @IsStorableString()
  MsgKey!: string;

  @IsMessageBody()
  MsgBody!: MessageBody;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  CloudCustomData?: string;
}
