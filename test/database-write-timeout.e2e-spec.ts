/**
 * DATABASE_WRITE_TIMEOUT_MS: an inbox write that does not finish in time is a 503 Tencent can read
 * (it gives up after 2 s). A write that commits after all is a duplicate at Tencent's retry, and
 * its row is dispatched by recovery: processed once, nothing lost, nothing doubled.
 */
import { callbackSample, createTestApp, freshen, OK, postCallback, type TestApp } from '../src/testing/index.js';
import { dedupeKeyOf } from '../src/webhook/commands/callback-command.js';
import { InboxRecoveryService } from '../src/webhook/inbox/inbox-recovery.service.js';
import { InboxRepository } from '../src/webhook/inbox/inbox.repository.js';

const WRITE_TIMEOUT_MS = 200;

describe('DATABASE_WRITE_TIMEOUT_MS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS), WEBHOOK_LEASE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 in time, and a write that commits after all is processed once, after Tencent retried', async () => {
    const inbox = t.app.get(InboxRepository);
    const insertIfNew = inbox.insertIfNew.bind(inbox);
    let release: () => void = () => undefined;
    const slowDatabase = new Promise<void>((resolve) => (release = resolve));
    let committed: Promise<unknown> = Promise.resolve();
    // The database answers late: the write goes through, after the deadline.
    inbox.insertIfNew = (...args) => (committed = slowDatabase.then(() => insertIfNew(...args))) as ReturnType<typeof insertIfNew>;
    const payload = freshen(callbackSample('C2C.CallbackAfterSendMsg')!);
    const dedupeKey = dedupeKeyOf('C2C.CallbackAfterSendMsg', String(payload.To_Account), String(payload.From_Account), String(payload.MsgKey));

    const started = Date.now();
    const refused = await postCallback(t, payload);
    const refusedAfterMs = Date.now() - started;

    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: 'the callback could not be stored; it was not accepted, retry later' });
    expect(refusedAfterMs).toBeGreaterThanOrEqual(WRITE_TIMEOUT_MS - 20);

    release();
    await committed;
    inbox.insertIfNew = insertIfNew;
    expect((await t.inboxRow(dedupeKey, ['received'])).status).toBe('received');

    // Tencent's retry: a duplicate, answered OK without a second effect.
    expect((await postCallback(t, payload)).body).toEqual(OK);
    // Recovery takes the row once its lease has ended (polling, not sleeping).
    const recovery = t.app.get(InboxRecoveryService);
    const deadline = Date.now() + 10_000;
    let row = await t.inboxRow(dedupeKey, ['received', 'processed']);
    while (row.status !== 'processed' && Date.now() < deadline) {
      await recovery.runOnce();
      row = await t.inboxRow(dedupeKey, ['received', 'processed']);
    }
    expect(row).toMatchObject({ status: 'processed', attempts: 1 });
    expect(t.events.of('c2c.message.sent').filter((event) => event.msgKey === payload.MsgKey)).toHaveLength(1);
  }, 30_000);
});
