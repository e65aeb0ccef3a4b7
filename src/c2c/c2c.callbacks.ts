import { conversationOf } from '../common/conversation.js';
import { defineBeforeCommand, MESSAGE_CUSTOM_CODES } from '../decisions/before-commands.js';
import type { MessageDecision } from '../decisions/decision.js';
import type { CallbackMetadata } from '../events/callback-metadata.js';
import type { MessageBody } from '../events/message-body.js';
import { dedupeKeyOf, defineCommand, timed, timePart } from '../webhook/commands/callback-command.js';
import { defineCallbackFamily } from '../webhook/commands/callback-family.js';
import { C2CBeforeSendMsgRequest } from './c2c-before-send-msg.request.js';
import { C2CAfterModifyMsgDto } from './callbacks/c2c-after-modify-msg.dto.js';
import { C2CAfterMsgExtensionDto } from './callbacks/c2c-after-msg-extension.dto.js';
import { C2CAfterMsgReportDto } from './callbacks/c2c-after-msg-report.dto.js';
import { C2CAfterMsgWithdrawDto } from './callbacks/c2c-after-msg-withdraw.dto.js';
import { C2CAfterSendMsgDto } from './callbacks/c2c-after-send-msg.dto.js';
import { C2CBeforeSendMsgDto } from './callbacks/c2c-before-send-msg.dto.js';
import { C2CConversationReadEvent } from './events/c2c-conversation-read.event.js';
import { C2CMessageEditedEvent } from './events/c2c-message-edited.event.js';
import { C2CMessageExtensionChangedEvent, type ExtensionOperation } from './events/c2c-message-extension-changed.event.js';
import { C2CMessageRecalledEvent } from './events/c2c-message-recalled.event.js';
import { C2CMessageSendFailedEvent } from './events/c2c-message-send-failed.event.js';
import { C2CMessageSentEvent, type C2CMessageFields } from './events/c2c-message-sent.event.js';

declare module '../decisions/before-commands.js' {
  interface BeforeCallbackMap {
    'C2C.CallbackBeforeSendMsg': { request: C2CBeforeSendMsgRequest; decision: MessageDecision };
  }
}

const recalledAtOf = ({ eventTime, metadata }: { eventTime: number; metadata: CallbackMetadata }) => ({ recalledAt: eventTime, metadata });

const OPERATIONS: Record<C2CAfterMsgExtensionDto['OperateType'], ExtensionOperation> = { 1: 'set', 2: 'delete', 3: 'clear' };

const conversationKey = (from: string, to: string): [string, string] => {
  const { userA, userB } = conversationOf(from, to);
  return [userA, userB];
};

/** One-to-one messages: each command's DTO, dedupe key and event, and the "before send" decision. */
export const C2C_CALLBACKS = defineCallbackFamily({
  name: 'c2c',
  commands: [
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
  ],
  beforeCommands: [
    defineBeforeCommand({
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
  ],
  events: [C2CMessageSentEvent, C2CMessageSendFailedEvent, C2CMessageExtensionChangedEvent, C2CConversationReadEvent, C2CMessageRecalledEvent, C2CMessageEditedEvent],
});
