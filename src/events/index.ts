// The public event API for listeners in your own modules.
export * from './callback-metadata.js';
export * from './message-body.js';
export * from './domain-events.js';
export * from './domain-event-emitter.js';
export * from './on-domain-event.decorator.js';
export * from './webhook-received.event.js';
export * from './webhook-unhandled.event.js';
export * from '../c2c/events/c2c-message-sent.event.js';
export * from '../c2c/events/c2c-message-send-failed.event.js';
export * from '../c2c/events/c2c-message-extension-changed.event.js';
export * from '../c2c/events/c2c-conversation-read.event.js';
export * from '../c2c/events/c2c-message-recalled.event.js';
export * from '../c2c/events/c2c-message-edited.event.js';
// Every family's events, so that one import path serves them all.
export * from '../c2c/events/index.js';
export * from '../official-account/events/index.js';
export * from '../presence/events/index.js';
export * from '../group/events/index.js';
