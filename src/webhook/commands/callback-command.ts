import { createHash } from 'node:crypto';
import type { CallbackMetadata } from '../../events/callback-metadata.js';
import type { DomainEvent } from '../../events/domain-events.js';

/**
 * Everything the pipeline knows about one CallbackCommand. Supporting a new command is one of
 * these, one DTO and one event.
 */
export interface CallbackCommandDefinition<Dto extends object> {
  readonly command: string;
  readonly dto: new () => Dto;
  /**
   * Identity of the fact the callback reports: a second delivery with the same key has no effect.
   * `receivedAt` stands in for a time the callback should carry but does not (see timePart).
   */
  dedupeKey(callback: Dto, receivedAt: Date): string;
  toEvent(callback: Dto, raw: Record<string, unknown>, metadata: CallbackMetadata): DomainEvent;
}

/** Keeps each definition's DTO type tied to its own functions. */
export const defineCommand = <Dto extends object>(definition: CallbackCommandDefinition<Dto>): CallbackCommandDefinition<object> =>
  definition as unknown as CallbackCommandDefinition<object>;

/** Unambiguous whatever characters the ids contain. */
export const dedupeKeyOf = (command: string, ...parts: (string | number)[]): string => `${command}:${JSON.stringify(parts)}`;

/**
 * A dedupe key's time part: EventTime (ms), or, for an older payload shape without one, the receipt
 * time, marked as such. A retry of such a callback is then a second fact; its projection is
 * idempotent, and without a time two real logins of one user would be one.
 */
export const timePart = (eventTime: number | string | null | undefined, receivedAt: Date): number | string =>
  eventTime === undefined || eventTime === null ? `received:${receivedAt.getTime()}` : Number(eventTime);

/** EventTime (ms), or, without one, the receipt time, with the metadata saying so. */
export const timed = (eventTime: number | string | null | undefined, metadata: CallbackMetadata): { eventTime: number; metadata: CallbackMetadata } =>
  eventTime === undefined || eventTime === null ? { eventTime: metadata.receivedAt.getTime(), metadata: metadata.timedByReceipt() } : { eventTime: Number(eventTime), metadata };

/** A command the project does not model has no known identity: the body itself is its identity. */
export const unmodelledDedupeKey = (command: string, rawText: string): string =>
  dedupeKeyOf(command, createHash('sha256').update(rawText).digest('hex'));
