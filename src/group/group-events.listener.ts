import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../events/on-domain-event.decorator.js';
import {
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
import { GroupService } from './group.service.js';

/**
 * Projects group events. Not `group.member.presence-changed` (Live groups' online/offline, high
 * volume, no EventTime): it is emitted for users' listeners only; nor `group.quota.alarm`, an
 * alert about the app rather than a group.
 */
@Injectable()
export class GroupEventsListener {
  constructor(private readonly groups: GroupService) {}

  @OnDomainEvent('group.created')
  async handleCreated(event: GroupCreatedEvent): Promise<void> {
    await this.groups.recordCreated(event);
  }

  @OnDomainEvent('group.info.changed')
  async handleInfoChanged(event: GroupInfoChangedEvent): Promise<void> {
    await this.groups.recordInfoChanged(event);
  }

  @OnDomainEvent('group.destroyed')
  async handleDestroyed(event: GroupDestroyedEvent): Promise<void> {
    await this.groups.recordDestroyed(event);
  }

  @OnDomainEvent('group.full')
  async handleFull(event: GroupFullEvent): Promise<void> {
    await this.groups.recordFull(event);
  }

  @OnDomainEvent('group.owner.changed')
  async handleOwnerChanged(event: GroupOwnerChangedEvent): Promise<void> {
    await this.groups.recordOwnerChanged(event);
  }

  @OnDomainEvent('group.attributes.changed')
  async handleAttributesChanged(event: GroupAttributesChangedEvent): Promise<void> {
    await this.groups.recordAttributesChanged(event);
  }

  @OnDomainEvent('group.member.joined')
  async handleMemberJoined(event: GroupMemberJoinedEvent): Promise<void> {
    await this.groups.recordMembersJoined(event);
  }

  @OnDomainEvent('group.member.left')
  async handleMemberLeft(event: GroupMemberLeftEvent): Promise<void> {
    await this.groups.recordMembersLeft(event);
  }

  @OnDomainEvent('group.member.updated')
  async handleMemberUpdated(event: GroupMemberUpdatedEvent): Promise<void> {
    await this.groups.recordMemberUpdated(event);
  }

  @OnDomainEvent('group.message.sent')
  async handleMessageSent(event: GroupMessageSentEvent): Promise<void> {
    await this.groups.recordSentMessage(event);
  }

  @OnDomainEvent('group.message.send-failed')
  async handleMessageSendFailed(event: GroupMessageSendFailedEvent): Promise<void> {
    await this.groups.recordFailedMessage(event);
  }

  @OnDomainEvent('group.message.recalled')
  async handleMessageRecalled(event: GroupMessageRecalledEvent): Promise<void> {
    await this.groups.recordRecall(event);
  }

  @OnDomainEvent('group.message.read')
  async handleMessageRead(event: GroupMessageReadEvent): Promise<void> {
    await this.groups.recordRead(event);
  }

  @OnDomainEvent('group.message-extension.changed')
  async handleMessageExtensionChanged(event: GroupMessageExtensionChangedEvent): Promise<void> {
    await this.groups.applyExtensionChange(event);
  }

  @OnDomainEvent('group.topic.created')
  async handleTopicCreated(event: GroupTopicCreatedEvent): Promise<void> {
    await this.groups.recordTopicCreated(event);
  }

  @OnDomainEvent('group.topic.updated')
  async handleTopicUpdated(event: GroupTopicUpdatedEvent): Promise<void> {
    await this.groups.recordTopicUpdated(event);
  }

  @OnDomainEvent('group.topic.destroyed')
  async handleTopicDestroyed(event: GroupTopicDestroyedEvent): Promise<void> {
    await this.groups.recordTopicsDestroyed(event);
  }
}
