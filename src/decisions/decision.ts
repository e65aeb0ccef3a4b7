import type { MessageBody } from '../events/message-body.js';

// What a "before" callback handler answers. Return one of these (or nothing, meaning allow).

export interface AllowDecision {
  readonly kind: 'allow';
}
/** Allow, delivering a changed message (send commands only). */
export interface ChangeDecision {
  readonly kind: 'change';
  readonly msgBody?: MessageBody;
  readonly cloudCustomData?: string;
}
/** Refuse: code 1, or a custom code of the command's range, passed to the client with `message`. */
export interface BlockDecision {
  readonly kind: 'block';
  readonly code: number;
  readonly message: string;
}
/** Drop silently: the sender sees success, nobody receives it (send commands only). */
export interface DropDecision {
  readonly kind: 'drop';
}
/** Let the request through but refuse these users (OfficialAccount.CallbackBeforeAddSubscriber only). */
export interface RefuseSubscribersDecision {
  readonly kind: 'refuse-subscribers';
  readonly userIds: readonly string[];
}

/** Let the request through but keep these invitees out (Group.CallbackBeforeInviteJoinGroup only). */
export interface RefuseMembersDecision {
  readonly kind: 'refuse-members';
  readonly userIds: readonly string[];
}

export type MessageDecision = AllowDecision | ChangeDecision | BlockDecision | DropDecision;
export type PermissionDecision = AllowDecision | BlockDecision;
export type SubscriberDecision = AllowDecision | BlockDecision | RefuseSubscribersDecision;
export type InviteDecision = AllowDecision | BlockDecision | RefuseMembersDecision;
export type AnyDecision = AllowDecision | ChangeDecision | BlockDecision | DropDecision | RefuseSubscribersDecision | RefuseMembersDecision;

export const Decision = {
  allow: (): AllowDecision => ({ kind: 'allow' }),
  change: (changes: { msgBody?: MessageBody; cloudCustomData?: string }): ChangeDecision => ({ kind: 'change', ...changes }),
  block: (options: { code?: number; message?: string } = {}): BlockDecision => ({
    kind: 'block',
    code: options.code ?? 1,
    message: options.message ?? '',
  }),
  drop: (): DropDecision => ({ kind: 'drop' }),
  refuseSubscribers: (userIds: readonly string[]): RefuseSubscribersDecision => ({ kind: 'refuse-subscribers', userIds: [...userIds] }),
  refuseMembers: (userIds: readonly string[]): RefuseMembersDecision => ({ kind: 'refuse-members', userIds: [...userIds] }),
} as const;
