import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from '../http/http-request.js';
import { addRequestNotes } from '../http/request-notes.js';
import type { BeforeCommandDefinition } from '../decisions/before-commands.js';
import type { CallbackCommandDefinition } from './commands/callback-command.js';

/** The request as the pipe receives it: query and body bytes. */
export interface IncomingCallback {
  readonly query: Record<string, unknown>;
  readonly body: Buffer;
  readonly receivedAt: Date;
  /** Names how the callback was handled, for metrics and logs. */
  readonly report: OutcomeReporter;
}

/** `dispatching`: stored and acknowledged once LISTENER_BUDGET_MS passed, its listeners still running. */
export type CallbackOutcome = 'processed' | 'failed' | 'dead' | 'duplicate' | 'unhandled' | 'decided' | 'rejected' | 'dispatching';
export type OutcomeReporter = (outcome: CallbackOutcome, dedupeKey?: string | null) => void;

/** Query metadata stored with every callback. */
export interface CallbackSource {
  readonly sdkAppId: string;
  readonly clientIp: string | null;
  readonly optPlatform: string | null;
  /** The query without Sign. */
  readonly query: Record<string, string | string[]>;
  readonly receivedAt: Date;
  readonly report: OutcomeReporter;
}

interface ParsedBase {
  readonly command: string;
  /** The body exactly as received (UTF-8 text). */
  readonly rawText: string;
  readonly source: CallbackSource;
}

/** What the pipe makes of a request: a modelled command, an unmodelled one, or an invalid one to keep as rejected. */
export type ParsedCallback =
  | (ParsedBase & {
      readonly kind: 'modelled';
      readonly definition: CallbackCommandDefinition<object>;
      readonly dto: object;
      readonly payload: Record<string, unknown>;
    })
  | (ParsedBase & {
      readonly kind: 'before';
      readonly definition: BeforeCommandDefinition;
      readonly dto: object;
      readonly payload: Record<string, unknown>;
    })
  | (ParsedBase & { readonly kind: 'unmodelled'; readonly payload: Record<string, unknown> })
  | (ParsedBase & { readonly kind: 'invalid'; readonly reason: string; readonly before: boolean });

export const TencentCallback = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IncomingCallback => {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    return {
      query: request.query,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      receivedAt: new Date(),
      // How the callback was handled, for the access log and the metrics (read once answered).
      report: (outcome, dedupeKey) => addRequestNotes(request, dedupeKey ? { outcome, dedupeKey } : { outcome }),
    };
  },
);
