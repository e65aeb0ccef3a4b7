import { Injectable } from '@nestjs/common';
import { describeError } from '../common/describe-error.js';
import { CallbackMetadata } from '../events/callback-metadata.js';
import type { DomainEvent } from '../events/domain-events.js';
import { WebhookReceivedEvent } from '../events/webhook-received.event.js';
import { WebhookUnhandledEvent } from '../events/webhook-unhandled.event.js';
import { CallbackDecoder } from '../webhook/callback-decoder.js';
import { bodyAsReceived } from '../webhook/inbox/inbox.schema.js';
import type { NewRelayFailure, RelayRow } from './relay.repository.js';

/** One domain event as it goes to JetStream. */
export interface RelayMessage {
  /** Stable: `<SdkAppid>.<inbox id>.<index of the event in its callback>`; sent as Nats-Msg-Id. */
  readonly id: string;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly processedAt: Date | null;
}

/** The JSON body of a relayed event (what a consumer parses). */
export interface RelayedEventJson {
  id: string;
  name: string;
  /** The event's public fields (camelCase, as listeners get them), without its metadata. */
  event: Record<string, unknown>;
  metadata: {
    inboxId: number;
    command: string;
    sdkAppId: string;
    clientIp: string | null;
    optPlatform: string | null;
    receivedAt: string;
    processedAt: string | null;
    attempt: number;
    eventTimeIsReceipt: boolean;
  };
}

const encoder = new TextEncoder();

/**
 * Rebuilds the domain events of a processed callback from its stored body, exactly as the
 * dispatcher emitted them: `webhook.received`, then the family's event (or `webhook.unhandled`).
 * The stored body is decoded again through the command registry: the inbox is the outbox, and
 * nothing is written on the request path for the relay. Event `i` of inbox row `n` has the id
 * `<SdkAppid>.n.i`, the same however often the row is read again (after a crash, a replay).
 */
@Injectable()
export class RelayedEvents {
  constructor(private readonly decoder: CallbackDecoder) {}

  async of(row: RelayRow, subjectPrefix: string, maxPayload: number): Promise<{ messages: RelayMessage[]; failures: NewRelayFailure[] }> {
    const rowId = `${row.sdkAppId}.${row.id}`;
    let events: DomainEvent[];
    try {
      events = await this.rebuild(row);
    } catch (error) {
      return { messages: [], failures: [{ inboxId: row.id, eventId: rowId, eventName: null, eventIndex: null, error: `cannot rebuild the events: ${describeError(error)}` }] };
    }
    const messages: RelayMessage[] = [];
    const failures: NewRelayFailure[] = [];
    events.forEach((event, index) => {
      const id = `${rowId}.${index}`;
      try {
        const data = encoder.encode(JSON.stringify(toJson(id, event, row)));
        if (data.byteLength > maxPayload) throw new Error(`the event is ${data.byteLength} bytes, over the server's max_payload of ${maxPayload}`);
        messages.push({ id, subject: `${subjectPrefix}.${row.sdkAppId}.${event.name}`, data, processedAt: row.processedAt });
      } catch (error) {
        failures.push({ inboxId: row.id, eventId: id, eventName: event.name, eventIndex: index, error: `cannot serialize: ${describeError(error)}` });
      }
    });
    return { messages, failures };
  }

  private async rebuild(row: RelayRow): Promise<DomainEvent[]> {
    const payload = this.decoder.parse(bodyAsReceived(row));
    const decoded = await this.decoder.decode(row.command, payload);
    // `attempts` counts the successful attempt too: the metadata the listeners saw.
    const metadata = new CallbackMetadata(row.id, row.command, row.sdkAppId, row.clientIp, row.optPlatform, row.receivedAt, row.attempts);
    const received: DomainEvent = { name: 'webhook.received', payload: new WebhookReceivedEvent(metadata, payload) };
    switch (decoded.kind) {
      case 'modelled':
        return [received, decoded.definition.toEvent(decoded.dto, payload, metadata)];
      case 'unmodelled':
        return [received, { name: 'webhook.unhandled', payload: new WebhookUnhandledEvent(metadata, payload) }];
      case 'invalid':
        throw new Error(`the stored callback no longer validates: ${decoded.reason}`);
      case 'before':
        throw new Error('a "before" callback has no domain events');
    }
  }
}

function toJson(id: string, event: DomainEvent, row: RelayRow): RelayedEventJson {
  const { metadata: own, ...fields } = event.payload as unknown as Record<string, unknown> & { metadata?: unknown };
  const metadata = own instanceof CallbackMetadata ? own : undefined;
  return {
    id,
    name: event.name,
    event: fields,
    metadata: {
      inboxId: row.id,
      command: row.command,
      sdkAppId: row.sdkAppId,
      clientIp: row.clientIp,
      optPlatform: row.optPlatform,
      receivedAt: row.receivedAt.toISOString(),
      processedAt: row.processedAt?.toISOString() ?? null,
      attempt: row.attempts,
      eventTimeIsReceipt: metadata?.eventTimeIsReceipt ?? false,
    },
  };
}
