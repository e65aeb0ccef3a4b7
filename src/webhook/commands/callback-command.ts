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
  /** Identity of the fact the callback reports: a second delivery with the same key has no effect. */
  dedupeKey(callback: Dto): string;
  toEvent(callback: Dto, raw: Record<string, unknown>, metadata: CallbackMetadata): DomainEvent;
}

/** Keeps each definition's DTO type tied to its own functions. */
export const defineCommand = <Dto extends object>(definition: CallbackCommandDefinition<Dto>): CallbackCommandDefinition<object> =>
  definition as unknown as CallbackCommandDefinition<object>;

/** Unambiguous whatever characters the ids contain. */
export const dedupeKeyOf = (command: string, ...parts: (string | number)[]): string => `${command}:${JSON.stringify(parts)}`;

/** A command the project does not model has no known identity: the body itself is its identity. */
export const unmodelledDedupeKey = (command: string, rawText: string): string =>
  dedupeKeyOf(command, createHash('sha256').update(rawText).digest('hex'));
