import { Injectable, Module } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { webhookInbox } from '../src/database/schema.js';
import { C2CMessageSentEvent, OnDomainEvent } from '../src/events/index.js';
import { FirstMessageGreeterModule } from '../examples/first-message-greeter/first-message-greeter.module.js';
import { GreetingOutbox } from '../examples/first-message-greeter/greeting-outbox.js';
import { callbackDedupeKey, callbackSample, createTestApp, freshen, OK, postCallback, readApi, type TestApp } from '../src/testing/index.js';
import { fixture } from './utils/callbacks.js';

describe('a listener in your own module', () => {
  let t: TestApp;

  afterEach(async () => {
    await t.close();
  });

  it('receives c2c.message.sent (the README example module)', async () => {
    t = await createTestApp({ imports: [FirstMessageGreeterModule] });

    expect((await postCallback(t, fixture('c2c-after-send-msg'))).body).toEqual(OK);
    await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgKey: '48375_1_1557481127', MsgSeq: 48375 });

    const outbox = t.app.get(GreetingOutbox);
    expect([...outbox.queued.entries()]).toEqual([['Jonh', 'Welcome, Jonh! jared just wrote to you.']]);
  });

  it('can be awaited: the event and the processed callback, without sleeping', async () => {
    t = await createTestApp({ imports: [FirstMessageGreeterModule] });
    const payload = freshen(callbackSample('C2C.CallbackAfterSendMsg')!);

    const sent = t.events.waitFor('c2c.message.sent', (event) => event.msgKey === payload.MsgKey);
    expect((await postCallback(t, payload)).body).toEqual(OK);

    expect((await sent).to).toBe('Jonh');
    const dedupeKey = await callbackDedupeKey(payload); // dedupeKeyOf('C2C.CallbackAfterSendMsg', 'Jonh', 'jared', payload.MsgKey)
    expect(await t.inboxRow(dedupeKey)).toMatchObject({ status: 'processed', attempts: 1 });
    expect(t.app.get(GreetingOutbox).queued.get('Jonh')).toContain('jared just wrote to you');
  });

  @Injectable()
  class FailingListener {
    @OnDomainEvent('c2c.message.sent')
    async handleMessageSent(_event: C2CMessageSentEvent): Promise<void> {
      throw new Error('CRM is down');
    }
  }
  @Module({ providers: [FailingListener] })
  class FailingModule {}

  it('that throws leaves the callback failed with the error, still acknowledged and still projected', async () => {
    t = await createTestApp({ imports: [FailingModule] });

    const answer = await postCallback(t, fixture('c2c-after-send-msg'));

    expect(answer.body).toEqual(OK); // stored: Tencent must not be told otherwise
    const [row] = await t.db.select().from(webhookInbox);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Error: CRM is down' });
    expect((await readApi(t, '/c2c/conversations/jared/Jonh/messages/48374_2837546_1557481126')).status).toBe(200);
  });

  @Injectable()
  class PlainOnEventListener {
    @OnEvent('c2c.message.sent')
    handleMessageSent(): void {
      throw new Error('plain @OnEvent failure');
    }
  }
  @Module({ providers: [PlainOnEventListener] })
  class PlainOnEventModule {}

  it('written with a plain @OnEvent does not lose its error either (Nest would suppress it by default)', async () => {
    t = await createTestApp({ imports: [PlainOnEventModule] });

    await postCallback(t, fixture('c2c-after-send-msg'));

    const [row] = await t.db.select().from(webhookInbox);
    expect(row).toMatchObject({ status: 'failed', lastError: 'Error: plain @OnEvent failure' });
  });
});
