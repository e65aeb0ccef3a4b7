import type { MessageBody } from '../events/message-body.js';
import { C2CBeforeSendMsgDto } from '../c2c/callbacks/c2c-before-send-msg.dto.js';
import { OfficialAccountBeforeAddSubscriberDto } from '../official-account/callbacks/official-account-before-add-subscriber.dto.js';
import { OfficialAccountBeforeCreateDto } from '../official-account/callbacks/official-account-before-create.dto.js';
import { OfficialAccountBeforeSendMsgDto } from '../official-account/callbacks/official-account-before-send-msg.dto.js';
import { toMillis } from '../webhook/dto/validators.js';
import type { AnyDecision, MessageDecision, PermissionDecision, SubscriberDecision } from './decision.js';
import {
  C2CBeforeSendMsgRequest,
  OfficialAccountBeforeAddSubscriberRequest,
  OfficialAccountBeforeCreateRequest,
  OfficialAccountBeforeSendMsgRequest,
  type BeforeCallbackContext,
} from './before-requests.js';

/** Each "before" command: the request its handlers get and the decisions they may return. */
export interface BeforeCallbackMap {
  'C2C.CallbackBeforeSendMsg': { request: C2CBeforeSendMsgRequest; decision: MessageDecision };
  'OfficialAccount.CallbackBeforeSendMsg': { request: OfficialAccountBeforeSendMsgRequest; decision: MessageDecision };
  'OfficialAccount.CallbackBeforeCreateOfficialAccount': { request: OfficialAccountBeforeCreateRequest; decision: PermissionDecision };
  'OfficialAccount.CallbackBeforeAddSubscriber': { request: OfficialAccountBeforeAddSubscriberRequest; decision: SubscriberDecision };
}

export type BeforeCommand = keyof BeforeCallbackMap;

/** What Tencent documents for a command's answer (protocol reference section 3). */
export interface BeforeCommandDefinition<Dto extends object = object> {
  readonly command: BeforeCommand;
  readonly dto: new () => Dto;
  /** Decision kinds the command accepts besides allow and block. */
  readonly accepts: readonly AnyDecision['kind'][];
  /** Custom block codes passed to the client, besides 1. */
  readonly customCodes?: { readonly min: number; readonly max: number };
  toRequest(callback: Dto, raw: Record<string, unknown>, context: BeforeCallbackContext): object;
}

const define = <Dto extends object>(definition: BeforeCommandDefinition<Dto>): BeforeCommandDefinition =>
  definition as unknown as BeforeCommandDefinition;

const MESSAGE_CUSTOM_CODES = { min: 120_001, max: 130_000 };

export const BEFORE_COMMANDS: readonly BeforeCommandDefinition[] = [
  define({
    command: 'C2C.CallbackBeforeSendMsg',
    dto: C2CBeforeSendMsgDto,
    accepts: ['allow', 'change', 'block', 'drop'],
    customCodes: MESSAGE_CUSTOM_CODES,
    toRequest: (c, raw, context) =>
      new C2CBeforeSendMsgRequest({
        from: c.From_Account,
        to: c.To_Account,
        msgKey: c.MsgKey,
        msgSeq: c.MsgSeq,
        msgRandom: c.MsgRandom,
        msgTime: c.MsgTime,
        onlineOnly: c.OnlineOnlyFlag === 1,
        body: raw.MsgBody as MessageBody,
        cloudCustomData: c.CloudCustomData ?? null,
        raw,
        context,
      }),
  }),
  define({
    command: 'OfficialAccount.CallbackBeforeSendMsg',
    dto: OfficialAccountBeforeSendMsgDto,
    accepts: ['allow', 'change', 'block', 'drop'],
    customCodes: MESSAGE_CUSTOM_CODES,
    toRequest: (c, raw, context) =>
      new OfficialAccountBeforeSendMsgRequest({
        officialAccount: c.Official_Account,
        onlineOnly: c.OnlineOnlyFlag === 1,
        body: raw.MsgBody as MessageBody,
        cloudCustomData: c.CloudCustomData ?? null,
        eventTime: toMillis(c.EventTime),
        raw,
        context,
      }),
  }),
  define({
    command: 'OfficialAccount.CallbackBeforeCreateOfficialAccount',
    dto: OfficialAccountBeforeCreateDto,
    accepts: ['allow', 'block'],
    customCodes: MESSAGE_CUSTOM_CODES,
    toRequest: (c, raw, context) =>
      new OfficialAccountBeforeCreateRequest({
        operator: c.Operator_Account,
        owner: c.Owner_Account,
        name: c.Name,
        eventTime: toMillis(c.EventTime),
        raw,
        context,
      }),
  }),
  define({
    command: 'OfficialAccount.CallbackBeforeAddSubscriber',
    dto: OfficialAccountBeforeAddSubscriberDto,
    accepts: ['allow', 'block', 'refuse-subscribers'],
    toRequest: (c, raw, context) =>
      new OfficialAccountBeforeAddSubscriberRequest({
        officialAccount: c.Official_Account,
        operator: c.Operator_Account,
        subscribers: c.SubscribeAccountList.map((s) => s.Subscriber_Account),
        eventTime: toMillis(c.EventTime),
        raw,
        context,
      }),
  }),
];
