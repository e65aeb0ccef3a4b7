import { ArrayNotEmpty, Equals, IsIn, IsOptional } from 'class-validator';
import type { MessageBody } from '../../events/message-body.js';
import { IsInt32, IsListOf, IsMessageBody, IsSequence, IsStorableString, IsTimestamp, IsUint32 } from '../../webhook/dto/validators.js';
import { GroupCallbackDto, GroupMemberEntryDto } from './group-common.dto.js';

// Group messages (protocol reference 3.8, 3.13, 3.14, 3.21, 3.24; section 4).

/** What a group message carries before and after it is sent (`From_Account`, `Random`, body, topic). */
export abstract class GroupMessageDto extends GroupCallbackDto {
  /** The sender. */
  @IsStorableString()
  From_Account!: string;

  /** Present when the message is in a Community topic; a message without one belongs to the group itself. */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  TopicId?: string;

  /** 1 online-only (not stored); always 0 for AVChatRoom; absent for `Live`. */
  @IsOptional()
  @IsIn([0, 1])
  OnlineOnlyFlag?: 0 | 1;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  CloudCustomData?: string;
}

/** `Group.CallbackAfterSendMsg`: a group message was sent (success only). */
export class GroupAfterSendMsgDto extends GroupMessageDto {
  @Equals('Group.CallbackAfterSendMsg')
  CallbackCommand!: 'Group.CallbackAfterSendMsg';

  /** Identifies the message within (GroupId, TopicId); larger is later. */
  @IsUint32()
  MsgSeq!: number;

  /** The sender's 32-bit random. */
  @IsOptional()
  @IsUint32()
  Random?: number;

  /** Server send time, seconds. */
  @IsTimestamp()
  MsgTime!: number;

  @IsMessageBody()
  MsgBody!: MessageBody;

  /** The client's own message id, sent by TRTC Live rooms (`Type: "Live"`). */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  MsgId?: string;
}

/** `Group.CallbackSendMsgException`: a group message could not be sent. Its ErrorCode/ErrorInfo describe the failure. */
export class GroupSendMsgExceptionDto extends GroupMessageDto {
  @Equals('Group.CallbackSendMsgException')
  CallbackCommand!: 'Group.CallbackSendMsgException';

  @IsUint32()
  Random!: number;

  /** Why it failed (a Chat error code). */
  @IsInt32()
  ErrorCode!: number;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  ErrorInfo?: string;

  @IsOptional()
  @IsMessageBody()
  MsgBody?: MessageBody;
}

export class RecalledGroupMessageDto {
  @IsUint32()
  MsgSeq!: number;
}

/** `Group.CallbackAfterRecallMsg`: up to 10 messages recalled at once. */
export class GroupAfterRecallMsgDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterRecallMsg')
  CallbackCommand!: 'Group.CallbackAfterRecallMsg';

  @IsListOf(() => RecalledGroupMessageDto)
  @ArrayNotEmpty()
  MsgSeqList!: RecalledGroupMessageDto[];

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  TopicId?: string;
}

export class GroupExtensionItemDto {
  @IsStorableString()
  Key!: string;

  /** Empty for a delete. */
  @IsStorableString({ allowEmpty: true })
  Value!: string;

  @IsSequence()
  Seq!: number;
}

/** `Group.CallbackAfterGroupMsgExtension`: a message's extension keys were set, deleted or cleared. */
export class GroupAfterGroupMsgExtensionDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterGroupMsgExtension')
  CallbackCommand!: 'Group.CallbackAfterGroupMsgExtension';

  @IsUint32()
  MsgSeq!: number;

  /** 1 set, 2 delete, 3 clear all. */
  @IsIn([1, 2, 3])
  OperateType!: 1 | 2 | 3;

  /** Empty for a clear. */
  @IsListOf(() => GroupExtensionItemDto)
  ExtensionList!: GroupExtensionItemDto[];

  /** The message's extension version after this change. */
  @IsSequence()
  Seq!: number;
}

export class GroupMsgReceiptDto {
  @IsUint32()
  MsgSeq!: number;

  /** Members who have read the message; only grows (our reading). */
  @IsInt32(0)
  ReadNum!: number;

  @IsOptional()
  @IsInt32(0)
  UnreadNum?: number;

  /** Who read it, in this event. */
  @IsOptional()
  @IsListOf(() => GroupMemberEntryDto)
  ReadReceiptMembers?: GroupMemberEntryDto[];
}

/** `Group.CallbackAfterReadReceipt`: members acknowledged messages as read. */
export class GroupAfterReadReceiptDto extends GroupCallbackDto {
  @Equals('Group.CallbackAfterReadReceipt')
  CallbackCommand!: 'Group.CallbackAfterReadReceipt';

  @IsListOf(() => GroupMsgReceiptDto)
  @ArrayNotEmpty()
  GroupMsgReceiptList!: GroupMsgReceiptDto[];
}
