import { Equals } from 'class-validator';
import { IsInt32, IsStorableString, IsTimestamp } from '../../webhook/dto/validators.js';

/** `C2C.CallbackAfterMsgReport`: a user read a one-to-one conversation up to a time. */
export class C2CAfterMsgReportDto {
  @Equals('C2C.CallbackAfterMsgReport')
  CallbackCommand!: 'C2C.CallbackAfterMsgReport';

  /** The reader. */
  @IsStorableString()
  Report_Account!: string;

  @IsStorableString()
  Peer_Account!: string;

  /** Unix seconds: every message of the conversation up to this time is read. */
  @IsTimestamp()
  LastReadTime!: number;

  /** Report_Account's total unread one-to-one count. */
  @IsInt32(0)
  UnreadMsgNum!: number;
}
