import { BadRequestException, Injectable, Logger, ServiceUnavailableException, type BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ACK, type TencentAnswer } from '../common/tencent-answer.js';
import type { BeforeAnswer } from '../decisions/before-answer.js';
import { BeforeCallbackContext } from '../decisions/before-requests.js';
import { DecisionService } from '../decisions/decision.service.js';
import { DecisionAuditWriter } from './decision-audit.writer.js';
import { describeError } from '../common/describe-error.js';
import { CallbackDispatcher, type DispatchOutcome } from './callback-dispatcher.js';
import { unmodelledDedupeKey } from './commands/callback-command.js';
import type { ParsedCallback } from './incoming-callback.js';
import { InboxRepository, type DispatchRow } from './inbox/inbox.repository.js';
import { LiveCallbacks } from './live-callbacks.js';

type BeforeCallback = Extract<ParsedCallback, { kind: 'before' }>;

/**
 * "After" callbacks: persist before ack, then dispatch. "Before" callbacks: decide within the
 * budget and answer; the audit record is written afterwards and never delays the answer.
 */
@Injectable()
export class WebhookService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookService.name);
  private readonly pendingAudits = new Set<Promise<void>>();
  private readonly pendingDispatches = new Set<Promise<DispatchOutcome>>();

  constructor(
    private readonly inbox: InboxRepository,
    private readonly dispatcher: CallbackDispatcher,
    private readonly decisions: DecisionService,
    private readonly audits: DecisionAuditWriter,
    private readonly config: AppConfig,
    private readonly live: LiveCallbacks,
  ) {}

  async receive(callback: ParsedCallback): Promise<TencentAnswer | BeforeAnswer> {
    switch (callback.kind) {
      case 'before':
        return this.decide(callback);
      case 'invalid':
        callback.source.report('rejected');
        if (callback.before) this.inBackground(this.inbox.insertRejected(callback, callback.reason).then(() => undefined), callback.command);
        else await this.store(() => this.inbox.insertRejected(callback, callback.reason), callback.command);
        throw new BadRequestException(callback.reason);
      case 'modelled':
      case 'unmodelled':
        return this.live.track(this.storeAndDispatch(callback));
    }
  }

  private async storeAndDispatch(callback: Extract<ParsedCallback, { kind: 'modelled' | 'unmodelled' }>): Promise<TencentAnswer> {
    const dedupeKey =
      callback.kind === 'modelled'
        ? callback.definition.dedupeKey(callback.dto, callback.source.receivedAt)
        : unmodelledDedupeKey(callback.command, callback.rawText);
    const row = await this.store(() => this.inbox.insertIfNew({ ...callback, dedupeKey }, this.config.leaseSeconds), callback.command);
    if (!row) {
      callback.source.report('duplicate', dedupeKey); // already stored, and dispatched or pending
      return ACK;
    }
    const dispatching = this.dispatcher.dispatch({
      row,
      payload: callback.payload,
      modelled: callback.kind === 'modelled' ? { definition: callback.definition, dto: callback.dto } : undefined,
    });
    const outcome = await this.withinListenerBudget(dispatching);
    callback.source.report(outcome, dedupeKey);
    return ACK;
  }

  /** Lets audit writes and dispatches past their budget finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pendingDispatches]);
    await this.auditsWritten();
  }

  /**
   * The dispatch's outcome, or `dispatching` once LISTENER_BUDGET_MS has passed: the callback is
   * stored, so it is acknowledged, and its dispatch goes on (under the row's lease, so no other
   * instance takes it meanwhile), recording processed or failed as usual. The dispatcher never throws.
   */
  private async withinListenerBudget(dispatching: Promise<DispatchOutcome>): Promise<DispatchOutcome | 'dispatching'> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'dispatching'>((resolve) => (timer = setTimeout(() => resolve('dispatching'), this.config.listenerBudgetMs)));
    const outcome = await Promise.race([dispatching, budget]);
    clearTimeout(timer);
    if (outcome === 'dispatching') {
      this.pendingDispatches.add(dispatching);
      void dispatching.finally(() => this.pendingDispatches.delete(dispatching));
    }
    return outcome;
  }

  /** Resolves once every decision and rejection recorded in the background so far is written (or has failed). */
  async auditsWritten(): Promise<void> {
    await Promise.allSettled([...this.pendingAudits]);
    await this.audits.written();
  }

  private async decide(callback: BeforeCallback): Promise<BeforeAnswer> {
    const { source } = callback;
    const context = new BeforeCallbackContext(callback.command, source.sdkAppId, source.clientIp, source.optPlatform, source.receivedAt);
    const record = await this.decisions.decide(callback.definition, callback.definition.toRequest(callback.dto, callback.payload, context));
    this.audits.record(callback, record);
    source.report('decided');
    return record.answer;
  }

  private inBackground(work: Promise<void>, command: string): void {
    const tracked = work.catch((error: unknown) => this.logger.error(`Could not record a ${command} callback: ${describeError(error)}`));
    this.pendingAudits.add(tracked);
    void tracked.finally(() => this.pendingAudits.delete(tracked));
  }

  /**
   * The inbox write, or 503 once DATABASE_WRITE_TIMEOUT_MS has passed (waiting for a connection
   * included): Tencent gives up after 2 s, and a 503 it reads beats a timeout. A write that commits
   * after all is a duplicate at Tencent's retry (answered OK, no second effect); its row, never
   * dispatched here, is dispatched by recovery once its lease ends.
   */
  private async store<T extends DispatchRow | undefined>(insert: () => Promise<T>, command: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the database within DATABASE_WRITE_TIMEOUT_MS (${this.config.databaseWriteTimeoutMs} ms)`)), this.config.databaseWriteTimeoutMs);
    });
    const writing = insert();
    void writing.catch(() => undefined); // past the deadline, its own failure has nobody to tell
    try {
      return await Promise.race([writing, deadline]);
    } catch (error) {
      this.logger.error(`Could not store a ${command} callback: ${describeError(error)}`);
      throw new ServiceUnavailableException('the callback could not be stored; it was not accepted, retry later');
    } finally {
      clearTimeout(timer);
    }
  }
}

