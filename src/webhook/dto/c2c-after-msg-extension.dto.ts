import { Type } from 'class-transformer';
import { Equals, IsArray, IsIn, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { IsIntegerOrNumericString, IsStorableString } from './validators.js';

export class ExtensionItemDto {
  @IsStorableString()
  Key!: string;

  /** Empty for a delete. */
  @IsString()
  @IsStorableString({ allowEmpty: true })
  Value!: string;

  @IsInt()
  @Min(0)
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

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExtensionItemDto)
  ExtensionList!: ExtensionItemDto[];

  /** The message's extension version after this change. */
  @IsInt()
  @Min(0)
  Seq!: number;

  /** Milliseconds. */
  @IsIntegerOrNumericString()
  EventTime!: number | string;
}
