/**
 * LISTENER_BUDGET_MS: a slow listener never holds Tencent's answer. Past the budget the stored
 * callback is acknowledged, its dispatch goes on, and its outcome is recorded as usual.
 */
import { Injectable, Module } from '@nestjs/common';
import { C2CMessageSentEvent, OnDomainEvent } from '../src/events/index.js';
import { callbackSample, createTestApp, freshen, OK, postCallback, type TestApp } from '../src/testing/index.js';
import { dedupeKeyOf } from '../src/webhook/commands/callback-command.js';
import { InboxRecoveryService } from '../src/webhook/inbox/inbox-recovery.service.js';
import { webhookInbox } from '../src/webhook/inbox/inbox.schema.js';

const BUDGET_MS = 300;

/** A listener the test holds at a gate, then lets go, or makes throw. */
@Injectable()
class SlowListener {
  calls = 0;
  failNext = false;
  private release: () => void = () => undefined;
  private gate: Promise<void> = Promise.resolve();
  entered: Promise<void> = Promise.resolve();
  private enter: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
    this.entered = new Promise((resolve) => (this.enter = resolve));
  }

  letGo(): void {
    this.release();
  }

  @OnDomainEvent('c2c.message.sent')
  async handleMessageSent(_event: C2CMessageSentEvent): Promise<void> {
    this.calls++;
    this.enter();
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the outside service answered 502');
    }
  }
}

@Module({ providers: [SlowListener] })
class SlowListenerModule {}

describe('LISTENER_BUDGET_MS', () => {
  let t: TestApp;
  let listener: SlowListener;

  beforeEach(async () => {
    t = await createTestApp({ imports: [SlowListenerModule], env: { LISTENER_BUDGET_MS: String(BUDGET_MS), WEBHOOK_RETRY_BASE_DELAY_MS: '0' } });
    listener = t.app.get(SlowListener);
  });
  afterEach(async () => {
    listener.letGo();
    await t.close();
  });

  const send = () => {
    const payload = freshen(callbackSample('C2C.CallbackAfterSendMsg')!);
    const dedupeKey = dedupeKeyOf('C2C.CallbackAfterSendMsg', String(payload.To_Account), String(payload.From_Account), String(payload.MsgKey));
    return { payload, dedupeKey };
  };

  it('answers OK after the budget while the listener still runs, then records processed, once', async () => {
    listener.hold();
    const { payload, dedupeKey } = send();
    const started = Date.now();

    const answer = await postCallback(t, payload);
    const answeredAfterMs = Date.now() - started;

    expect(answer.body).toEqual(OK);
    expect(answeredAfterMs).toBeGreaterThanOrEqual(BUDGET_MS - 20);
    await listener.entered;
    expect((await t.inboxRow(dedupeKey, ['received', 'processed', 'failed'])).status).toBe('received');

    listener.letGo();
    expect(await t.inboxRow(dedupeKey)).toMatchObject({ status: 'processed', attempts: 1 });
    // A second delivery meanwhile, and a recovery run, change nothing: the listener ran once.
    expect((await postCallback(t, payload)).body).toEqual(OK);
    await t.app.get(InboxRecoveryService).runOnce();
    expect(listener.calls).toBe(1);
  });

  it('a listener that throws after the budget leaves the row failed, and a retry processes it', async () => {
    listener.hold();
    listener.failNext = true;
    const { payload, dedupeKey } = send();

    expect((await postCallback(t, payload)).body).toEqual(OK);
    listener.letGo();
    expect(await t.inboxRow(dedupeKey, ['failed'])).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Error: the outside service answered 502' });

    await t.app.get(InboxRecoveryService).runOnce();
    expect(await t.inboxRow(dedupeKey)).toMatchObject({ status: 'processed', attempts: 2 });
    expect(listener.calls).toBe(2);
  });

  it('a quick listener is awaited as before: its outcome is in the answer', async () => {
    const { payload, dedupeKey } = send();

    expect((await postCallback(t, payload)).body).toEqual(OK);
    // Awaited before the answer: processed already, no polling needed.
    const [row] = await t.db.select().from(webhookInbox);
    expect(row).toMatchObject({ dedupeKey, status: 'processed' });
  });
});
