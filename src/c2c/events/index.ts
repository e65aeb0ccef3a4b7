// The family's events, and its part of the typed event map (DomainEventMap).
import type { C2CMessageSentEvent } from './c2c-message-sent.event.js';
import type { C2CMessageSendFailedEvent } from './c2c-message-send-failed.event.js';
import type { C2CMessageExtensionChangedEvent } from './c2c-message-extension-changed.event.js';
import type { C2CConversationReadEvent } from './c2c-conversation-read.event.js';
import type { C2CMessageRecalledEvent } from './c2c-message-recalled.event.js';
import type { C2CMessageEditedEvent } from './c2c-message-edited.event.js';

export * from './c2c-message-sent.event.js';
export * from './c2c-message-send-failed.event.js';
export * from './c2c-message-extension-changed.event.js';
export * from './c2c-conversation-read.event.js';
export * from './c2c-message-recalled.event.js';
export * from './c2c-message-edited.event.js';

declare module '../../events/domain-events.js' {
  interface DomainEventMap {
    'c2c.message.sent': C2CMessageSentEvent;
    'c2c.message.send-failed': C2CMessageSendFailedEvent;
    'c2c.message-extension.changed': C2CMessageExtensionChangedEvent;
    'c2c.conversation.read': C2CConversationReadEvent;
    'c2c.message.recalled': C2CMessageRecalledEvent;
    'c2c.message.edited': C2CMessageEditedEvent;
  }
}
