import type { BeforeCallbackContext } from '../decisions/before-requests.js';
import type { MessageBody } from '../events/message-body.js';

// What `@OnBeforeCallback` handlers of the group "before" commands receive. `eventTime` is
// milliseconds, null when Tencent did not send it.

/** `Group.CallbackBeforeSendMsg`. `body` and `cloudCustomData` include the changes of handlers that ran before. */
export class GroupBeforeSendMsgRequest {
  readonly groupId!: string;
  readonly type!: string | null;
  /** The Community topic; null for a message of the group itself. */
  readonly topicId!: string | null;
  readonly from!: string;
  /** Differs from `from` when an admin sends on someone's behalf. */
  readonly operator!: string | null;
  readonly msgRandom!: number | null;
  readonly onlineOnly!: boolean;
  readonly body!: MessageBody;
  readonly cloudCustomData!: string | null;
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof GroupBeforeSendMsgRequest]: GroupBeforeSendMsgRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `Group.CallbackBeforeCreateGroup`: the group has no id yet. */
export class GroupBeforeCreateGroupRequest {
  readonly operator!: string;
  readonly owner!: string | null;
  readonly type!: string | null;
  readonly name!: string | null;
  /** Groups of this type the requester has already created. */
  readonly createdGroupCount!: number | null;
  readonly members!: readonly string[];
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof GroupBeforeCreateGroupRequest]: GroupBeforeCreateGroupRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `Group.CallbackBeforeApplyJoinGroup`. Allowing does not skip admin approval where the group needs it. */
export class GroupBeforeApplyJoinGroupRequest {
  readonly groupId!: string;
  readonly type!: string | null;
  readonly requestor!: string;
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof GroupBeforeApplyJoinGroupRequest]: GroupBeforeApplyJoinGroupRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `Group.CallbackBeforeInviteJoinGroup`. Answer `Decision.refuseMembers([...])` to keep some invitees out. */
export class GroupBeforeInviteJoinGroupRequest {
  readonly groupId!: string;
  readonly type!: string | null;
  /** The inviter. */
  readonly operator!: string | null;
  /** `DestinationMembers`: the users to be added. */
  readonly invitees!: readonly string[];
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof GroupBeforeInviteJoinGroupRequest]: GroupBeforeInviteJoinGroupRequest[K] }) {
    Object.assign(this, fields);
  }
}

/** `Group.CallbackBeforeCreateTopic`. The community (`groupId`) is not documented: null unless Tencent sends it. */
export class GroupBeforeCreateTopicRequest {
  readonly groupId!: string | null;
  readonly operator!: string | null;
  readonly type!: string | null;
  readonly name!: string | null;
  readonly eventTime!: number | null;
  readonly raw!: Record<string, unknown>;
  readonly context!: BeforeCallbackContext;

  constructor(fields: { [K in keyof GroupBeforeCreateTopicRequest]: GroupBeforeCreateTopicRequest[K] }) {
    Object.assign(this, fields);
  }
}
