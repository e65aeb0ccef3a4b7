/**
 * A small JetStream consumer for Nest: a durable consumer on the relay's stream, whose messages go
 * to the methods marked `@OnRelayedEvent(name)`; each message is acknowledged once every one of its
 * handlers has finished, and handed out again (after a pause) when one throws. Nothing here comes
 * from the webhook service: this application only shares the stream with it.
 */
import { Inject, Injectable, Logger, Module, SetMetadata, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AckPolicy, connect, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';

/** What the relay publishes for each domain event. */
export interface RelayedEvent<Fields = Record<string, unknown>> {
  /** Stable id (also the message's Nats-Msg-Id): a redelivered event has the same one. */
  id: string;
  name: string;
  event: Fields;
  metadata: { inboxId: number; command: string; sdkAppId: string; receivedAt: string; processedAt: string | null; attempt: number };
}

export interface JetStreamConsumerOptions {
  servers: string | string[];
  /** The relay's stream (EVENT_RELAY_STREAM, default TENCENT_CHAT_EVENTS). */
  stream: string;
  /** The durable consumer's name: it remembers what this application acknowledged across restarts. */
  durable: string;
  /** One subject filter (NATS 2.9 takes one): `tencent-chat.>`, or `tencent-chat.*.c2c.message.sent`. */
  filterSubject: string;
  /** How long a message may stay unacknowledged before JetStream hands it out again; default 30 s. */
  ackWaitMs?: number;
  /** Pause before a message whose handler threw is handed out again; default 1 s. */
  retryDelayMs?: number;
}

const RELAYED_EVENT = Symbol('relayed-event');
const OPTIONS = Symbol('jetstream-consumer-options');

/** Marks a method that handles one relayed event; it gets the RelayedEvent. */
export const OnRelayedEvent = (name: string): MethodDecorator => SetMetadata(RELAYED_EVENT, name);

type Handler = (event: RelayedEvent) => unknown;

@Injectable()
export class JetStreamConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JetStreamConsumer.name);
  private readonly handlers = new Map<string, Handler[]>();
  private connection: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(OPTIONS) private readonly options: JetStreamConsumerOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.discoverHandlers();
    const { stream, durable, filterSubject } = this.options;
    this.connection = await connect({ servers: this.options.servers, maxReconnectAttempts: -1 });
    const jsm = await this.connection.jetstreamManager();
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filterSubject,
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
    });
    const consumer = await this.connection.jetstream().consumers.get(stream, durable);
    this.messages = await consumer.consume({ max_messages: 100 });
    this.loop = this.consume(this.messages);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await this.connection?.drain();
  }

  private async consume(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) await this.handle(message);
  }

  private async handle(message: JsMsg): Promise<void> {
    try {
      const event = message.json<RelayedEvent>();
      for (const handler of this.handlers.get(event.name) ?? []) await handler(event);
      message.ack();
    } catch (error) {
      this.logger.warn(`Event ${message.headers?.get('Nats-Msg-Id') ?? message.seq} failed, redelivered later: ${String(error)}`);
      message.nak(this.options.retryDelayMs ?? 1000);
    }
  }

  private discoverHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = Reflect.getMetadata(RELAYED_EVENT, (prototype as Record<string, object>)[method]!) as string | undefined;
        if (name === undefined) continue;
        const handler = (instance[method] as Handler).bind(instance);
        this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
      }
    }
  }
}

@Module({})
export class JetStreamConsumerModule {
  static forRoot(options: JetStreamConsumerOptions): DynamicModule {
    return {
      module: JetStreamConsumerModule,
      imports: [DiscoveryModule],
      providers: [{ provide: OPTIONS, useValue: options }, JetStreamConsumer],
    };
  }
}
