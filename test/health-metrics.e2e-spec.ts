import { Injectable, Module } from '@nestjs/common';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { C2CBeforeSendMsgRequest, OnBeforeCallback, type MessageDecision } from '../src/decisions/index.js';
import { fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** The value of one sample line of a Prometheus exposition, or undefined. */
function sample(metrics: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0]!;
    if (wanted.every((w) => labelText.includes(w))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

@Injectable()
class ThrowingHandler {
  @OnBeforeCallback('C2C.CallbackBeforeSendMsg')
  decide(request: C2CBeforeSendMsgRequest): MessageDecision | void {
    if (request.msgKey === 'boom') throw new Error('moderation down');
  }
}
@Module({ providers: [ThrowingHandler] })
class ThrowingModule {}

describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ThrowingModule], env: { CALLBACK_AUTH_TOKEN: 'metrics-token' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers liveness and readiness with the database and the inbox backlog', async () => {
    expect((await request(t.server).get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await request(t.server).get('/health');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, inbox: { status: 'up', failed: 0, dead: 0 } } });
    expect((await request(t.server).get('/health/ready')).body.status).toBe('ok');
  });

  it('reports a dead callback as degraded, still 200', async () => {
    await t.db.execute(sql`insert into webhook_inbox (command, status, payload, query, sdk_app_id) values ('X.Y', 'dead', '{}', '{}', '1400000000')`);
    const ready = await request(t.server).get('/health');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'degraded', details: { inbox: { status: 'degraded', dead: 1 } } });
    await t.db.execute(sql`delete from webhook_inbox where command = 'X.Y'`);
  });

  it('counts callbacks by command and outcome, times them and their dispatch, and counts inbox rows by status', async () => {
    const token = 'metrics-token';
    await postCallback(t, fixture('c2c-after-send-msg'), { token });
    await postCallback(t, fixture('c2c-after-send-msg'), { token }); // duplicate
    await postCallback(t, fixture('c2c-after-send-msg'), { token: 'wrong' }); // 401
    await postCallback(t, { ...fixture('c2c-after-send-msg'), MsgSeq: 'x' }, { token }); // rejected
    expect((await postCallback(t, fixture('c2c-before-send-msg'), { token })).body).toEqual(OK);
    await postCallback(t, { ...fixture('c2c-before-send-msg'), MsgKey: 'boom' }, { token }); // fail-open
    await postCallback(t, { CallbackCommand: 'Made.Up' }, { token }); // unhandled, label "other"

    const scrape = await request(t.server).get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toContain('text/plain');
    const m = scrape.text;
    const c2c = 'C2C.CallbackAfterSendMsg';
    expect(sample(m, 'tcw_callbacks_total', { command: c2c, outcome: 'processed' })).toBe(1);
    expect(sample(m, 'tcw_callbacks_total', { command: c2c, outcome: 'duplicate' })).toBe(1);
    expect(sample(m, 'tcw_callbacks_total', { command: c2c, outcome: 'unauthorized' })).toBe(1);
    expect(sample(m, 'tcw_callbacks_total', { command: c2c, outcome: 'rejected' })).toBe(1);
    expect(sample(m, 'tcw_callbacks_total', { command: 'C2C.CallbackBeforeSendMsg', outcome: 'decided' })).toBe(2);
    expect(sample(m, 'tcw_callbacks_total', { command: 'other', outcome: 'unhandled' })).toBe(1);
    expect(sample(m, 'tcw_callback_duration_seconds_count', { command: c2c })).toBe(4);
    expect(sample(m, 'tcw_dispatch_duration_seconds_count', { event: 'c2c.message.sent', result: 'ok' })).toBe(1);
    expect(sample(m, 'tcw_before_decision_duration_seconds_count', { command: 'C2C.CallbackBeforeSendMsg' })).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'tcw_before_decision_failures_total', { command: 'C2C.CallbackBeforeSendMsg', mode: 'open' })).toBe(1);
    expect(sample(m, 'tcw_inbox_rows', { status: 'processed' })).toBe(1);
    expect(sample(m, 'tcw_inbox_rows', { status: 'rejected' })).toBe(1);
    expect(sample(m, 'tcw_inbox_rows', { status: 'unhandled' })).toBe(1);
  });

  it('answers readiness 503 when the database is gone, liveness still 200', async () => {
    await t.connection.close();
    const ready = await request(t.server).get('/health');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', details: { database: { status: 'down' } } });
    expect((await request(t.server).get('/health/live')).status).toBe(200);
  });
});
