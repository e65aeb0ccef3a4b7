import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CallbackDecoder, MalformedBodyError } from './callback-decoder.js';
import { singleParam, storableQuery } from './callback-query.js';
import { CallbackRegistry } from './commands/callback-registry.js';
import type { CallbackSource, IncomingCallback, ParsedCallback } from './incoming-callback.js';

// Strict: a lossy decode would store something other than what was sent, and could make two ids one.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const COMMAND_PATTERN = /^[A-Za-z][A-Za-z0-9_.]{0,127}$/;

/**
 * Parses the body, picks the DTO by CallbackCommand and validates it. Malformed requests are
 * refused here (400, not stored); a well-formed JSON object that fails validation comes out as
 * `invalid`, to be stored as rejected before it is refused.
 */
@Injectable()
export class CallbackBodyPipe implements PipeTransform<IncomingCallback, Promise<ParsedCallback>> {
  constructor(
    private readonly decoder: CallbackDecoder,
    private readonly registry: CallbackRegistry,
    private readonly config: AppConfig,
  ) {}

  async transform(incoming: IncomingCallback): Promise<ParsedCallback> {
    const command = singleParam(incoming.query, 'CallbackCommand');
    if (command === undefined || command === '') throw new BadRequestException('CallbackCommand query parameter is missing or repeated');
    if (!COMMAND_PATTERN.test(command)) throw new BadRequestException('CallbackCommand query parameter is not a command name');

    let rawText: string;
    try {
      rawText = UTF8.decode(incoming.body);
    } catch {
      throw new BadRequestException('body is not valid UTF-8');
    }
    let payload: Record<string, unknown>;
    try {
      payload = this.decoder.parse(rawText);
    } catch (error) {
      if (error instanceof MalformedBodyError) throw new BadRequestException(error.message);
      throw error;
    }
    const base = { command, rawText, source: this.sourceOf(incoming) };
    const decoded = await this.decoder.decode(command, payload);
    switch (decoded.kind) {
      case 'modelled':
        return { ...base, kind: 'modelled', definition: decoded.definition, dto: decoded.dto, payload };
      case 'before':
        return { ...base, kind: 'before', definition: decoded.definition, dto: decoded.dto, payload };
      case 'unmodelled':
        return { ...base, kind: 'unmodelled', payload };
      case 'invalid':
        return { ...base, kind: 'invalid', reason: decoded.reason, before: this.registry.findBefore(command) !== undefined };
    }
  }

  private sourceOf(incoming: IncomingCallback): CallbackSource {
    return {
      sdkAppId: this.config.sdkAppId,
      clientIp: storableText(singleParam(incoming.query, 'ClientIP')),
      optPlatform: storableText(singleParam(incoming.query, 'OptPlatform')),
      query: storableQuery(incoming.query),
      receivedAt: incoming.receivedAt,
      report: incoming.report,
    };
  }
}

/** Metadata columns are text: a NUL (possible in a query string) would make the insert fail. */
function storableText(value: string | undefined): string | null {
  return value === undefined ? null : value.replaceAll('\u0000', '');
}
