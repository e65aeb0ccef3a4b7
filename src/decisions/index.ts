// The public API for "before" callback handlers in your own modules.
export * from './decision.js';
export * from './before-requests.js';
export * from './before-answer.js';
export { type BeforeCallbackMap, type BeforeCommand } from './before-commands.js';
export * from './on-before-callback.decorator.js';
export { InvalidDecisionError, type DecisionRecord, type HandlerRecord } from './decision.service.js';
