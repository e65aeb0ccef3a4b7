import { Equals, IsIn, IsOptional } from 'class-validator';
import { C2CMessageDto } from './c2c-message.dto.js';

/** `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be sent; the answer decides. */
export class C2CBeforeSendMsgDto extends C2CMessageDto {
  @Equals('C2C.CallbackBeforeSendMsg')
  CallbackCommand!: 'C2C.CallbackBeforeSendMsg';

  @IsOptional()
  @IsIn([0, 1])
  OnlineOnlyFlag?: 0 | 1;
}
