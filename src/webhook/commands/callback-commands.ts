import { conversationOf } from '../../common/conversation.js';
import { C2CMessageExtensionChangedEvent, type ExtensionOperation } from '../../events/c2c-message-extension-changed.event.js';
import { C2CMessageSendFailedEvent } from '../../events/c2c-message-send-failed.event.js';
import { C2CMessageSentEvent, type C2CMessageFields } from '../../events/c2c-message-sent.event.js';
import { OfficialAccountMessageSentEvent } from '../../events/official-account-message-sent.event.js';
import { C2CAfterMsgExtensionDto } from '../dto/c2c-after-msg-extension.dto.js';
import { C2CAfterSendMsgDto } from '../dto/c2c-after-send-msg.dto.js';
import { OfficialAccountAfterSendMsgDto } from '../dto/official-account-after-send-msg.dto.js';
import { toMillis } from '../dto/validators.js';
import { dedupeKeyOf, defineCommand } from './callback-command.js';

const OPERATIONS: Record<C2CAfterMsgExtensionDto['OperateType'], ExtensionOperation> = { 1: 'set', 2: 'delete', 3: 'clear' };

const conversationKey = (from: string, to: string): [string, string] => {
  const { userA, userB } = conversationOf(from, to);
  return [userA, userB];
};

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
        eventTime: Number(c.EventTime),
        raw,
        metadata,
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
];
