import { createHash } from 'node:crypto';
import { defineBeforeCommand } from '../decisions/before-commands.js';
import type { InviteDecision, MessageDecision, PermissionDecision } from '../decisions/decision.js';
import type { MessageBody } from '../events/message-body.js';
import { dedupeKeyOf, defineCommand, timed, timePart } from '../webhook/commands/callback-command.js';
import { defineCallbackFamily } from '../webhook/commands/callback-family.js';
import { toMillis } from '../webhook/dto/validators.js';
import { GroupBeforeApplyJoinGroupDto, GroupBeforeCreateGroupDto, GroupBeforeCreateTopicDto, GroupBeforeInviteJoinGroupDto, GroupBeforeSendMsgDto } from './callbacks/group-before.dto.js';
import type { GroupCustomFieldDto, GroupMemberEntryDto } from './callbacks/group-common.dto.js';
import { GroupAfterMemberExitDto, GroupAfterMemberFieldChangedDto, GroupAfterNewMemberJoinDto, GroupOnMemberStateChangeDto } from './callbacks/group-members.dto.js';
import {
  GroupAfterGroupMsgExtensionDto,
  GroupAfterReadReceiptDto,
  GroupAfterRecallMsgDto,
  GroupAfterSendMsgDto,
  GroupSendMsgExceptionDto,
} from './callbacks/group-messages.dto.js';
import {
  GroupAfterChangeGroupOwnerDto,
  GroupAfterCreateGroupDto,
  GroupAfterGroupAttrChangedDto,
  GroupAfterGroupDestroyedDto,
  GroupAfterGroupFullDto,
  GroupAfterGroupInfoChangedDto,
  GroupOnDailyGroupQuotaAlarmDto,
} from './callbacks/group-profile.dto.js';
import { GroupAfterCreateTopicDto, GroupAfterTopicDestroyedDto, GroupAfterTopicInfoChangedDto } from './callbacks/group-topics.dto.js';
import {
  GroupAttributesChangedEvent,
  GroupCreatedEvent,
  GroupDestroyedEvent,
  GroupFullEvent,
  GroupInfoChangedEvent,
  GroupMemberJoinedEvent,
  GroupMemberLeftEvent,
  GroupMemberPresenceChangedEvent,
  GroupMemberUpdatedEvent,
  GroupMessageExtensionChangedEvent,
  GroupMessageReadEvent,
  GroupMessageRecalledEvent,
  GroupMessageSendFailedEvent,
  GroupMessageSentEvent,
  GroupOwnerChangedEvent,
  GroupQuotaAlarmEvent,
  GroupTopicCreatedEvent,
  GroupTopicDestroyedEvent,
  GroupTopicUpdatedEvent,
  type GroupCustomField,
  type GroupExtensionOperation,
  type GroupProfileChanges,
} from './events/index.js';
import {
  GroupBeforeApplyJoinGroupRequest,
  GroupBeforeCreateGroupRequest,
  GroupBeforeCreateTopicRequest,
  GroupBeforeInviteJoinGroupRequest,
  GroupBeforeSendMsgRequest,
} from './group-before.requests.js';

declare module '../decisions/before-commands.js' {
  interface BeforeCallbackMap {
    'Group.CallbackBeforeSendMsg': { request: GroupBeforeSendMsgRequest; decision: MessageDecision };
    'Group.CallbackBeforeCreateGroup': { request: GroupBeforeCreateGroupRequest; decision: PermissionDecision };
    'Group.CallbackBeforeApplyJoinGroup': { request: GroupBeforeApplyJoinGroupRequest; decision: PermissionDecision };
    'Group.CallbackBeforeInviteJoinGroup': { request: GroupBeforeInviteJoinGroupRequest; decision: InviteDecision };
    'Group.CallbackBeforeCreateTopic': { request: GroupBeforeCreateTopicRequest; decision: PermissionDecision };
  }
}

/** Tencent's range of custom codes for a refused group request, passed to the client with ErrorInfo (1 answers 10016). */
export const GROUP_CUSTOM_CODES = { min: 10_100, max: 10_200 };

/** A value as one short dedupe-key part: a long list cannot outgrow the inbox's unique index. */
const digestOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** A set of ids (members, topics, MsgSeqs) as a digest: the same set in any order, or repeated, gives the same part. */
const setDigest = (ids: readonly (string | number)[]): string => digestOf([...new Set(ids.map(String))].sort());

const membersOf = (list: readonly GroupMemberEntryDto[] | undefined): string[] => (list ?? []).map((m) => m.Member_Account);

const customFieldsOf = (list: readonly GroupCustomFieldDto[] | undefined): GroupCustomField[] => (list ?? []).map((f) => ({ key: f.Key, value: f.Value }));

/** `EventTime` where a command does not document it: part of the key when sent, never the receipt time (a retry must stay a duplicate). */
const sentTime = (eventTime: number | string | undefined): number | '' => (eventTime === undefined ? '' : Number(eventTime));

const profileChangesOf = (c: { Name?: string; Introduction?: string; Notification?: string; FaceUrl?: string }): GroupProfileChanges => {
  const changes: { -readonly [K in keyof GroupProfileChanges]: GroupProfileChanges[K] } = {};
  if (c.Name !== undefined) changes.name = c.Name;
  if (c.Introduction !== undefined) changes.introduction = c.Introduction;
  if (c.Notification !== undefined) changes.notification = c.Notification;
  if (c.FaceUrl !== undefined) changes.faceUrl = c.FaceUrl;
  return changes;
};

/** What a profile change says, so that two different changes in one millisecond stay two facts. */
const profileDigest = (c: { Operator_Account?: string; Name?: string; Introduction?: string; Notification?: string; FaceUrl?: string }): string =>
  digestOf([c.Operator_Account ?? null, c.Name ?? null, c.Introduction ?? null, c.Notification ?? null, c.FaceUrl ?? null]);

const OPERATIONS: Record<GroupAfterGroupMsgExtensionDto['OperateType'], GroupExtensionOperation> = { 1: 'set', 2: 'delete', 3: 'clear' };

/**
 * Groups, Community topics and group messages (`Group.*`): each command's DTO, dedupe key and
 * event, and the "before" decisions. Keys follow the protocol reference's identity section (6):
 * a group message is (GroupId, TopicId, MsgSeq); state changes without a version are keyed by
 * EventTime plus what they say, so a retry is a duplicate and two changes in one millisecond are not.
 */
export const GROUP_CALLBACKS = defineCallbackFamily({
  name: 'group',
  commands: [
    defineCommand({
      command: 'Group.CallbackAfterCreateGroup',
      dto: GroupAfterCreateGroupDto,
      // A custom GroupId can be created again after the group is disbanded: the time tells them apart.
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: GroupCreatedEvent.eventName,
        payload: new GroupCreatedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          owner: c.Owner_Account ?? null,
          name: c.Name ?? null,
          members: membersOf(c.MemberList),
          customFields: customFieldsOf(c.UserDefinedDataList),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterGroupInfoChanged',
      dto: GroupAfterGroupInfoChangedDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, timePart(c.EventTime, receivedAt), profileDigest(c)),
      toEvent: (c, raw, metadata) => ({
        name: GroupInfoChangedEvent.eventName,
        payload: new GroupInfoChangedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          changes: profileChangesOf(c),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterGroupDestroyed',
      dto: GroupAfterGroupDestroyedDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: GroupDestroyedEvent.eventName,
        payload: new GroupDestroyedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          owner: c.Owner_Account ?? null,
          name: c.Name ?? null,
          members: c.MemberList === undefined ? null : membersOf(c.MemberList),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterGroupFull',
      dto: GroupAfterGroupFullDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: GroupFullEvent.eventName,
        payload: new GroupFullEvent({ groupId: c.GroupId, ...timed(c.EventTime, metadata), raw }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterChangeGroupOwner',
      dto: GroupAfterChangeGroupOwnerDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, c.NewOwner_Account, timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: GroupOwnerChangedEvent.eventName,
        payload: new GroupOwnerChangedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          oldOwner: c.OldOwner_Account ?? null,
          newOwner: c.NewOwner_Account,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterGroupAttrChanged',
      dto: GroupAfterGroupAttrChangedDto,
      dedupeKey: (c, receivedAt) =>
        dedupeKeyOf(
          c.CallbackCommand,
          c.GroupId,
          timePart(c.EventTime, receivedAt),
          digestOf([c.OptionType ?? null, (c.GroupAttr ?? []).map((a) => [a.key, a.value])]),
        ),
      toEvent: (c, raw, metadata) => ({
        name: GroupAttributesChangedEvent.eventName,
        payload: new GroupAttributesChangedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          operation: c.OptionType ?? null,
          attributes: (c.GroupAttr ?? []).map((a) => ({ key: a.key, value: a.value })),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterNewMemberJoin',
      dto: GroupAfterNewMemberJoinDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, timePart(c.EventTime, receivedAt), setDigest(membersOf(c.NewMemberList))),
      toEvent: (c, raw, metadata) => ({
        name: GroupMemberJoinedEvent.eventName,
        payload: new GroupMemberJoinedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          joinType: c.JoinType ?? null,
          operator: c.Operator_Account ?? null,
          members: membersOf(c.NewMemberList),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterMemberExit',
      dto: GroupAfterMemberExitDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, timePart(c.EventTime, receivedAt), setDigest(membersOf(c.ExitMemberList))),
      toEvent: (c, raw, metadata) => ({
        name: GroupMemberLeftEvent.eventName,
        payload: new GroupMemberLeftEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          exitType: c.ExitType ?? null,
          operator: c.Operator_Account ?? null,
          members: membersOf(c.ExitMemberList),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterMemberFieldChanged',
      dto: GroupAfterMemberFieldChangedDto,
      dedupeKey: (c, receivedAt) =>
        dedupeKeyOf(c.CallbackCommand, c.GroupId, memberOf(c), timePart(c.EventTime, receivedAt), digestOf([c.Role ?? null, c.NameCard ?? null])),
      toEvent: (c, raw, metadata) => ({
        name: GroupMemberUpdatedEvent.eventName,
        payload: new GroupMemberUpdatedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          userId: memberOf(c),
          role: c.Role ?? null,
          nameCard: c.NameCard ?? null,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackOnMemberStateChange',
      dto: GroupOnMemberStateChangeDto,
      // No EventTime is documented and nothing tells a retry from a new flap: without one, the
      // receipt time makes each delivery its own fact (a retry is then emitted twice; presence is a hint).
      dedupeKey: (c, receivedAt) =>
        dedupeKeyOf(c.CallbackCommand, c.GroupId, c.EventType, timePart(c.EventTime, receivedAt), setDigest(membersOf(c.MemberList))),
      toEvent: (c, raw, metadata) => ({
        name: GroupMemberPresenceChangedEvent.eventName,
        payload: new GroupMemberPresenceChangedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          state: c.EventType,
          online: c.EventType === 'Online',
          cause: c.EventCause ?? null,
          members: membersOf(c.MemberList),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterSendMsg',
      dto: GroupAfterSendMsgDto,
      // MsgSeq is assigned by the server per group, and per topic in a Community.
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.GroupId, topicOf(c) ?? '', c.MsgSeq),
      toEvent: (c, raw, metadata) => ({
        name: GroupMessageSentEvent.eventName,
        payload: new GroupMessageSentEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          topicId: topicOf(c),
          from: c.From_Account,
          operator: c.Operator_Account ?? null,
          msgSeq: c.MsgSeq,
          msgRandom: c.Random ?? null,
          msgTime: c.MsgTime,
          msgId: c.MsgId ?? null,
          onlineOnly: c.OnlineOnlyFlag === 1,
          body: raw.MsgBody as MessageBody,
          cloudCustomData: c.CloudCustomData ?? null,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackSendMsgException',
      dto: GroupSendMsgExceptionDto,
      // No MsgSeq: the send (sender, Random) and why it failed.
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.GroupId, topicOf(c) ?? '', c.From_Account, c.Random, c.ErrorCode),
      toEvent: (c, raw, metadata) => ({
        name: GroupMessageSendFailedEvent.eventName,
        payload: new GroupMessageSendFailedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          topicId: topicOf(c),
          from: c.From_Account,
          operator: c.Operator_Account ?? null,
          msgRandom: c.Random,
          onlineOnly: c.OnlineOnlyFlag === 1,
          body: c.MsgBody === undefined ? null : (raw.MsgBody as MessageBody),
          cloudCustomData: c.CloudCustomData ?? null,
          errorCode: c.ErrorCode,
          errorInfo: c.ErrorInfo ?? null,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterRecallMsg',
      dto: GroupAfterRecallMsgDto,
      // A message is recalled once: the set of messages is the fact (older payloads have no EventTime).
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.GroupId, topicOf(c) ?? '', setDigest(c.MsgSeqList.map((m) => m.MsgSeq))),
      toEvent: (c, raw, metadata) => {
        const { eventTime, metadata: timedMetadata } = timed(c.EventTime, metadata);
        return {
          name: GroupMessageRecalledEvent.eventName,
          payload: new GroupMessageRecalledEvent({
            groupId: c.GroupId,
            type: c.Type ?? null,
            topicId: topicOf(c),
            operator: c.Operator_Account ?? null,
            msgSeqs: c.MsgSeqList.map((m) => m.MsgSeq),
            recalledAt: eventTime,
            raw,
            metadata: timedMetadata,
          }),
        };
      },
    }),
    defineCommand({
      command: 'Group.CallbackAfterGroupMsgExtension',
      dto: GroupAfterGroupMsgExtensionDto,
      // Seq is the message's extension version: unique per change.
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.GroupId, c.MsgSeq, c.Seq),
      toEvent: (c, raw, metadata) => ({
        name: GroupMessageExtensionChangedEvent.eventName,
        payload: new GroupMessageExtensionChangedEvent({
          groupId: c.GroupId,
          msgSeq: c.MsgSeq,
          operation: OPERATIONS[c.OperateType],
          items: c.ExtensionList.map((item) => ({ key: item.Key, value: item.Value, seq: item.Seq })),
          seq: c.Seq,
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterReadReceipt',
      dto: GroupAfterReadReceiptDto,
      // Per message, ReadNum only grows: (MsgSeq, ReadNum) of every entry.
      dedupeKey: (c) =>
        dedupeKeyOf(
          c.CallbackCommand,
          c.GroupId,
          digestOf(c.GroupMsgReceiptList.map((r) => [r.MsgSeq, r.ReadNum]).sort(([a, x], [b, y]) => a! - b! || x! - y!)),
        ),
      toEvent: (c, raw, metadata) => ({
        name: GroupMessageReadEvent.eventName,
        payload: new GroupMessageReadEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          receipts: c.GroupMsgReceiptList.map((r) => ({
            msgSeq: r.MsgSeq,
            readNum: r.ReadNum,
            unreadNum: r.UnreadNum ?? null,
            readers: membersOf(r.ReadReceiptMembers),
          })),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterCreateTopic',
      dto: GroupAfterCreateTopicDto,
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.GroupId, c.TopicId, sentTime(c.EventTime)),
      toEvent: (c, raw, metadata) => ({
        name: GroupTopicCreatedEvent.eventName,
        payload: new GroupTopicCreatedEvent({
          groupId: c.GroupId,
          topicId: c.TopicId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          owner: c.Owner_Account ?? null,
          name: c.Name ?? null,
          customFields: customFieldsOf(c.UserDefinedDataList),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterTopicDestroyed',
      dto: GroupAfterTopicDestroyedDto,
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.GroupId, setDigest(c.TopicIdList), sentTime(c.EventTime)),
      toEvent: (c, raw, metadata) => ({
        name: GroupTopicDestroyedEvent.eventName,
        payload: new GroupTopicDestroyedEvent({
          groupId: c.GroupId,
          type: c.Type ?? null,
          topicIds: [...c.TopicIdList],
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackAfterTopicInfoChanged',
      dto: GroupAfterTopicInfoChangedDto,
      // No TopicId and no EventTime documented: nothing identifies the change, and the same
      // content can be a new fact (a name changed back), so without EventTime each delivery is its own.
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.GroupId, topicOf(c) ?? '', timePart(c.EventTime, receivedAt), profileDigest(c)),
      toEvent: (c, raw, metadata) => ({
        name: GroupTopicUpdatedEvent.eventName,
        payload: new GroupTopicUpdatedEvent({
          groupId: c.GroupId,
          topicId: topicOf(c),
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          changes: profileChangesOf(c),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
    defineCommand({
      command: 'Group.CallbackOnDailyGroupQuotaAlarm',
      dto: GroupOnDailyGroupQuotaAlarmDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.QuotaUsed, c.Quota ?? '', timePart(c.EventTime, receivedAt)),
      toEvent: (c, raw, metadata) => ({
        name: GroupQuotaAlarmEvent.eventName,
        payload: new GroupQuotaAlarmEvent({ quotaUsed: c.QuotaUsed, quota: c.Quota ?? null, ...timed(c.EventTime, metadata), raw }),
      }),
    }),
  ],
  beforeCommands: [
    defineBeforeCommand({
      command: 'Group.CallbackBeforeSendMsg',
      dto: GroupBeforeSendMsgDto,
      accepts: ['allow', 'change', 'block', 'drop'],
      customCodes: GROUP_CUSTOM_CODES,
      toRequest: (c, raw, context) =>
        new GroupBeforeSendMsgRequest({
          groupId: c.GroupId,
          type: c.Type ?? null,
          topicId: topicOf(c),
          from: c.From_Account,
          operator: c.Operator_Account ?? null,
          msgRandom: c.Random ?? null,
          onlineOnly: c.OnlineOnlyFlag === 1,
          body: raw.MsgBody as MessageBody,
          cloudCustomData: c.CloudCustomData ?? null,
          eventTime: toMillis(c.EventTime),
          raw,
          context,
        }),
    }),
    defineBeforeCommand({
      command: 'Group.CallbackBeforeCreateGroup',
      dto: GroupBeforeCreateGroupDto,
      accepts: ['allow', 'block'],
      customCodes: GROUP_CUSTOM_CODES,
      toRequest: (c, raw, context) =>
        new GroupBeforeCreateGroupRequest({
          operator: c.Operator_Account,
          owner: c.Owner_Account ?? null,
          type: c.Type ?? null,
          name: c.Name ?? null,
          createdGroupCount: c.CreateGroupNum ?? null,
          members: membersOf(c.MemberList),
          eventTime: toMillis(c.EventTime),
          raw,
          context,
        }),
    }),
    defineBeforeCommand({
      command: 'Group.CallbackBeforeApplyJoinGroup',
      dto: GroupBeforeApplyJoinGroupDto,
      accepts: ['allow', 'block'],
      customCodes: GROUP_CUSTOM_CODES,
      toRequest: (c, raw, context) =>
        new GroupBeforeApplyJoinGroupRequest({
          groupId: c.GroupId,
          type: c.Type ?? null,
          requestor: c.Requestor_Account,
          eventTime: toMillis(c.EventTime),
          raw,
          context,
        }),
    }),
    defineBeforeCommand({
      command: 'Group.CallbackBeforeInviteJoinGroup',
      dto: GroupBeforeInviteJoinGroupDto,
      accepts: ['allow', 'block', 'refuse-members'],
      customCodes: GROUP_CUSTOM_CODES,
      toRequest: (c, raw, context) =>
        new GroupBeforeInviteJoinGroupRequest({
          groupId: c.GroupId,
          type: c.Type ?? null,
          operator: c.Operator_Account ?? null,
          invitees: membersOf(c.DestinationMembers),
          eventTime: toMillis(c.EventTime),
          raw,
          context,
        }),
    }),
    defineBeforeCommand({
      command: 'Group.CallbackBeforeCreateTopic',
      dto: GroupBeforeCreateTopicDto,
      accepts: ['allow', 'block'],
      customCodes: GROUP_CUSTOM_CODES,
      toRequest: (c, raw, context) =>
        new GroupBeforeCreateTopicRequest({
          groupId: c.GroupId ?? null,
          operator: c.Operator_Account ?? null,
          type: c.Type ?? null,
          name: c.Name ?? null,
          eventTime: toMillis(c.EventTime),
          raw,
          context,
        }),
    }),
  ],
  events: [
    GroupCreatedEvent,
    GroupInfoChangedEvent,
    GroupDestroyedEvent,
    GroupFullEvent,
    GroupOwnerChangedEvent,
    GroupAttributesChangedEvent,
    GroupMemberJoinedEvent,
    GroupMemberLeftEvent,
    GroupMemberUpdatedEvent,
    GroupMemberPresenceChangedEvent,
    GroupMessageSentEvent,
    GroupMessageSendFailedEvent,
    GroupMessageRecalledEvent,
    GroupMessageExtensionChangedEvent,
    GroupMessageReadEvent,
    GroupTopicCreatedEvent,
    GroupTopicUpdatedEvent,
    GroupTopicDestroyedEvent,
    GroupQuotaAlarmEvent,
  ],
});

/** A Community topic, or null for the group itself (absent or empty `TopicId`). */
function topicOf(c: { TopicId?: string }): string | null {
  return c.TopicId === undefined || c.TopicId === '' ? null : c.TopicId;
}

/** The member whose profile changed: `Member_Account` (Tencent's page) or `Modified_Account` (the Java SDK). */
function memberOf(c: GroupAfterMemberFieldChangedDto): string {
  return (c.Member_Account ?? c.Modified_Account)!;
}
