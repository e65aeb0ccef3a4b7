// The family's events, and its part of the typed event map (DomainEventMap).
import type { GroupCreatedEvent } from './group-created.event.js';
import type { GroupInfoChangedEvent } from './group-info-changed.event.js';
import type { GroupDestroyedEvent } from './group-destroyed.event.js';
import type { GroupFullEvent } from './group-full.event.js';
import type { GroupOwnerChangedEvent } from './group-owner-changed.event.js';
import type { GroupAttributesChangedEvent } from './group-attributes-changed.event.js';
import type { GroupMemberJoinedEvent } from './group-member-joined.event.js';
import type { GroupMemberLeftEvent } from './group-member-left.event.js';
import type { GroupMemberUpdatedEvent } from './group-member-updated.event.js';
import type { GroupMemberPresenceChangedEvent } from './group-member-presence-changed.event.js';
import type { GroupMessageSentEvent } from './group-message-sent.event.js';
import type { GroupMessageSendFailedEvent } from './group-message-send-failed.event.js';
import type { GroupMessageRecalledEvent } from './group-message-recalled.event.js';
import type { GroupMessageExtensionChangedEvent } from './group-message-extension-changed.event.js';
import type { GroupMessageReadEvent } from './group-message-read.event.js';
import type { GroupTopicCreatedEvent } from './group-topic-created.event.js';
import type { GroupTopicUpdatedEvent } from './group-topic-updated.event.js';
import type { GroupTopicDestroyedEvent } from './group-topic-destroyed.event.js';
import type { GroupQuotaAlarmEvent } from './group-quota-alarm.event.js';

export * from './group-shared.js';
export * from './group-created.event.js';
export * from './group-info-changed.event.js';
export * from './group-destroyed.event.js';
export * from './group-full.event.js';
export * from './group-owner-changed.event.js';
export * from './group-attributes-changed.event.js';
export * from './group-member-joined.event.js';
export * from './group-member-left.event.js';
export * from './group-member-updated.event.js';
export * from './group-member-presence-changed.event.js';
export * from './group-message-sent.event.js';
export * from './group-message-send-failed.event.js';
export * from './group-message-recalled.event.js';
export * from './group-message-extension-changed.event.js';
export * from './group-message-read.event.js';
export * from './group-topic-created.event.js';
export * from './group-topic-updated.event.js';
export * from './group-topic-destroyed.event.js';
export * from './group-quota-alarm.event.js';

declare module '../../events/domain-events.js' {
  interface DomainEventMap {
    'group.created': GroupCreatedEvent;
    'group.info.changed': GroupInfoChangedEvent;
    'group.destroyed': GroupDestroyedEvent;
    'group.full': GroupFullEvent;
    'group.owner.changed': GroupOwnerChangedEvent;
    'group.attributes.changed': GroupAttributesChangedEvent;
    'group.member.joined': GroupMemberJoinedEvent;
    'group.member.left': GroupMemberLeftEvent;
    'group.member.updated': GroupMemberUpdatedEvent;
    'group.member.presence-changed': GroupMemberPresenceChangedEvent;
    'group.message.sent': GroupMessageSentEvent;
    'group.message.send-failed': GroupMessageSendFailedEvent;
    'group.message.recalled': GroupMessageRecalledEvent;
    'group.message-extension.changed': GroupMessageExtensionChangedEvent;
    'group.message.read': GroupMessageReadEvent;
    'group.topic.created': GroupTopicCreatedEvent;
    'group.topic.updated': GroupTopicUpdatedEvent;
    'group.topic.destroyed': GroupTopicDestroyedEvent;
    'group.quota.alarm': GroupQuotaAlarmEvent;
  }
}
