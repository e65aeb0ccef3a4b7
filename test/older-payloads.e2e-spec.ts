import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import type { CallbackMetadata } from '../src/events/callback-metadata.js';
import type { DomainEventName } from '../src/events/index.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

// Issue 17, item 12: Tencent's older published samples lack EventTime (State.StateChange's has
// neither EventTime nor KickedDevice). An "after" callback without EventTime is accepted, timed by
// its receipt, and its event's metadata says so.

interface TimedEvent {
  eventTime?: number;
  recalledAt?: number;
  metadata: CallbackMetadata;
}

/**
 * Every "after" command whose EventTime is optional, the event it becomes, and whether its dedupe
 * key holds the time (the extension change's holds the extension Seq, the recall's only the MsgKey).
 */
const WITHOUT_EVENT_TIME: [fixtureName: string, event: DomainEventName, timeInKey: boolean][] = [
  ['state-change', 'user.state.changed', true],
  ['c2c-modify-msg', 'c2c.message.edited', true],
  ['c2c-msg-extension-set', 'c2c.message-extension.changed', false],
  ['c2c-msg-withdraw', 'c2c.message.recalled', false],
  ['official-account-after-create', 'official-account.created', true],
  ['official-account-after-info-changed', 'official-account.updated', true],
  ['official-account-after-destroyed', 'official-account.destroyed', true],
  ['official-account-after-full', 'official-account.full', true],
  ['official-account-after-add-subscriber', 'official-account.subscribers.added', true],
  ['official-account-after-delete-subscriber', 'official-account.subscribers.removed', true],
  ['official-account-after-msg-withdraw', 'official-account.message.recalled', true],
];

function withoutEventTime(name: string): Record<string, unknown> {
  const { EventTime: _dropped, ...older } = fixture(name);
  return older;
}

/** Tencent's older State.StateChange sample: Info only. */
const olderStateChange = (action: 'Login' | 'Logout', reason: string) => ({
  CallbackCommand: 'State.StateChange',
  Info: { Action: action, To_Account: 'olduser', Reason: reason },
});

describe('older payload shapes (no EventTime)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());
  beforeEach(() => t.events.clear());

  it.each(WITHOUT_EVENT_TIME)('%s without EventTime is accepted and timed by its receipt', async (name, eventName, timeInKey) => {
    const answer = await postCallback(t, withoutEventTime(name));
    expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: OK });

    const event = (await t.events.waitFor(eventName)) as unknown as TimedEvent;
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.id, event.metadata.inboxId));
    const receivedAt = row!.receivedAt.getTime();
    expect({ time: event.eventTime ?? event.recalledAt, eventTimeIsReceipt: event.metadata.eventTimeIsReceipt, status: row!.status }).toEqual({
      time: receivedAt,
      eventTimeIsReceipt: true,
      status: 'processed',
    });
    if (timeInKey) expect(row!.dedupeKey).toContain(`"received:${receivedAt}"`);
    else expect(row!.dedupeKey).not.toContain('received:');
  });

  it.each(WITHOUT_EVENT_TIME.filter(([name]) => name !== 'c2c-msg-withdraw'))('%s with EventTime is timed by it, as before', async (name, eventName) => {
    const payload = fixture(name);
    // A later fact than the one above: a later time, and for an extension change the next Seq.
    const later = { ...payload, EventTime: Number(payload.EventTime) + 7, ...(typeof payload.Seq === 'number' ? { Seq: payload.Seq + 1 } : {}) };
    const answer = await postCallback(t, later);
    expect(answer.status).toBe(200);
    const event = (await t.events.waitFor(eventName)) as unknown as TimedEvent;
    expect({ time: event.eventTime, eventTimeIsReceipt: event.metadata.eventTimeIsReceipt }).toEqual({ time: Number(payload.EventTime) + 7, eventTimeIsReceipt: false });
  });

  it('treats EventTime null as absent: timed by its receipt, not by the epoch', async () => {
    const answer = await postCallback(t, { ...fixture('c2c-msg-extension-set'), EventTime: null, Seq: 40 });
    expect(answer.status).toBe(200);
    const event = (await t.events.waitFor('c2c.message-extension.changed')) as unknown as TimedEvent;
    expect({ time: event.eventTime, eventTimeIsReceipt: event.metadata.eventTimeIsReceipt }).toEqual({
      time: event.metadata.receivedAt.getTime(),
      eventTimeIsReceipt: true,
    });
  });

  it("projects Tencent's older State.StateChange sample: a login, a logout and a login again are three facts", async () => {
    const presence = async () => (await readApi(t, '/users/olduser/presence')).body as { online: boolean; action: string; eventTime: number };
    const steps: [ReturnType<typeof olderStateChange>, boolean][] = [
      [olderStateChange('Login', 'Register'), true],
      [olderStateChange('Logout', 'Unregister'), false],
      [olderStateChange('Login', 'Register'), true],
    ];
    for (const [callback, online] of steps) {
      t.events.clear();
      const answer = await postCallback(t, callback);
      expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: OK });
      const event = await t.events.waitFor('user.state.changed');
      expect({ presence: await presence(), kickedDevices: event.kickedDevices }).toEqual({
        presence: expect.objectContaining({ online, action: callback.Info.Action, eventTime: event.metadata.receivedAt.getTime() }),
        kickedDevices: [],
      });
    }
  });

  it('still refuses a callback without what its identity needs (State.StateChange without Info.To_Account)', async () => {
    const answer = await postCallback(t, { CallbackCommand: 'State.StateChange', Info: { Action: 'Login', Reason: 'Register' } });
    expect({ status: answer.status, info: (answer.body as { ErrorInfo: string }).ErrorInfo }).toEqual({ status: 400, info: expect.stringContaining('To_Account') });
  });
});
