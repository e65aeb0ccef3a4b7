import { createHash } from 'node:crypto';
import { conversationOf } from '../../common/conversation.js';
import { C2CConversationReadEvent } from '../../c2c/events/c2c-conversation-read.event.js';
import { C2CMessageEditedEvent } from '../../c2c/events/c2c-message-edited.event.js';
import { C2CMessageExtensionChangedEvent, type ExtensionOperation } from '../../c2c/events/c2c-message-extension-changed.event.js';
import { C2CMessageRecalledEvent } from '../../c2c/events/c2c-message-recalled.event.js';
import { C2CMessageSendFailedEvent } from '../../c2c/events/c2c-message-send-failed.event.js';
import { C2CMessageSentEvent, type C2CMessageFields } from '../../c2c/events/c2c-message-sent.event.js';
import { OfficialAccountCreatedEvent } from '../../official-account/events/official-account-created.event.js';
import { OfficialAccountDestroyedEvent } from '../../official-account/events/official-account-destroyed.event.js';
import { OfficialAccountFullEvent } from '../../official-account/events/official-account-full.event.js';
import { OfficialAccountMessageRecalledEvent } from '../../official-account/events/official-account-message-recalled.event.js';
import { OfficialAccountMessageSentEvent } from '../../official-account/events/official-account-message-sent.event.js';
import {
  OfficialAccountSubscribersAddedEvent,
  OfficialAccountSubscribersRemovedEvent,
  type OfficialAccountSubscribersFields,
} from '../../official-account/events/official-account-subscribers-changed.event.js';
import { OfficialAccountUpdatedEvent, type OfficialAccountProfileChanges } from '../../official-account/events/official-account-updated.event.js';
import { UserStateChangedEvent } from '../../presence/events/user-state-changed.event.js';
import type { CallbackMetadata } from '../../events/callback-metadata.js';
import { C2CAfterModifyMsgDto } from '../../c2c/callbacks/c2c-after-modify-msg.dto.js';
import { C2CAfterMsgExtensionDto } from '../../c2c/callbacks/c2c-after-msg-extension.dto.js';
import { C2CAfterMsgReportDto } from '../../c2c/callbacks/c2c-after-msg-report.dto.js';
import { C2CAfterMsgWithdrawDto } from '../../c2c/callbacks/c2c-after-msg-withdraw.dto.js';
import { C2CAfterSendMsgDto } from '../../c2c/callbacks/c2c-after-send-msg.dto.js';
import {
  OfficialAccountAfterCreateDto,
  OfficialAccountAfterDestroyedDto,
  OfficialAccountAfterFullDto,
  OfficialAccountAfterInfoChangedDto,
} from '../../official-account/callbacks/official-account-after-profile.dto.js';
import { OfficialAccountAfterMsgWithdrawDto } from '../../official-account/callbacks/official-account-after-msg-withdraw.dto.js';
import { OfficialAccountAfterSendMsgDto } from '../../official-account/callbacks/official-account-after-send-msg.dto.js';
import { OfficialAccountAfterAddSubscriberDto, OfficialAccountAfterDeleteSubscriberDto } from '../../official-account/callbacks/official-account-after-subscribers.dto.js';
import { StateChangeDto } from '../../presence/callbacks/state-change.dto.js';
import { toMillis } from '../dto/validators.js';
import { dedupeKeyOf, defineCommand, timed, timePart } from './callback-command.js';

const recalledAtOf = ({ eventTime, metadata }: { eventTime: number; metadata: CallbackMetadata }) => ({ recalledAt: eventTime, metadata });

const OPERATIONS: Record<C2CAfterMsgExtensionDto['OperateType'], ExtensionOperation> = { 1: 'set', 2: 'delete', 3: 'clear' };

const conversationKey = (from: string, to: string): [string, string] => {
  const { userA, userB } = conversationOf(from, to);
  return [userA, userB];
};

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

/** The registry: CallbackCommand -> DTO, dedupe key, domain event. */
export const CALLBACK_COMMANDS = [
  defineCommand({
    command: 'C2C.CallbackAfterSendMsg',
    dto: C2CAfterSendMsgDto,
    dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, ...conversationKey(c.From_Account, c.To_Account), c.MsgKey),
    toEvent: (c, raw, metadata) => {
      const fields: C2CMessageFields = {
        from: c.From_Account,
        to: c.To_Account,
        msgKey: c.MsgKey,
        msgSeq: c.MsgSeq,
        msgRandom: c.MsgRandom,
        msgTime: c.MsgTime,
        msgId: c.MsgId ?? null,
        onlineOnly: c.OnlineOnlyFlag === 1,
        sendMsgResult: c.SendMsgResult,
        errorInfo: c.ErrorInfo ?? null,
        unreadMsgNum: c.UnreadMsgNum,
        body: raw.MsgBody as C2CMessageFields['body'],
        cloudCustomData: c.CloudCustomData ?? null,
        raw,
        metadata,
      };
      return c.SendMsgResult === 0
        ? { name: C2CMessageSentEvent.eventName, payload: new C2CMessageSentEvent(fields) }
        : { name: C2CMessageSendFailedEvent.eventName, payload: new C2CMessageSendFailedEvent(fields) };
    },
  }),
  defineCommand({
    command: 'C2C.CallbackAfterC2CMsgExtension',
    dto: C2CAfterMsgExtensionDto,
    dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, ...conversationKey(c.From_Account, c.To_Account), c.MsgKey, c.Seq),
    toEvent: (c, raw, metadata) => ({
      name: C2CMessageExtensionChangedEvent.eventName,
      payload: new C2CMessageExtensionChangedEvent({
        from: c.From_Account,
        to: c.To_Account,
        msgKey: c.MsgKey,
        operation: OPERATIONS[c.OperateType],
        items: c.ExtensionList.map((item) => ({ key: item.Key, value: item.Value, seq: item.Seq })),
        seq: c.Seq,
        ...timed(c.EventTime, metadata),
        raw,
      }),
    }),
  }),
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
    command: 'C2C.CallbackAfterMsgReport',
    dto: C2CAfterMsgReportDto,
    // The reader's read position in one conversation; the conversation is directed (reader, peer).
    dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.Report_Account, c.Peer_Account, c.LastReadTime),
    toEvent: (c, raw, metadata) => ({
      name: C2CConversationReadEvent.eventName,
      payload: new C2CConversationReadEvent({
        reader: c.Report_Account,
        peer: c.Peer_Account,
        lastReadTime: c.LastReadTime,
        unreadMsgNum: c.UnreadMsgNum,
        raw,
        metadata,
      }),
    }),
  }),
  defineCommand({
    command: 'C2C.CallbackAfterMsgWithDraw',
    dto: C2CAfterMsgWithdrawDto,
    // A message is recalled once.
    dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, ...conversationKey(c.From_Account, c.To_Account), c.MsgKey),
    toEvent: (c, raw, metadata) => ({
      name: C2CMessageRecalledEvent.eventName,
      payload: new C2CMessageRecalledEvent({
        from: c.From_Account,
        to: c.To_Account,
        msgKey: c.MsgKey,
        unreadMsgNum: c.UnreadMsgNum ?? null,
        // Stable across retries and replays: the inbox row's receipt time, not the dispatch time.
        ...recalledAtOf(timed(c.EventTime, metadata)),
        raw,
      }),
    }),
  }),
  defineCommand({
    command: 'C2C.CallbackAfterModifyMsg',
    dto: C2CAfterModifyMsgDto,
    // Each edit of a message is its own fact, told apart by when it happened.
    dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, ...conversationKey(c.From_Account, c.To_Account), c.MsgKey, timePart(c.EventTime, receivedAt)),
    toEvent: (c, raw, metadata) => ({
      name: C2CMessageEditedEvent.eventName,
      payload: new C2CMessageEditedEvent({
        operator: c.Operator_Account ?? null,
        from: c.From_Account,
        to: c.To_Account,
        msgKey: c.MsgKey,
        msgSeq: c.MsgSeq,
        msgRandom: c.MsgRandom,
        msgTime: c.MsgTime,
        body: raw.MsgBody as C2CMessageEditedEvent['body'],
        cloudCustomData: c.CloudCustomData ?? null,
        ...timed(c.EventTime, metadata),
        raw,
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
  defineCommand({
    command: 'State.StateChange',
    dto: StateChangeDto,
    dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Info.To_Account, timePart(c.EventTime, receivedAt), c.Info.Action),
    toEvent: (c, raw, metadata) => ({
      name: UserStateChangedEvent.eventName,
      payload: new UserStateChangedEvent({
        userId: c.Info.To_Account,
        action: c.Info.Action,
        online: c.Info.Action === 'Login',
        reason: c.Info.Reason,
        kickedDevices: (c.KickedDevice ?? []).map((device) => ({ platform: device.Platform })),
        ...timed(c.EventTime, metadata),
        raw,
      }),
    }),
  }),
];
