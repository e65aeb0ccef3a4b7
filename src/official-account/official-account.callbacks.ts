import { createHash } from 'node:crypto';
import { defineBeforeCommand, MESSAGE_CUSTOM_CODES } from '../decisions/before-commands.js';
import type { MessageDecision, PermissionDecision, SubscriberDecision } from '../decisions/decision.js';
import type { CallbackMetadata } from '../events/callback-metadata.js';
import type { MessageBody } from '../events/message-body.js';
import { dedupeKeyOf, defineCommand, timed, timePart } from '../webhook/commands/callback-command.js';
import { defineCallbackFamily } from '../webhook/commands/callback-family.js';
import { toMillis } from '../webhook/dto/validators.js';
import { OfficialAccountAfterMsgWithdrawDto } from './callbacks/official-account-after-msg-withdraw.dto.js';
import {
  OfficialAccountAfterCreateDto,
  OfficialAccountAfterDestroyedDto,
  OfficialAccountAfterFullDto,
  OfficialAccountAfterInfoChangedDto,
} from './callbacks/official-account-after-profile.dto.js';
import { OfficialAccountAfterSendMsgDto } from './callbacks/official-account-after-send-msg.dto.js';
import { OfficialAccountAfterAddSubscriberDto, OfficialAccountAfterDeleteSubscriberDto } from './callbacks/official-account-after-subscribers.dto.js';
import { OfficialAccountBeforeAddSubscriberDto } from './callbacks/official-account-before-add-subscriber.dto.js';
import { OfficialAccountBeforeCreateDto } from './callbacks/official-account-before-create.dto.js';
import { OfficialAccountBeforeSendMsgDto } from './callbacks/official-account-before-send-msg.dto.js';
import { OfficialAccountCreatedEvent } from './events/official-account-created.event.js';
import { OfficialAccountDestroyedEvent } from './events/official-account-destroyed.event.js';
import { OfficialAccountFullEvent } from './events/official-account-full.event.js';
import { OfficialAccountMessageRecalledEvent } from './events/official-account-message-recalled.event.js';
import { OfficialAccountMessageSentEvent } from './events/official-account-message-sent.event.js';
import {
  OfficialAccountSubscribersAddedEvent,
  OfficialAccountSubscribersRemovedEvent,
  type OfficialAccountSubscribersFields,
} from './events/official-account-subscribers-changed.event.js';
import { OfficialAccountUpdatedEvent, type OfficialAccountProfileChanges } from './events/official-account-updated.event.js';
import {
  OfficialAccountBeforeAddSubscriberRequest,
  OfficialAccountBeforeCreateRequest,
  OfficialAccountBeforeSendMsgRequest,
} from './official-account-before.requests.js';

declare module '../decisions/before-commands.js' {
  interface BeforeCallbackMap {
    'OfficialAccount.CallbackBeforeSendMsg': { request: OfficialAccountBeforeSendMsgRequest; decision: MessageDecision };
    'OfficialAccount.CallbackBeforeCreateOfficialAccount': { request: OfficialAccountBeforeCreateRequest; decision: PermissionDecision };
    'OfficialAccount.CallbackBeforeAddSubscriber': { request: OfficialAccountBeforeAddSubscriberRequest; decision: SubscriberDecision };
  }
}

/**
 * A set of ids (subscribers, recalled MsgKeys) as one short dedupe-key part: the same set in any
 * order gives the same digest, and a long list cannot outgrow the inbox's unique index.
 */
const setDigest = (ids: string[]): string =>
  createHash('sha256')
    .update(JSON.stringify([...new Set(ids)].sort()))
    .digest('hex');

const subscribersOf = (
  c: OfficialAccountAfterAddSubscriberDto | OfficialAccountAfterDeleteSubscriberDto,
  raw: Record<string, unknown>,
  metadata: CallbackMetadata,
): OfficialAccountSubscribersFields => ({
  officialAccount: c.Official_Account,
  operator: c.Operator_Account ?? null,
  subscribers: c.SubscribeAccountList.map((s) => s.Subscriber_Account),
  ...timed(c.EventTime, metadata),
  raw,
});

const subscribersDedupeKey = (c: OfficialAccountAfterAddSubscriberDto | OfficialAccountAfterDeleteSubscriberDto, receivedAt: Date): string =>
  dedupeKeyOf(c.CallbackCommand, c.Official_Account, timePart(c.EventTime, receivedAt), setDigest(c.SubscribeAccountList.map((s) => s.Subscriber_Account)));

/** Official Accounts: messages, profile, subscribers, recalls, and the three "before" decisions. */
export const OFFICIAL_ACCOUNT_CALLBACKS = defineCallbackFamily({
  name: 'official-account',
  commands: [
    defineCommand({
      command: 'OfficialAccount.CallbackAfterSendMsg',
      dto: OfficialAccountAfterSendMsgDto,
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.Official_Account, c.MsgKey),
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountMessageSentEvent.eventName,
        payload: new OfficialAccountMessageSentEvent({
          officialAccount: c.Official_Account,
          msgKey: c.MsgKey,
          msgTime: c.MsgTime,
          onlineOnly: c.OnlineOnlyFlag === 1,
          body: raw.MsgBody as OfficialAccountMessageSentEvent['body'],
          cloudCustomData: c.CloudCustomData ?? null,
          eventTime: toMillis(c.EventTime),
          raw,
          metadata,
        }),
      }),
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterCreateOfficialAccount',
      dto: OfficialAccountAfterCreateDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Official_Account, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountCreatedEvent.eventName,
        payload: new OfficialAccountCreatedEvent({
          officialAccount: c.Official_Account,
          operator: c.Operator_Account ?? null,
          owner: c.Owner_Account,
          name: c.Name,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterOfficialAccountInfoChanged',
      dto: OfficialAccountAfterInfoChangedDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Official_Account, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => {
        const changes: { -readonly [K in keyof OfficialAccountProfileChanges]: OfficialAccountProfileChanges[K] } = {};
        if (c.Name !== undefined) changes.name = c.Name;
        if (c.FaceUrl !== undefined) changes.faceUrl = c.FaceUrl;
        if (c.Introduction !== undefined) changes.introduction = c.Introduction;
        if (c.Organization !== undefined) changes.organization = c.Organization;
        return {
          name: OfficialAccountUpdatedEvent.eventName,
          payload: new OfficialAccountUpdatedEvent({
            officialAccount: c.Official_Account,
            operator: c.Operator_Account ?? null,
            changes,
            ...timed(c.EventTime, metadata),
            raw,
          }),
        };
      },
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterOfficialAccountDestroyed',
      dto: OfficialAccountAfterDestroyedDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Official_Account, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountDestroyedEvent.eventName,
        payload: new OfficialAccountDestroyedEvent({
          officialAccount: c.Official_Account,
          owner: c.Owner_Account ?? null,
          name: c.Name ?? null,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterOfficialAccountFull',
      dto: OfficialAccountAfterFullDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Official_Account, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountFullEvent.eventName,
        payload: new OfficialAccountFullEvent({ officialAccount: c.Official_Account, ...timed(c.EventTime, metadata), raw }),
      }),
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterAddSubscriber',
      dto: OfficialAccountAfterAddSubscriberDto,
      dedupeKey: subscribersDedupeKey,
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountSubscribersAddedEvent.eventName,
        payload: new OfficialAccountSubscribersAddedEvent(subscribersOf(c, raw, metadata)),
      }),
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterDeleteSubscriber',
      dto: OfficialAccountAfterDeleteSubscriberDto,
      dedupeKey: subscribersDedupeKey,
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountSubscribersRemovedEvent.eventName,
        payload: new OfficialAccountSubscribersRemovedEvent(subscribersOf(c, raw, metadata)),
      }),
    }),
    defineCommand({
      command: 'OfficialAccount.CallbackAfterMsgWithDraw',
      dto: OfficialAccountAfterMsgWithdrawDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Official_Account, timePart(c.EventTime, receivedAt), setDigest(c.WithdrawMsgList.map((m) => m.MsgKey))),
      toEvent: (c, raw, metadata) => ({
        name: OfficialAccountMessageRecalledEvent.eventName,
        payload: new OfficialAccountMessageRecalledEvent({
          officialAccount: c.Official_Account,
          msgKeys: c.WithdrawMsgList.map((m) => m.MsgKey),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
  ],
  beforeCommands: [
    defineBeforeCommand({
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
    defineBeforeCommand({
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
    defineBeforeCommand({
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
  ],
  events: [
    OfficialAccountMessageSentEvent,
    OfficialAccountMessageRecalledEvent,
    OfficialAccountCreatedEvent,
    OfficialAccountUpdatedEvent,
    OfficialAccountDestroyedEvent,
    OfficialAccountFullEvent,
    OfficialAccountSubscribersAddedEvent,
    OfficialAccountSubscribersRemovedEvent,
  ],
});
