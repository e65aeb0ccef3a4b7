import { Equals, IsIn, IsString, IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsListOf, IsSequence, IsStorableString } from '../../webhook/dto/validators.js';

export class ExtensionItemDto {
  @IsStorableString()
  Key!: string;

  /** Empty for a delete. */
  @IsString()
  @IsStorableString({ allowEmpty: true })
  Value!: string;

  @IsSequence()
  Seq!: number;
}

export const EXTENSION_OPERATE_TYPES = { set: 1, delete: 2, clear: 3 } as const;

/** `C2C.CallbackAfterC2CMsgExtension`: a message's extension keys were set, deleted or cleared. */
export class C2CAfterMsgExtensionDto {
  @Equals('C2C.CallbackAfterC2CMsgExtension')
  CallbackCommand!: 'C2C.CallbackAfterC2CMsgExtension';

  /** Who made the change. */
  @IsStorableString()
  From_Account!: string;

  @IsStorableString()
  To_Account!: string;

  @IsStorableString()
  MsgKey!: string;

  /** 1 set, 2 delete, 3 clear all. */
  @IsIn([1, 2, 3])
  OperateType!: 1 | 2 | 3;

  @IsListOf(() => ExtensionItemDto)
  ExtensionList!: ExtensionItemDto[];

  /** The message's extension version after this change. */
  @IsSequence()
  Seq!: number;

  /** Milliseconds. */
  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
