// The public API for "before" callback handlers in your own modules.
export * from './decision.js';
export * from './before-requests.js';
// Each family's requests (one import path for every "before" handler).
export * from '../c2c/c2c-before-send-msg.request.js';
export * from '../official-account/official-account-before.requests.js';
export * from '../group/group-before.requests.js';
export * from './before-answer.js';
export { type BeforeCallbackMap, type BeforeCommand } from './before-commands.js';
export * from './on-before-callback.decorator.js';
export { InvalidDecisionError, type DecisionRecord, type HandlerRecord } from './decision.service.js';
