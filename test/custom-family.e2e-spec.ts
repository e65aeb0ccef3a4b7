/**
 * A family of your own (issue 18, item 1): registered with WebhookModule.forFeature in your module,
 * it is decoded, stored, deduplicated and emitted like the built-in families, without any change to
 * src/webhook.
 */
import { Injectable, Module } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Equals, IsString } from 'class-validator';
import type { CallbackMetadata, DomainEvent, DomainEventName } from '../src/events/index.js';
import { eq } from 'drizzle-orm';
import { webhookInbox } from '../src/database/schema.js';
import { dedupeKeyOf, defineCommand, unmodelledDedupeKey } from '../src/webhook/commands/callback-command.js';
import { defineCallbackFamily } from '../src/webhook/commands/callback-family.js';
import { IsStorableString } from '../src/webhook/dto/validators.js';
import { WebhookModule } from '../src/webhook/webhook.module.js';
import { OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const PING = 'Test.CallbackAfterPing';

class PingDto {
  @Equals(PING)
  CallbackCommand!: typeof PING;

  @IsStorableString()
  PingId!: string;

  @IsString()
  Note!: string;
}

class PingedEvent {
  static readonly eventName = 'test.pinged';
  constructor(
    readonly pingId: string,
    readonly note: string,
    readonly metadata: CallbackMetadata,
  ) {}
}

// Not added to DomainEventMap (that would change the map for the whole program): the name is cast.
const PINGED = PingedEvent.eventName as unknown as DomainEventName;

const PING_CALLBACKS = defineCallbackFamily({
  name: 'ping',
  commands: [
    defineCommand({
      command: PING,
      dto: PingDto,
      dedupeKey: (c) => dedupeKeyOf(c.CallbackCommand, c.PingId),
      toEvent: (c, _raw, metadata) => ({ name: PINGED, payload: new PingedEvent(c.PingId, c.Note, metadata) }) as unknown as DomainEvent,
    }),
  ],
  beforeCommands: [],
  events: [PingedEvent],
});

@Injectable()
class PingListener {
  // A plain @OnEvent: the family's events get the same no-swallowed-errors policy as the built-in ones.
  @OnEvent(PingedEvent.eventName)
  onPing(event: PingedEvent): void {
    if (event.note === 'boom') throw new Error('ping listener failed');
  }
}

@Module({ imports: [WebhookModule.forFeature(PING_CALLBACKS)], providers: [PingListener] })
class PingModule {}

const ping = (pingId: string, note = 'hello'): Record<string, unknown> => ({ CallbackCommand: PING, PingId: pingId, Note: note });
const pingedEvents = (t: TestApp): PingedEvent[] => t.events.of(PINGED) as unknown as PingedEvent[];

describe('a callback family of your own', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is unhandled until its module registers it', async () => {
    t = await createTestApp();
    expect((await postCallback(t, ping('p-0'))).body).toEqual(OK);
    await t.events.waitFor('webhook.unhandled');
    const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.command, PING));
    expect({ pinged: pingedEvents(t).length, rows: rows.map((row) => ({ status: row.status, dedupeKey: row.dedupeKey })) }).toEqual({
      pinged: 0,
      rows: [{ status: 'unhandled', dedupeKey: unmodelledDedupeKey(PING, JSON.stringify(ping('p-0'))) }],
    });
  });

  it('is decoded, stored under its dedupe key, emitted once, and validated by its DTO', async () => {
    t = await createTestApp({ imports: [PingModule] });

    expect((await postCallback(t, ping('p-1'))).body).toEqual(OK);
    expect((await postCallback(t, ping('p-1'))).body).toEqual(OK);
    const invalid = await postCallback(t, { CallbackCommand: PING, Note: 'no id' });

    expect({
      events: pingedEvents(t).map((e) => ({ pingId: e.pingId, note: e.note, command: e.metadata.command })),
      row: await t.inboxRow(dedupeKeyOf(PING, 'p-1')),
      invalid: { status: invalid.status, info: (invalid.body as { ErrorInfo: string }).ErrorInfo },
    }).toEqual({
      events: [{ pingId: 'p-1', note: 'hello', command: PING }],
      row: expect.objectContaining({ status: 'processed', attempts: 1 }),
      invalid: { status: 400, info: expect.stringContaining('PingId') },
    });
  });

  it('has its listeners\' errors recorded, not swallowed', async () => {
    t = await createTestApp({ imports: [PingModule] });
    expect((await postCallback(t, ping('p-2', 'boom'))).body).toEqual(OK);
    expect(await t.inboxRow(dedupeKeyOf(PING, 'p-2'), ['failed'])).toMatchObject({ status: 'failed', lastError: 'Error: ping listener failed' });
  });

  it('cannot take a command another family registered: the application does not start', async () => {
    const TAKEN = defineCallbackFamily({ ...PING_CALLBACKS, name: 'taken', commands: [{ ...PING_CALLBACKS.commands[0]!, command: 'C2C.CallbackAfterSendMsg' }] });
    @Module({ imports: [WebhookModule.forFeature(TAKEN)] })
    class TakenModule {}
    await expect(createTestApp({ imports: [TakenModule] })).rejects.toThrow('C2C.CallbackAfterSendMsg is registered twice (family taken)');
  });
});
