import { jest } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { C2CExtensionRepository } from '../src/c2c/c2c-extension.repository.js';
import { C2CMessageRepository } from '../src/c2c/c2c-message.repository.js';
import { C2CUnreadRepository } from '../src/c2c/c2c-unread.repository.js';
import { c2cMessageExtensionKeys, c2cMessageExtensionVersions, c2cMessages, c2cUnreadCounts, officialAccountMessages, webhookInbox } from '../src/database/schema.js';
import { sqlClientOf } from '../src/database/sql-client.js';
import { C2CMessageExtensionChangedEvent } from '../src/c2c/events/c2c-message-extension-changed.event.js';
import { C2CMessageSentEvent } from '../src/c2c/events/c2c-message-sent.event.js';
import { OfficialAccountMessageSentEvent } from '../src/official-account/events/official-account-message-sent.event.js';
import { OfficialAccountMessageRepository } from '../src/official-account/official-account-message.repository.js';
import { InboxRepository, type NewInboxEntry } from '../src/webhook/inbox/inbox.repository.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

// Writes added in one event-loop turn go to the database as one statement (WriteBatcher). These
// check, on the real database, what each caller gets and what is stored when a batch holds
// several writes to the same row: the result must be what one statement per write would give.

const entry = (dedupeKey: string, n: number): NewInboxEntry => ({
  command: 'C2C.CallbackAfterSendMsg',
  dedupeKey,
  rawText: JSON.stringify({ CallbackCommand: 'C2C.CallbackAfterSendMsg', n }),
  source: {
    sdkAppId: '1400000000',
    clientIp: '10.0.0.1',
    optPlatform: 'iOS',
    query: { SdkAppid: '1400000000', CallbackCommand: 'C2C.CallbackAfterSendMsg' },
    receivedAt: new Date(),
    report: () => undefined,
  },
});

describe('writes batched in one statement', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('inbox: a dedupe key twice in one batch is stored once; the first caller gets the row, the second a duplicate', async () => {
    const inbox = t.app.get(InboxRepository);
    const results = await Promise.all([
      inbox.insertIfNew(entry('batch-a', 1), 30),
      inbox.insertIfNew(entry('batch-a', 2), 30),
      inbox.insertIfNew(entry('batch-b', 3), 30),
      inbox.insertIfNew(entry('batch-a', 4), 30),
    ]);

    expect(results.map((row) => row?.dedupeKey)).toEqual(['batch-a', undefined, 'batch-b', undefined]);
    expect(results[0]!.id).not.toBe(results[2]!.id);
    const stored = await t.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, 'batch-a'));
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]!.payload)).toMatchObject({ n: 1 });
    expect(stored[0]).toMatchObject({ status: 'received', clientIp: '10.0.0.1', optPlatform: 'iOS', attempts: 0 });
    expect(stored[0]!.query).toEqual({ SdkAppid: '1400000000', CallbackCommand: 'C2C.CallbackAfterSendMsg' });
    expect(stored[0]!.leaseUntil).not.toBeNull();

    // Already stored: a later batch answers duplicate for both.
    expect(await Promise.all([inbox.insertIfNew(entry('batch-a', 5), 30), inbox.insertIfNew(entry('batch-b', 6), 30)])).toEqual([undefined, undefined]);
  });

  it('unread totals: several sends to one user in one batch keep the newest by MsgTime, then MsgSeq', async () => {
    const unread = t.app.get(C2CUnreadRepository);
    await Promise.all([
      unread.recordIfNewer('reader-1', 5, 1000, 7),
      unread.recordIfNewer('reader-1', 9, 1001, 2), // newest
      unread.recordIfNewer('reader-1', 6, 1001, 1),
      unread.recordIfNewer('reader-2', 1, 900, 1),
    ]);
    const rows = await t.db.select().from(c2cUnreadCounts);
    expect(Object.fromEntries(rows.map((r) => [r.userId, [r.unreadMsgNum, r.msgTime, r.msgSeq]]))).toMatchObject({
      'reader-1': [9, 1001, 2],
      'reader-2': [1, 900, 1],
    });

    // An older send in a later batch changes nothing.
    await unread.recordIfNewer('reader-1', 3, 1000, 9);
    const [kept] = await t.db.select().from(c2cUnreadCounts).where(eq(c2cUnreadCounts.userId, 'reader-1'));
    expect(kept!.unreadMsgNum).toBe(9);
  });

  it('extension keys: two changes of one key in one batch keep the later one by Seq, whatever their order', async () => {
    const extensions = t.app.get(C2CExtensionRepository);
    const change = (seq: number, operation: 'set' | 'delete', value: string) =>
      new C2CMessageExtensionChangedEvent({
        from: 'ann',
        to: 'bob',
        msgKey: 'm1',
        operation,
        seq,
        items: [{ key: 'k', value, seq }],
      } as unknown as ConstructorParameters<typeof C2CMessageExtensionChangedEvent>[0]);
    await Promise.all([extensions.applyChange(change(3, 'set', 'third')), extensions.applyChange(change(2, 'set', 'second'))]);

    const [row] = await t.db.select().from(c2cMessageExtensionKeys).where(eq(c2cMessageExtensionKeys.msgKey, 'm1'));
    expect(row).toMatchObject({ key: 'k', value: 'third', changedAtSeq: 3, deleted: false });
    const state = await extensions.findForMessages([{ userA: 'ann', userB: 'bob', msgKey: 'm1' }]);
    expect(state.get(JSON.stringify(['ann', 'bob', 'm1']))).toEqual({ seq: 3, items: [{ key: 'k', value: 'third', seq: 3 }] });
  });

  it('writes of different kinds waiting together go in one statement, and each lands as if written alone', async () => {
    const inbox = t.app.get(InboxRepository);
    const stored = (await inbox.insertIfNew(entry('combined-mark', 1), 30))!;
    const client = sqlClientOf(t.db);
    const statements = jest.spyOn(client, 'query');
    try {
      await Promise.all([
        t.app.get(C2CMessageRepository).insertFromSendEvent(
          new C2CMessageSentEvent({
            from: 'cara',
            to: 'dan',
            msgKey: 'combined-1',
            msgSeq: 4,
            msgRandom: 5,
            msgTime: 1700000000,
            msgId: 'id-1',
            onlineOnly: false,
            sendMsgResult: 0,
            errorInfo: '',
            unreadMsgNum: 2,
            body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
            cloudCustomData: '',
          } as unknown as ConstructorParameters<typeof C2CMessageSentEvent>[0]),
        ),
        t.app.get(C2CUnreadRepository).recordIfNewer('dan', 2, 1700000000, 4),
        t.app.get(C2CExtensionRepository).applyChange(
          new C2CMessageExtensionChangedEvent({
            from: 'cara',
            to: 'dan',
            msgKey: 'combined-1',
            operation: 'set',
            seq: 1,
            items: [{ key: 'like', value: '1', seq: 1 }],
          } as unknown as ConstructorParameters<typeof C2CMessageExtensionChangedEvent>[0]),
        ),
        t.app.get(OfficialAccountMessageRepository).insertFromSentEvent(
          new OfficialAccountMessageSentEvent({
            officialAccount: '@TOA#_combined',
            msgKey: 'oa-combined-1',
            msgTime: 1700000001,
            onlineOnly: false,
            body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'news' } }],
            cloudCustomData: '',
            eventTime: 1700000001000,
          } as unknown as ConstructorParameters<typeof OfficialAccountMessageSentEvent>[0]),
        ),
        inbox.markDispatched(stored.id, 'processed'),
      ]);
      expect(statements.mock.calls.map(([statement]) => statement.name)).toEqual([expect.stringMatching(/^combined_/)]);
    } finally {
      statements.mockRestore();
    }

    const [message] = await t.db.select().from(c2cMessages).where(eq(c2cMessages.msgKey, 'combined-1'));
    expect(message).toMatchObject({ userA: 'cara', userB: 'dan', fromAccount: 'cara', toAccount: 'dan', msgSeq: 4, unreadMsgNum: 2 });
    const [unread] = await t.db.select().from(c2cUnreadCounts).where(eq(c2cUnreadCounts.userId, 'dan'));
    expect(unread).toMatchObject({ unreadMsgNum: 2, msgTime: 1700000000, msgSeq: 4 });
    const [key] = await t.db.select().from(c2cMessageExtensionKeys).where(eq(c2cMessageExtensionKeys.msgKey, 'combined-1'));
    expect(key).toMatchObject({ key: 'like', value: '1', seq: 1 });
    const [version] = await t.db.select().from(c2cMessageExtensionVersions).where(eq(c2cMessageExtensionVersions.msgKey, 'combined-1'));
    expect(version).toMatchObject({ seq: 1 });
    const [broadcast] = await t.db.select().from(officialAccountMessages).where(eq(officialAccountMessages.msgKey, 'oa-combined-1'));
    expect(broadcast).toMatchObject({ officialAccount: '@TOA#_combined', msgTime: 1700000001 });
    const [mark] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.id, stored.id));
    expect(mark).toMatchObject({ status: 'processed', attempts: 1, leaseUntil: null });
  });
});
