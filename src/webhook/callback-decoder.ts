import { Injectable } from '@nestjs/common';
import { validate, type ValidationError } from 'class-validator';
import type { BeforeCommandDefinition } from '../decisions/before-commands.js';
import type { CallbackCommandDefinition } from './commands/callback-command.js';
import { CallbackRegistry } from './commands/callback-registry.js';
import { passesValidation } from './compiled-validation.js';
import { plainToDto } from './dto-instance.js';

// `__proto__` would set an object's prototype wherever a listener assigns the payload into
// another object; it is never a field of Tencent's. `constructor` and `prototype` are harmless as
// data but would redirect class-validator's metadata lookup on a DTO instance, so the DTO is built
// from a copy without them. A key may be spelled with \u escapes ("\u005f_proto__"), so text with
// any escape is treated as if it held every one of these keys.
const DANGEROUS_KEY = '__proto__';
const DTO_UNSAFE_KEYS = new Set(['constructor', 'prototype']);
const UNICODE_ESCAPE = '\\u';
/** Payloads parsed from text that spells none of DTO_UNSAFE_KEYS: the DTO can be built without a cleaned copy. */
const withoutUnsafeKeys = new WeakSet<object>();
const MAX_REPORTED_ERRORS = 10;
/** Far beyond any real callback (a forwarded TIMRelayElem nests about 8 levels); bounds the recursion of parsing and validation. */
export const MAX_JSON_DEPTH = 64;

export class MalformedBodyError extends Error {}

export type DecodedCallback =
  | { readonly kind: 'modelled'; readonly definition: CallbackCommandDefinition<object>; readonly dto: object }
  | { readonly kind: 'before'; readonly definition: BeforeCommandDefinition; readonly dto: object }
  | { readonly kind: 'unmodelled' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * From body text to a validated DTO of the command's registry entry. Used on receipt, and again
 * when a stored callback is retried or replayed (a rejected one is judged by the current DTOs).
 */
@Injectable()
export class CallbackDecoder {
  constructor(private readonly registry: CallbackRegistry) {}

  /** The body as a JSON object, without prototype-reaching keys; MalformedBodyError otherwise. */
  parse(text: string): Record<string, unknown> {
    if (mayNestDeeperThan(text, MAX_JSON_DEPTH) && jsonDepth(text) > MAX_JSON_DEPTH) throw new MalformedBodyError(`body nests deeper than ${MAX_JSON_DEPTH} levels`);
    const mayHideKeys = text.includes(UNICODE_ESCAPE);
    let value: unknown;
    try {
      // A reviver makes parsing several times slower: only pay for it when the key can be there.
      value =
        mayHideKeys || text.includes(DANGEROUS_KEY)
          ? JSON.parse(text, (key, v: unknown) => (key === DANGEROUS_KEY ? undefined : v))
          : JSON.parse(text);
    } catch {
      throw new MalformedBodyError(text.trim() === '' ? 'body is empty; a JSON object is expected' : 'body is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedBodyError('body must be a JSON object');
    if (!mayHideKeys && !text.includes('constructor') && !text.includes('prototype')) withoutUnsafeKeys.add(value);
    return value as Record<string, unknown>;
  }

  async decode(command: string, payload: Record<string, unknown>): Promise<DecodedCallback> {
    if (payload.CallbackCommand !== command) {
      const reason =
        typeof payload.CallbackCommand === 'string'
          ? `CallbackCommand in the body (${JSON.stringify(payload.CallbackCommand).slice(0, 140)}) differs from the query's (${command})`
          : 'CallbackCommand is missing from the body';
      return { kind: 'invalid', reason };
    }
    const before = this.registry.findBefore(command);
    if (before) {
      const checked = await this.validated(before.dto, payload);
      return 'reason' in checked ? { kind: 'invalid', reason: checked.reason } : { kind: 'before', definition: before, dto: checked.dto };
    }
    const definition = this.registry.find(command);
    if (!definition) return { kind: 'unmodelled' };
    const checked = await this.validated(definition.dto, payload);
    return 'reason' in checked ? { kind: 'invalid', reason: checked.reason } : { kind: 'modelled', definition, dto: checked.dto };
  }

  private async validated(dtoClass: new () => object, payload: Record<string, unknown>): Promise<{ dto: object } | { reason: string }> {
    const dto = plainToDto(dtoClass, withoutUnsafeKeys.has(payload) ? payload : (withoutKeys(payload, DTO_UNSAFE_KEYS) as Record<string, unknown>));
    if (passesValidation(dto)) return { dto };
    // Invalid (or the fast check is not sure): class-validator decides and words the reasons.
    const errors = await validate(dto, {
      forbidUnknownValues: false,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
    });
    return errors.length > 0 ? { reason: `invalid fields: ${describe(errors)}` } : { dto };
  }
}

/** `MsgSeq: must be ...; MsgBody.0.MsgType: must be a string`, at most a handful. */
function describe(errors: ValidationError[]): string {
  const messages: string[] = [];
  const walk = (list: ValidationError[], path: string): void => {
    for (const error of list) {
      const field = path ? `${path}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {})) {
        const sentence = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
        messages.push(`${field}: ${sentence}`);
      }
      walk(error.children ?? [], field);
    }
  };
  walk(errors, '');
  const shown = messages.slice(0, MAX_REPORTED_ERRORS).join('; ');
  return messages.length > MAX_REPORTED_ERRORS ? `${shown}; and ${messages.length - MAX_REPORTED_ERRORS} more` : shown;
}

function withoutKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutKeys(item, keys));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!keys.has(key)) copy[key] = withoutKeys(item, keys);
  return copy;
}

/**
 * False when the text has at most `limit` opening brackets, so cannot nest deeper: a few native
 * searches instead of jsonDepth's walk over every character (half of parsing a typical callback).
 */
export function mayNestDeeperThan(text: string, limit: number): boolean {
  let openers = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) if (++openers > limit) return true;
  }
  return false;
}

/** Deepest nesting of arrays and objects in JSON text, in one pass without recursion (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
