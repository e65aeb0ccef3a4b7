import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { UserStateChangedEvent } from '../src/presence/events/user-state-changed.event.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Payload = Record<string, unknown>;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const stateChange = (userId: string, action: string, reason: string, eventTime: number | string, kicked?: string[]): Payload => {
  const payload: Payload = { ...fixture('state-change'), Info: { Action: action, To_Account: userId, Reason: reason }, EventTime: eventTime };
  if (kicked) payload.KickedDevice = kicked.map((Platform) => ({ Platform }));
  else delete payload.KickedDevice;
  return payload;
};

describe('State.StateChange', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.events.clear();
  });

  async function post(payloads: Payload[], optPlatform = 'IOS'): Promise<void> {
    for (const payload of payloads) {
      const answer = await postCallback(t, payload, { extra: { OptPlatform: optPlatform } });
      expect({ status: answer.status, body: answer.body as unknown }).toEqual({ status: 200, body: OK });
    }
  }

  const presence = async (userId: string) => {
    const answer = await readApi(t, `/users/${encodeURIComponent(userId)}/presence`);
    expect(answer.status).toBe(200);
    return answer.body as Payload;
  };

  it('records the seed login (OptPlatform IOS, in upper case, kept as sent) and emits user.state.changed in camelCase', async () => {
    const seed = fixture('state-change');
    await post([seed], 'IOS');

    expect(await presence('jared')).toEqual({
      userId: 'jared',
      online: true,
      action: 'Login',
      reason: 'Register',
      kickedDevices: [{ platform: 'Windows' }, { platform: 'Android' }],
      eventTime: 1629883332497,
    });
    const [event] = t.events.of('user.state.changed');
    expect(event).toBeInstanceOf(UserStateChangedEvent);
    expect(event).toMatchObject({
      userId: 'jared',
      action: 'Login',
      online: true,
      reason: 'Register',
      kickedDevices: [{ platform: 'Windows' }, { platform: 'Android' }],
      eventTime: 1629883332497,
      raw: seed,
    });
    expect(event!.metadata).toMatchObject({ command: 'State.StateChange', optPlatform: 'IOS', clientIp: '203.0.113.7', attempt: 1 });
    expect(t.events.events.map((e) => e.name)).toEqual(['webhook.received', 'user.state.changed']);
    for (const key of Object.keys(event!)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
    const [row] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, 'State.StateChange'));
    expect(row).toMatchObject({ status: 'processed', optPlatform: 'IOS' });
  });

  it.each(['IOS', 'iOS', 'ios', 'Android', 'Windows', 'Mac', 'macOS', 'iPad', 'Web', 'RESTAPI', 'Unknown', 'SomethingNew'])(
    'accepts OptPlatform %s',
    async (optPlatform) => {
      await post([stateChange(`platform-${optPlatform}`, 'Login', 'Register', 1000, [optPlatform])], optPlatform);
      expect(await presence(`platform-${optPlatform}`)).toMatchObject({ online: true, kickedDevices: [{ platform: optPlatform }] });
      expect(t.events.of('user.state.changed')[0]!.metadata.optPlatform).toBe(optPlatform);
    },
  );

  it('goes offline on Logout and Disconnect, with no kicked devices when none are listed', async () => {
    await post([stateChange('kay', 'Login', 'Register', 1000, ['Android']), stateChange('kay', 'Logout', 'Unregister', 2000)]);
    expect(await presence('kay')).toEqual({ userId: 'kay', online: false, action: 'Logout', reason: 'Unregister', kickedDevices: [], eventTime: 2000 });
    await post([stateChange('kay', 'Login', 'Register', 3000), stateChange('kay', 'Disconnect', 'LinkClose', '4000')]);
    expect(await presence('kay')).toMatchObject({ online: false, action: 'Disconnect', reason: 'LinkClose', eventTime: 4000 });
    expect(t.events.of('user.state.changed').map((e) => [e.action, e.online])).toEqual([
      ['Login', true],
      ['Logout', false],
      ['Login', true],
      ['Disconnect', false],
    ]);
  });

  it('keeps the newest change by EventTime: a late older one does not win, whatever the arrival order', async () => {
    const changes = [
      stateChange('x', 'Login', 'Register', 1000, ['Windows']),
      stateChange('x', 'Disconnect', 'TimeOut', 2000),
      stateChange('x', 'Login', 'Register', 3000, ['Android']),
      stateChange('x', 'Logout', 'Unregister', 2500),
    ];
    for (const [i, order] of permutations(changes).entries()) {
      const userId = `order-${i}`;
      await post(order.map((c) => ({ ...c, Info: { ...(c.Info as Payload), To_Account: userId } })));
      expect(await presence(userId)).toEqual({ userId, online: true, action: 'Login', reason: 'Register', kickedDevices: [{ platform: 'Android' }], eventTime: 3000 });
    }
  });

  it('resolves two changes with the same EventTime the same way in either order (online first)', async () => {
    for (const [i, order] of permutations([stateChange('x', 'Login', 'Register', 5000), stateChange('x', 'Disconnect', 'LinkClose', 5000)]).entries()) {
      const userId = `tie-${i}`;
      await post(order.map((c) => ({ ...c, Info: { ...(c.Info as Payload), To_Account: userId } })));
      expect(await presence(userId)).toMatchObject({ online: true, action: 'Login', eventTime: 5000 });
    }
  });

  it('answers a duplicate (same user, EventTime and Action; EventTime as integer or string) OK with no second effect', async () => {
    await post([stateChange('dup', 'Login', 'Register', 6000), stateChange('dup', 'Login', 'Register', '6000')]);
    expect(t.events.of('user.state.changed')).toHaveLength(1);
  });

  it('answers 404 in the envelope for a user with no known state change', async () => {
    const answer = await readApi(t, '/users/nobody/presence');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
  });

  it('refuses an unknown Action, and keeps the callback as rejected', async () => {
    const payload = stateChange('bad', 'Dance', 'Register', 7000);
    const answer = await postCallback(t, payload);
    expect(answer.status).toBe(400);
    expect((answer.body as { ErrorInfo: string }).ErrorInfo).toContain('Info.Action');
    const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.status, 'rejected'));
    expect(rows.map((row) => JSON.parse(row.payload) as unknown)).toContainEqual(payload);
    expect((await readApi(t, '/users/bad/presence')).status).toBe(404);
  });
});
