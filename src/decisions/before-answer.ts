import type { MessageBody } from '../events/message-body.js';

/** Tencent's answer to a "before" callback: the envelope plus what the decision changes. */
export interface BeforeAnswer {
  ActionStatus: 'OK';
  ErrorCode: number;
  ErrorInfo: string;
  MsgBody?: MessageBody;
  CloudCustomData?: string;
  RefusedSubscribers_Account?: string[];
  /** Group.CallbackBeforeInviteJoinGroup: the invitees not added (the others are). */
  RefusedMembers_Account?: string[];
}
