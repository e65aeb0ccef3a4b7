import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { MessageBody } from '../events/message-body.js';
import type { BeforeAnswer } from './before-answer.js';
import type { BeforeCommandDefinition } from './before-commands.js';
import type { AnyDecision, BlockDecision } from './decision.js';
import { DecisionHandlers, type DecisionHandler } from './decision-handlers.js';

export interface HandlerRecord {
  handler: string;
  /** The decision kind, or what went wrong. */
  result: AnyDecision['kind'] | 'error' | 'timeout' | 'skipped';
  ms: number;
  error?: string;
}

/** What was answered and how: kept with the callback in the inbox for audit. */
export interface DecisionRecord {
  answer: BeforeAnswer;
  outcome: 'allow' | 'change' | 'block' | 'drop' | 'refuse-subscribers' | 'refuse-members';
  /** A handler failed or ran out of time and the fail-open (or fail-closed) rule decided. */
  failure: 'open' | 'closed' | null;
  elapsedMs: number;
  handlers: HandlerRecord[];
}

/** A handler answered something its command does not accept: a programming error, reported loudly. */
export class InvalidDecisionError extends Error {
  override readonly name = 'InvalidDecisionError';
}

class HandlerTimeout extends Error {}

interface MessageState {
  body?: MessageBody;
  cloudCustomData?: string | null;
}

/** Refused users accumulate; a command accepts one refusal kind, which names the answer's field. */
interface RefusalState extends MessageState {
  refused: string[];
  refusedKind: 'refuse-subscribers' | 'refuse-members' | undefined;
}

/**
 * Runs the handlers of a "before" callback in order within BEFORE_CALLBACK_BUDGET_MS and composes
 * their answers: the first block or drop wins; message changes chain from one handler to the next;
 * refused subscribers (or invitees) accumulate. A handler that throws, times out or answers something invalid
 * counts as allow (fail-open, Tencent's own default) or, with BEFORE_CALLBACK_FAIL_CLOSED, as block.
 */
@Injectable()
export class DecisionService {
  private readonly logger = new Logger(DecisionService.name);

  constructor(
    private readonly handlers: DecisionHandlers,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async decide(definition: BeforeCommandDefinition, request: object): Promise<DecisionRecord> {
    const started = performance.now();
    const deadline = started + this.config.beforeCallbackBudgetMs;
    const records: HandlerRecord[] = [];
    const state: RefusalState & { changed: Set<'body' | 'cloudCustomData'> } = { changed: new Set(), refused: [], refusedKind: undefined };
    let final: BlockDecision | { kind: 'drop' } | undefined;
    let failure: DecisionRecord['failure'] = null;

    for (const handler of this.handlers.for(definition.command)) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        records.push({ handler: handler.name, result: 'skipped', ms: 0, error: 'the time budget was spent' });
        failure = this.failureMode();
        break;
      }
      const handlerStarted = performance.now();
      try {
        const decision = this.checked(definition, await this.invoke(handler, this.withChanges(request, state), remaining));
        records.push({ handler: handler.name, result: decision.kind, ms: elapsed(handlerStarted) });
        if (decision.kind === 'block' || decision.kind === 'drop') {
          final = decision;
          break;
        }
        if (decision.kind === 'change') {
          if (decision.msgBody !== undefined) {
            state.body = decision.msgBody;
            state.changed.add('body');
          }
          if (decision.cloudCustomData !== undefined) {
            state.cloudCustomData = decision.cloudCustomData;
            state.changed.add('cloudCustomData');
          }
        }
        if (decision.kind === 'refuse-subscribers' || decision.kind === 'refuse-members') {
          state.refusedKind = decision.kind;
          state.refused.push(...decision.userIds.filter((id) => !state.refused.includes(id)));
        }
      } catch (error) {
        const timedOut = error instanceof HandlerTimeout;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        records.push({ handler: handler.name, result: timedOut ? 'timeout' : 'error', ms: elapsed(handlerStarted), error: message });
        this.logger.error(`${definition.command} handler ${handler.name} ${timedOut ? 'ran out of time' : 'failed'}: ${message}`);
        failure = this.failureMode();
        if (failure === 'closed') {
          final = { kind: 'block', code: 1, message: 'the request could not be checked' };
          break;
        }
        if (timedOut) break; // the budget is spent
      }
    }
    const decided = { ...this.answer(final, state), failure, elapsedMs: elapsed(started), handlers: records };
    this.metrics.observeDecision(definition.command, decided.outcome, failure, decided.elapsedMs / 1000);
    return decided;
  }

  private failureMode(): 'open' | 'closed' {
    return this.config.beforeCallbackFailClosed ? 'closed' : 'open';
  }

  private async invoke(handler: DecisionHandler, request: object, budgetMs: number): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HandlerTimeout(`no answer within ${Math.round(budgetMs)} ms`)), budgetMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => handler.invoke(request)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Only what the command documents goes on the wire; anything else is a handler bug. */
  private checked(definition: BeforeCommandDefinition, value: unknown): AnyDecision {
    if (value === undefined || value === null) return { kind: 'allow' };
    const decision = value as AnyDecision;
    const kinds: string[] = ['allow', 'block', ...definition.accepts];
    if (typeof value !== 'object' || !kinds.includes(decision.kind)) {
      throw new InvalidDecisionError(`${definition.command} accepts ${[...new Set(kinds)].join(', ')}; got ${JSON.stringify(value)}`);
    }
    if (decision.kind === 'block') {
      const range = definition.customCodes;
      const valid = decision.code === 1 || (range !== undefined && Number.isInteger(decision.code) && decision.code >= range.min && decision.code <= range.max);
      if (!valid) {
        const allowed = range ? `1 or ${range.min}-${range.max}` : '1';
        throw new InvalidDecisionError(`${definition.command} block code ${decision.code} is outside ${allowed}`);
      }
    }
    return decision;
  }

  private withChanges(request: object, state: MessageState & { changed: Set<string> }): object {
    if (state.changed.size === 0) return request;
    const changed: Record<string, unknown> = {};
    if (state.changed.has('body')) changed.body = state.body;
    if (state.changed.has('cloudCustomData')) changed.cloudCustomData = state.cloudCustomData;
    return Object.assign(Object.create(Object.getPrototypeOf(request) as object) as object, request, changed);
  }

  private answer(
    final: BlockDecision | { kind: 'drop' } | undefined,
    state: RefusalState & { changed: Set<string> },
  ): Pick<DecisionRecord, 'answer' | 'outcome'> {
    if (final?.kind === 'block') return { outcome: 'block', answer: { ActionStatus: 'OK', ErrorCode: final.code, ErrorInfo: final.message } };
    if (final?.kind === 'drop') return { outcome: 'drop', answer: { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' } };
    const answer: BeforeAnswer = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
    if (state.refused.length > 0 && state.refusedKind === 'refuse-members') {
      answer.RefusedMembers_Account = state.refused;
      return { outcome: 'refuse-members', answer };
    }
    if (state.refused.length > 0) {
      answer.RefusedSubscribers_Account = state.refused;
      return { outcome: 'refuse-subscribers', answer };
    }
    if (state.changed.has('body')) answer.MsgBody = state.body;
    if (state.changed.has('cloudCustomData')) answer.CloudCustomData = state.cloudCustomData ?? '';
    return { outcome: state.changed.size > 0 ? 'change' : 'allow', answer };
  }
}

const elapsed = (since: number): number => Math.round((performance.now() - since) * 100) / 100;
