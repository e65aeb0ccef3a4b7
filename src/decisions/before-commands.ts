import type { AnyDecision } from './decision.js';
import type { BeforeCallbackContext } from './before-requests.js';

/**
 * Each "before" command: the request its handlers get and the decisions they may return. Each
 * family adds its commands (`declare module` in its `<family>.callbacks.ts`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the families' declarations
export interface BeforeCallbackMap {}

export type BeforeCommand = keyof BeforeCallbackMap;

/** What Tencent documents for a command's answer (protocol reference section 3). */
export interface BeforeCommandDefinition<Dto extends object = object> {
  readonly command: BeforeCommand;
  readonly dto: new () => Dto;
  /** Decision kinds the command accepts besides allow and block. */
  readonly accepts: readonly AnyDecision['kind'][];
  /** Custom block codes passed to the client, besides 1. */
  readonly customCodes?: { readonly min: number; readonly max: number };
  toRequest(callback: Dto, raw: Record<string, unknown>, context: BeforeCallbackContext): object;
}

/** Keeps each definition's DTO type tied to its own functions. */
export const defineBeforeCommand = <Dto extends object>(definition: BeforeCommandDefinition<Dto>): BeforeCommandDefinition =>
  definition as unknown as BeforeCommandDefinition;

/** Tencent's range of custom codes for a blocked message, passed to the sender's client. */
export const MESSAGE_CUSTOM_CODES = { min: 120_001, max: 130_000 };
