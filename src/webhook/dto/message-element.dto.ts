import { IsObject, IsString, MinLength } from 'class-validator';

/**
 * One `MsgBody` element. Only the envelope is checked: the body is kept exactly as received and
 * an element type this project does not know (an open set) is never a reason to reject.
 */
export class MessageElementDto {
  @IsString()
  @MinLength(1)
  MsgType!: string;

  @IsObject()
  MsgContent!: Record<string, unknown>;
}
