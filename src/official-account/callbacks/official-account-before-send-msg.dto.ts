import { Equals } from 'class-validator';
import { OfficialAccountBroadcastDto } from './official-account-broadcast.dto.js';

/** `OfficialAccount.CallbackBeforeSendMsg`: an Official Account broadcast is about to be sent. */
export class OfficialAccountBeforeSendMsgDto extends OfficialAccountBroadcastDto {
  @Equals('OfficialAccount.CallbackBeforeSendMsg')
  CallbackCommand!: 'OfficialAccount.CallbackBeforeSendMsg';
}
