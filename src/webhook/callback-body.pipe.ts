import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { AppConfig } from '../config/app-config.js';
import { singleParam, storableQuery } from './callback-query.js';
import { CallbackRegistry } from './commands/callback-registry.js';
import type { CallbackSource, IncomingCallback, ParsedCallback } from './incoming-callback.js';

const COMMAND_PATTERN = /^[A-Za-z][A-Za-z0-9_.]{0,127}$/;
// Keys that would reach an object's prototype when the payload is copied into a DTO instance.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_REPORTED_ERRORS = 10;

/**
 * Parses the body, picks the DTO by CallbackCommand and validates it. Malformed requests are
 * refused here (400, not stored); a well-formed JSON object that fails validation comes out as
 * `invalid`, to be stored as rejected before it is refused.
 */
@Injectable()
export class CallbackBodyPipe implements PipeTransform<IncomingCallback, Promise<ParsedCallback>> {
  constructor(
    private readonly registry: CallbackRegistry,
    private readonly config: AppConfig,
  ) {}

  async transform(incoming: IncomingCallback): Promise<ParsedCallback> {
    const command = singleParam(incoming.query, 'CallbackCommand');
    if (command === undefined || command === '') throw new BadRequestException('CallbackCommand query parameter is missing or repeated');
    if (!COMMAND_PATTERN.test(command)) throw new BadRequestException('CallbackCommand query parameter is not a command name');

    const rawText = incoming.body.toString('utf8');
    const payload = parseJsonObject(rawText);
    const source = this.sourceOf(incoming);

    if (payload.CallbackCommand !== command) {
      const reason =
        typeof payload.CallbackCommand === 'string'
          ? `CallbackCommand in the body (${JSON.stringify(payload.CallbackCommand).slice(0, 140)}) differs from the query's (${command})`
          : 'CallbackCommand is missing from the body';
      return { kind: 'invalid', command, rawText, source, reason };
    }

    const definition = this.registry.find(command);
    if (!definition) return { kind: 'unmodelled', command, rawText, source, payload };

    const dto = plainToInstance(definition.dto, payload);
    const errors = await validate(dto, { forbidUnknownValues: false, validationError: { target: false, value: false } });
    if (errors.length > 0) return { kind: 'invalid', command, rawText, source, reason: `invalid fields: ${describe(errors)}` };
    return { kind: 'modelled', command, rawText, source, definition, dto, payload };
  }

  private sourceOf(incoming: IncomingCallback): CallbackSource {
    return {
      sdkAppId: this.config.sdkAppId,
      clientIp: storableText(singleParam(incoming.query, 'ClientIP')),
      optPlatform: storableText(singleParam(incoming.query, 'OptPlatform')),
      query: storableQuery(incoming.query),
      receivedAt: incoming.receivedAt,
    };
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => (PROTOTYPE_KEYS.has(key) ? undefined : v));
  } catch {
    throw new BadRequestException(text.trim() === '' ? 'body is empty; a JSON object is expected' : 'body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestException('body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** `MsgSeq (must be ...); MsgBody.0.MsgType (must be a string)`, at most a handful. */
function describe(errors: ValidationError[]): string {
  const messages: string[] = [];
  const walk = (list: ValidationError[], path: string): void => {
    for (const error of list) {
      const field = path ? `${path}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {})) {
        messages.push(`${field}: ${message.replace(error.property, '').trim() || 'is invalid'}`);
      }
      walk(error.children ?? [], field);
    }
  };
  walk(errors, '');
  const shown = messages.slice(0, MAX_REPORTED_ERRORS).join('; ');
  return messages.length > MAX_REPORTED_ERRORS ? `${shown}; and ${messages.length - MAX_REPORTED_ERRORS} more` : shown;
}

/** Metadata columns are text: a NUL (possible in a query string) would make the insert fail. */
function storableText(value: string | undefined): string | null {
  return value === undefined ? null : value.replaceAll('\u0000', '');
}
