import { Equals } from 'class-validator';
import { OfficialAccountBroadcastDto } from './official-account-broadcast.dto.js';
import { IsStorableString, IsTimestamp } from '../../webhook/dto/validators.js';

/** `OfficialAccount.CallbackAfterSendMsg`: an Official Account broadcast was delivered. */
export class OfficialAccountAfterSendMsgDto extends OfficialAccountBroadcastDto {
  @Equals('OfficialAccount.CallbackAfterSendMsg')
  CallbackCommand!: 'OfficialAccount.CallbackAfterSendMsg';

  @IsStorableString()
  MsgKey!: string;

  /** Unix seconds. */
  @IsTimestamp()
  MsgTime!: number;
}
