import { Injectable, Module, type Type } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import {
  C2CBeforeSendMsgRequest,
  Decision,
  OfficialAccountBeforeAddSubscriberRequest,
  OnBeforeCallback,
  type BlockDecision,
  type MessageDecision,
} from '../src/decisions/index.js';
import { WebhookService } from '../src/webhook/webhook.service.js';
import { MessageModerationModule } from '../examples/message-moderation/message-moderation.module.js';
import { BLOCKED_CODE } from '../examples/message-moderation/keyword-filter.handler.js';
import { fixture, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const ALLOW = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

/** A module with one handler class, as a user would write it. */
function moduleWith(...providers: Type[]): Type {
  @Module({ providers })
  class HandlersModule {}
  return HandlersModule;
}

async function decisionRows(t: TestApp) {
  await t.app.get(WebhookService).auditsWritten();
  return t.db.select().from(webhookInbox).where(eq(webhookInbox.status, 'decided'));
}

describe('"before" callbacks', () => {
  let t: TestApp;
  const opened: TestApp[] = [];
  const start = async (options?: Parameters<typeof createTestApp>[0]): Promise<TestApp> => {
    t = await createTestApp(options);
    opened.push(t);
    return t;
  };
  afterEach(async () => {
    while (opened.length > 0) await opened.pop()!.close();
  });

  it('allows when no handler is registered, and records the decision in the inbox', async () => {
    t = await start();
    const answer = await postCallback(t, fixture('c2c-before-send-msg'));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(ALLOW);
    const [row] = await decisionRows(t);
    expect(row).toMatchObject({ command: 'C2C.CallbackBeforeSendMsg', status: 'decided', dedupeKey: null });
    expect(row!.decision).toMatchObject({ outcome: 'allow', failure: null, handlers: [], answer: ALLOW });
    expect(t.events.of('webhook.received')).toHaveLength(1);
    expect(t.events.events.filter((e) => e.name !== 'webhook.received')).toEqual([]);
  });

  describe('the README examples: a keyword filter that blocks, a tagger that appends a TIMCustomElem', () => {
    beforeEach(async () => {
      t = await start({ imports: [MessageModerationModule] });
    });

    it('blocks a message with a blocked word with the custom code and message, and does not tag it', async () => {
      const payload = { ...fixture('c2c-before-send-msg'), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'buy at SPAM-LINK.example now' } }] };
      const answer = await postCallback(t, payload);
      expect(answer.body).toEqual({ ActionStatus: 'OK', ErrorCode: BLOCKED_CODE, ErrorInfo: 'Your message contains a blocked word.' });
      const [row] = await decisionRows(t);
      expect(row!.decision).toMatchObject({
        outcome: 'block',
        handlers: [{ handler: 'KeywordFilterHandler.checkText', result: 'block' }],
      });
    });

    it('lets a clean message through with a TIMCustomElem appended', async () => {
      const seed = fixture('c2c-before-send-msg');
      const answer = await postCallback(t, seed);
      expect(answer.body).toEqual({
        ...ALLOW,
        MsgBody: [...(seed.MsgBody as unknown[]), { MsgType: 'TIMCustomElem', MsgContent: { Data: '{"checkedAt":1557481126}', Desc: 'server-tag' } }],
      });
      expect(answer.body).not.toHaveProperty('CloudCustomData');
    });
  });

  it('runs handlers by order: changes chain, the first block wins and later handlers do not run', async () => {
    const calls: string[] = [];
    @Injectable()
    class Handlers {
      @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 3 })
      third(request: C2CBeforeSendMsgRequest): MessageDecision {
        calls.push(`third saw ${request.cloudCustomData}`);
        return Decision.block({ code: 1, message: 'stop' });
      }
      @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 1 })
      first(request: C2CBeforeSendMsgRequest): MessageDecision {
        calls.push(`first saw ${request.cloudCustomData}`);
        return Decision.change({ cloudCustomData: `${request.cloudCustomData}+1` });
      }
      @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 2 })
      second(request: C2CBeforeSendMsgRequest): MessageDecision {
        calls.push(`second saw ${request.cloudCustomData}`);
        return Decision.change({ cloudCustomData: `${request.cloudCustomData}+2` });
      }
      @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 4 })
      fourth(): MessageDecision {
        calls.push('fourth');
        return Decision.allow();
      }
    }
    t = await start({ imports: [moduleWith(Handlers)] });

    const answer = await postCallback(t, { ...fixture('c2c-before-send-msg'), CloudCustomData: 'c' });

    expect(calls).toEqual(['first saw c', 'second saw c+1', 'third saw c+1+2']);
    expect(answer.body).toEqual({ ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'stop' });
  });

  it('chains changes to the end when nobody blocks, and answers drop as ErrorCode 2', async () => {
    @Injectable()
    class Chain {
      @OnBeforeCallback('OfficialAccount.CallbackBeforeSendMsg', { order: 1 })
      redact(): MessageDecision {
        return Decision.change({ msgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '***' } }] });
      }
      @OnBeforeCallback('OfficialAccount.CallbackBeforeSendMsg', { order: 2 })
      mark(): MessageDecision {
        return Decision.change({ cloudCustomData: 'redacted' });
      }
      @OnBeforeCallback('C2C.CallbackBeforeSendMsg')
      drop(): MessageDecision {
        return Decision.drop();
      }
    }
    t = await start({ imports: [moduleWith(Chain)] });

    expect((await postCallback(t, fixture('official-account-before-send-msg'))).body).toEqual({
      ...ALLOW,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '***' } }],
      CloudCustomData: 'redacted',
    });
    expect((await postCallback(t, fixture('c2c-before-send-msg'))).body).toEqual({ ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' });
  });

  it('refuses some subscribers, accumulating across handlers, or rejects the whole request', async () => {
    @Injectable()
    class Subscribers {
      @OnBeforeCallback('OfficialAccount.CallbackBeforeAddSubscriber')
      banned(request: OfficialAccountBeforeAddSubscriberRequest) {
        return Decision.refuseSubscribers(request.subscribers.filter((id) => id.startsWith('banned')));
      }
      @OnBeforeCallback('OfficialAccount.CallbackBeforeAddSubscriber')
      alsoUser2(request: OfficialAccountBeforeAddSubscriberRequest) {
        return request.officialAccount === 'closed' ? Decision.block() : Decision.refuseSubscribers(['user2', 'banned_user']);
      }
      @OnBeforeCallback('OfficialAccount.CallbackBeforeCreateOfficialAccount')
      onlyAdmins(request: { operator: string }) {
        return request.operator === 'admin' ? Decision.allow() : Decision.block({ code: 120_500, message: 'admins only' });
      }
    }
    t = await start({ imports: [moduleWith(Subscribers)] });

    expect((await postCallback(t, fixture('official-account-before-add-subscriber'))).body).toEqual({
      ...ALLOW,
      RefusedSubscribers_Account: ['banned_user', 'user2'],
    });
    expect((await postCallback(t, { ...fixture('official-account-before-add-subscriber'), Official_Account: 'closed' })).body).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 1,
      ErrorInfo: '',
    });
    expect((await postCallback(t, fixture('official-account-before-create'))).body).toEqual(ALLOW);
    expect((await postCallback(t, { ...fixture('official-account-before-create'), Operator_Account: 'someone' })).body).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 120_500,
      ErrorInfo: 'admins only',
    });
  });

  /** The "slow" handler hangs until the test lets it go: only the time budget can answer meanwhile. */
  const hanging = new Set<() => void>();
  const hang = (): Promise<void> =>
    new Promise((resolve) => {
      // A backstop, so that a hung handler never outlives the suite (nothing should wait this long).
      const timer = setTimeout(release, 5_000);
      function release(): void {
        clearTimeout(timer);
        hanging.delete(release);
        resolve();
      }
      hanging.add(release);
    });
  const releaseAll = (): void => [...hanging].forEach((release) => release());

  @Injectable()
  class Troubled {
    @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 1 })
    tag(): MessageDecision {
      return Decision.change({ cloudCustomData: 'tagged' });
    }
    @OnBeforeCallback('C2C.CallbackBeforeSendMsg', { order: 2 })
    async slow(request: C2CBeforeSendMsgRequest): Promise<MessageDecision> {
      if (request.msgKey === 'slow') await hang();
      if (request.msgKey === 'throws') throw new Error('moderation service unreachable');
      if (request.msgKey === 'bad-code') return Decision.block({ code: 99, message: 'x' }) as BlockDecision;
      if (request.msgKey === 'bad-kind') return Decision.refuseSubscribers(['x']) as unknown as MessageDecision;
      return Decision.allow();
    }
  }

  describe('fail-open (the default): a handler that throws, runs past the budget or answers out of range gives allow', () => {
    const BUDGET_MS = 100;
    /** Room for the HTTP round trip and a busy machine: still far below the budget a hung handler would take without the time limit. */
    const MARGIN_MS = 400;
    let shared: TestApp;
    beforeAll(async () => {
      shared = await createTestApp({ imports: [moduleWith(Troubled)], env: { BEFORE_CALLBACK_BUDGET_MS: String(BUDGET_MS) } });
    });
    afterEach(releaseAll);
    afterAll(async () => {
      await shared.close();
    });
    const keep = { ...ALLOW, CloudCustomData: 'tagged' }; // changes made before the failure stand

    it.each([
      ['slow', 'timeout', 'no answer within'],
      ['throws', 'error', 'moderation service unreachable'],
      ['bad-code', 'error', 'block code 99 is outside 1 or 120001-130000'],
      ['bad-kind', 'error', 'accepts allow, block, change, drop'],
    ])('%s: allow within the budget, and the failure is recorded', async (msgKey, result, error) => {
      const started = performance.now();
      const answer = await postCallback(shared, { ...fixture('c2c-before-send-msg'), MsgKey: msgKey });
      const tookMs = performance.now() - started;
      releaseAll();

      // What Tencent sees: the allow (with the changes made before the failure), within the budget
      // plus a margin, while the "slow" handler is still hanging.
      expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: keep });
      expect(tookMs).toBeLessThan(BUDGET_MS + MARGIN_MS);
      const rows = await decisionRows(shared);
      const row = rows.find((r) => (JSON.parse(r.payload) as { MsgKey: string }).MsgKey === msgKey);
      expect(row!.decision).toMatchObject({ failure: 'open', outcome: 'change', handlers: [{ result: 'change' }, { handler: 'Troubled.slow', result }] });
      expect(JSON.stringify(row!.decision)).toContain(error);
    });
  });

  it('fail-closed: a throwing handler blocks with code 1', async () => {
    t = await start({ imports: [moduleWith(Troubled)], env: { BEFORE_CALLBACK_FAIL_CLOSED: 'true' } });
    const answer = await postCallback(t, { ...fixture('c2c-before-send-msg'), MsgKey: 'throws' });
    expect(answer.body).toEqual({ ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'the request could not be checked' });
    expect((await decisionRows(t))[0]!.decision).toMatchObject({ failure: 'closed', outcome: 'block' });
  });

  it('answers from the decision even when the database is down', async () => {
    t = await start({ imports: [MessageModerationModule] });
    await t.connection.close();
    const answer = await postCallback(t, fixture('c2c-before-send-msg'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    await t.app.get(WebhookService).auditsWritten(); // the failed audit write is logged, not thrown
  });

  it('refuses an invalid "before" callback with 400 naming the field, and keeps it as rejected', async () => {
    t = await start();
    const answer = await postCallback(t, { ...fixture('c2c-before-send-msg'), MsgBody: 'not an array' });
    expect(answer.status).toBe(400);
    expect(answer.body.ErrorInfo).toContain('MsgBody');
    await t.app.get(WebhookService).auditsWritten();
    const rows = await t.db.select().from(webhookInbox);
    expect(rows).toMatchObject([{ status: 'rejected', command: 'C2C.CallbackBeforeSendMsg' }]);
  });
});
