import { Injectable } from '@nestjs/common';
import type {
  GroupAttributesChangedEvent,
  GroupCreatedEvent,
  GroupDestroyedEvent,
  GroupFullEvent,
  GroupInfoChangedEvent,
  GroupMemberJoinedEvent,
  GroupMemberLeftEvent,
  GroupMemberUpdatedEvent,
  GroupMessageExtensionChangedEvent,
  GroupMessageReadEvent,
  GroupMessageRecalledEvent,
  GroupMessageSendFailedEvent,
  GroupMessageSentEvent,
  GroupOwnerChangedEvent,
  GroupTopicCreatedEvent,
  GroupTopicDestroyedEvent,
  GroupTopicUpdatedEvent,
} from './events/index.js';
import type { GroupMemberListView, GroupMemberView, GroupMessageView, GroupTopicView, GroupView } from './dto/group-views.js';
import { GroupAttributeRepository } from './group-attribute.repository.js';
import { GroupExtensionRepository, NO_GROUP_EXTENSIONS } from './group-extension.repository.js';
import { GroupFailureRepository } from './group-failure.repository.js';
import { GroupMemberRepository, type GroupMemberRow } from './group-member.repository.js';
import { topicKey } from './group-message-ref.js';
import { GroupMessageRepository, type GroupMessageRow } from './group-message.repository.js';
import { GroupProfileRepository } from './group-profile.repository.js';
import { GroupReceiptRepository } from './group-receipt.repository.js';
import { GroupRecallRepository } from './group-recall.repository.js';
import { GroupTopicRepository } from './group-topic.repository.js';

/** The owner's role, given by creation and ownership transfer (the callbacks carry no role for them). */
const OWNER_ROLE = 'Owner';
const MEMBER_ROLE = 'Member';

/**
 * Owns the group projections: profiles and attributes, members, messages with their recalls,
 * read counts and extensions, failed sends, Community topics. Recalls, receipts and extensions
 * are kept apart from the messages and joined on read, so each may arrive before its message.
 *
 * Live-group presence (Group.CallbackOnMemberStateChange, `group.member.presence-changed`) is not
 * projected on purpose: it is high volume, has no EventTime to order by and no identity to tell a
 * retry from a new flap. The event is emitted for users' own listeners.
 */
@Injectable()
export class GroupService {
  constructor(
    private readonly profiles: GroupProfileRepository,
    private readonly attributes: GroupAttributeRepository,
    private readonly members: GroupMemberRepository,
    private readonly messages: GroupMessageRepository,
    private readonly recalls: GroupRecallRepository,
    private readonly receipts: GroupReceiptRepository,
    private readonly extensions: GroupExtensionRepository,
    private readonly failures: GroupFailureRepository,
    private readonly topics: GroupTopicRepository,
  ) {}

  /** The profile, the initial members, and the owner as a member with the owner's role. */
  async recordCreated(event: GroupCreatedEvent): Promise<void> {
    const { groupId, eventTime, operator } = event;
    await this.profiles.applyFacts({ groupId, eventTime, type: event.type, fields: { name: event.name, ownerAccount: event.owner }, created: true });
    const initial = event.members.filter((userId) => userId !== event.owner);
    await this.members.recordMembership({ groupId, userIds: initial, member: true, eventTime, operator });
    if (event.owner !== null) await this.members.recordMembership({ groupId, userIds: [event.owner], member: true, eventTime, operator, role: OWNER_ROLE });
  }

  async recordInfoChanged(event: GroupInfoChangedEvent): Promise<void> {
    await this.profiles.applyFacts({ groupId: event.groupId, eventTime: event.eventTime, type: event.type, fields: { ...event.changes } });
  }

  async recordDestroyed(event: GroupDestroyedEvent): Promise<void> {
    await this.profiles.applyFacts({
      groupId: event.groupId,
      eventTime: event.eventTime,
      type: event.type,
      fields: { name: event.name, ownerAccount: event.owner },
      destroyed: true,
    });
  }

  async recordFull(event: GroupFullEvent): Promise<void> {
    await this.profiles.applyFacts({ groupId: event.groupId, eventTime: event.eventTime, full: true });
  }

  /** The owner field, and the roles of both owners, by the transfer's EventTime. */
  async recordOwnerChanged(event: GroupOwnerChangedEvent): Promise<void> {
    const { groupId, eventTime } = event;
    await this.profiles.applyFacts({ groupId, eventTime, type: event.type, fields: { ownerAccount: event.newOwner } });
    await this.members.applyFieldChange({ groupId, userId: event.newOwner, eventTime, role: OWNER_ROLE });
    if (event.oldOwner !== null && event.oldOwner !== event.newOwner) {
      await this.members.applyFieldChange({ groupId, userId: event.oldOwner, eventTime, role: MEMBER_ROLE });
    }
  }

  /**
   * `set` replaces every attribute and `clear` removes them all (both hide the keys older than
   * the change); `delete` removes the keys listed; `modify` (or no OptionType) sets them.
   */
  async recordAttributesChanged(event: GroupAttributesChangedEvent): Promise<void> {
    const { groupId, eventTime } = event;
    const replacesAll = event.operation === 'set' || event.operation === 'clear';
    await this.profiles.applyFacts({ groupId, eventTime, type: event.type, attributesCleared: replacesAll });
    if (event.operation === 'clear') return;
    await this.attributes.applyKeys(groupId, event.attributes, event.operation === 'delete', eventTime);
  }

  async recordMembersJoined(event: GroupMemberJoinedEvent): Promise<void> {
    const { groupId, eventTime } = event;
    await this.profiles.applyFacts({ groupId, eventTime, type: event.type });
    await this.members.recordMembership({ groupId, userIds: event.members, member: true, eventTime, joinType: event.joinType, operator: event.operator });
  }

  async recordMembersLeft(event: GroupMemberLeftEvent): Promise<void> {
    const { groupId, eventTime } = event;
    await this.profiles.applyFacts({ groupId, eventTime, type: event.type, memberLeft: true });
    await this.members.recordMembership({ groupId, userIds: event.members, member: false, eventTime, exitType: event.exitType, operator: event.operator });
  }

  async recordMemberUpdated(event: GroupMemberUpdatedEvent): Promise<void> {
    const { groupId, eventTime } = event;
    await this.profiles.applyFacts({ groupId, eventTime, type: event.type });
    await this.members.applyFieldChange({ groupId, userId: event.userId, eventTime, role: event.role, nameCard: event.nameCard });
  }

  async recordSentMessage(event: GroupMessageSentEvent): Promise<void> {
    await this.messages.insertFromSentEvent(event);
  }

  async recordFailedMessage(event: GroupMessageSendFailedEvent): Promise<void> {
    await this.failures.insertFromFailedEvent(event);
  }

  async recordRecall(event: GroupMessageRecalledEvent): Promise<void> {
    await this.recalls.markRecalled(event.groupId, topicKey(event.topicId), event.msgSeqs, event.recalledAt);
  }

  async recordRead(event: GroupMessageReadEvent): Promise<void> {
    await this.receipts.recordIfGreater(event.groupId, event.receipts);
  }

  async applyExtensionChange(event: GroupMessageExtensionChangedEvent): Promise<void> {
    await this.extensions.applyChange(event);
  }

  async recordTopicCreated(event: GroupTopicCreatedEvent): Promise<void> {
    await this.topics.applyFacts({ groupId: event.groupId, topicId: event.topicId, eventTime: event.eventTime, name: event.name, created: true });
  }

  /** Tencent documents no TopicId for this command: without one, which topic changed is unknown and nothing is projected. */
  async recordTopicUpdated(event: GroupTopicUpdatedEvent): Promise<void> {
    if (event.topicId === null) return;
    await this.topics.applyFacts({ groupId: event.groupId, topicId: event.topicId, eventTime: event.eventTime, name: event.changes.name });
  }

  async recordTopicsDestroyed(event: GroupTopicDestroyedEvent): Promise<void> {
    for (const topicId of new Set(event.topicIds)) {
      await this.topics.applyFacts({ groupId: event.groupId, topicId, eventTime: event.eventTime, destroyed: true });
    }
  }

  async getGroup(groupId: string): Promise<GroupView | undefined> {
    const row = await this.profiles.findOne(groupId);
    if (!row) return undefined;
    const attributes = await this.attributes.findCurrent(groupId, row.attributesClearedEventTime);
    return {
      groupId: row.groupId,
      type: row.type,
      name: row.name,
      ownerAccount: row.ownerAccount,
      introduction: row.introduction,
      notification: row.notification,
      faceUrl: row.faceUrl,
      // No group callback carries these.
      memberCount: null,
      maxMemberCount: null,
      full: row.fullEventTime !== null && (row.memberLeftEventTime === null || row.fullEventTime >= row.memberLeftEventTime),
      // A custom GroupId can be created again after it was disbanded: only a disbanding not older than the newest creation counts.
      destroyed: row.destroyedEventTime !== null && (row.createdEventTime === null || row.destroyedEventTime >= row.createdEventTime),
      attributes,
      createdAt: row.createdEventTime,
    };
  }

  /** Current members by userId, a page at a time; undefined when the group is unknown. */
  async listMembers(groupId: string, afterUserId: string | undefined, limit: number): Promise<GroupMemberListView | undefined> {
    if (!(await this.profiles.findOne(groupId))) return undefined;
    // One row more than asked tells whether another page exists.
    const rows = await this.members.findCurrent(groupId, afterUserId, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(toMemberView), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.userId) : null };
  }

  async listMessages(groupId: string, topicId: string | null, limit: number): Promise<GroupMessageView[]> {
    return this.toMessageViews(groupId, topicKey(topicId), await this.messages.findInGroup(groupId, topicKey(topicId), limit));
  }

  async getMessage(groupId: string, topicId: string | null, msgSeq: number): Promise<GroupMessageView | undefined> {
    const row = await this.messages.findOne(groupId, topicKey(topicId), msgSeq);
    return row && (await this.toMessageViews(groupId, topicKey(topicId), [row]))[0];
  }

  async listTopics(groupId: string, limit: number): Promise<GroupTopicView[]> {
    const rows = await this.topics.findInGroup(groupId, limit);
    return rows.map((row) => ({ topicId: row.topicId, name: row.name, createdAt: row.createdEventTime, destroyed: row.destroyedEventTime !== null }));
  }

  /** Messages as the read API shows them: with their recall, read count and extensions. */
  private async toMessageViews(groupId: string, topicId: string, rows: GroupMessageRow[]): Promise<GroupMessageView[]> {
    const seqs = rows.map((row) => row.msgSeq);
    const [recalledAt, readCounts, extensions] = await Promise.all([
      this.recalls.findRecalledAt(groupId, topicId, seqs),
      this.receipts.findReadCounts(groupId, topicId, seqs),
      this.extensions.findForMessages(groupId, topicId, seqs),
    ]);
    return rows.map((row) => {
      const recalled = recalledAt.get(row.msgSeq);
      const ext = extensions.get(row.msgSeq) ?? NO_GROUP_EXTENSIONS;
      return {
        groupId: row.groupId,
        msgSeq: row.msgSeq,
        topicId: row.topicId === '' ? null : row.topicId,
        from: row.fromAccount,
        msgTime: row.msgTime,
        msgRandom: row.msgRandom,
        onlineOnly: row.onlineOnly,
        body: row.body,
        cloudCustomData: row.cloudCustomData,
        recalled: recalled !== undefined,
        recalledAt: recalled ?? null,
        readCount: readCounts.get(row.msgSeq) ?? null,
        extensions: { seq: ext.seq, items: ext.items.map((item) => ({ ...item })) },
      };
    });
  }
}

function toMemberView(row: GroupMemberRow): GroupMemberView {
  return {
    userId: row.userId,
    role: row.role,
    joinedAt: row.membershipEventTime,
    joinType: row.joinType,
    operator: row.operatorAccount,
    nameCard: row.nameCard,
    // No group callback carries a mute time.
    mutedUntil: null,
  };
}

/** The members cursor: the last user id of a page, opaque to clients (base64url, safe in a query string). */
export const encodeCursor = (userId: string): string => Buffer.from(userId, 'utf8').toString('base64url');

/** The user id a cursor holds; undefined when it is not one this service gave. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const userId = Buffer.from(cursor, 'base64url').toString('utf8');
  return userId.length > 0 && encodeCursor(userId) === cursor ? userId : undefined;
}
