import { Logger } from '@nestjs/common';
import { connect, nanos, RetentionPolicy, StorageType, type JetStreamClient, type NatsConnection, type StreamConfig } from 'nats';
import { describeError } from '../common/describe-error.js';
import type { EventRelayConfig } from '../config/app-config.js';
import type { RelayMessage } from './relayed-events.js';

const PUBLISH_TIMEOUT_MS = 5000;
const RETENTION: Record<EventRelayConfig['retention'], RetentionPolicy> = {
  limits: RetentionPolicy.Limits,
  interest: RetentionPolicy.Interest,
  workqueue: RetentionPolicy.Workqueue,
};

/** The stream the relay creates when it is missing: every subject under the prefix. */
export function relayStreamConfig(config: EventRelayConfig): Partial<StreamConfig> & { name: string; subjects: string[] } {
  return {
    name: config.stream,
    subjects: [`${config.subjectPrefix}.>`],
    retention: RETENTION[config.retention],
    storage: StorageType.File,
    max_age: nanos(config.maxAgeHours * 3600 * 1000),
    duplicate_window: nanos(config.duplicateWindowSeconds * 1000),
  };
}

/**
 * One NATS connection (reconnecting forever once it has connected) and the stream, created at
 * start when missing. `publish` sends a batch in order on the one connection, so JetStream stores
 * it in that order, and resolves once every message is acknowledged (stored, or recognised as a
 * duplicate by its Nats-Msg-Id).
 */
export class JetStreamPublisher {
  private readonly logger = new Logger('EventRelay');
  private connection: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private streamReady = false;
  private connectedNow = false;

  constructor(private readonly config: EventRelayConfig) {}

  /** Connected to a server right now (false while the broker is away and the client reconnects). */
  get connected(): boolean {
    return this.connectedNow && this.connection !== undefined && !this.connection.isClosed();
  }

  /** The server's largest message (bytes); NATS' default until connected. */
  get maxPayload(): number {
    return this.connection?.info?.max_payload ?? 1024 * 1024;
  }

  /** Connects (when not yet) and makes sure the stream exists; throws when the broker does not answer. */
  async ready(): Promise<JetStreamClient> {
    if (!this.connection || this.connection.isClosed()) {
      const connection = await connect({
        servers: [...this.config.servers],
        name: 'tencent-chat-webhooks event relay',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: 2000,
        pingInterval: 5000,
        maxPingOut: 2,
      });
      this.connection = connection;
      this.connectedNow = true;
      this.streamReady = false;
      this.logger.log(`Connected to NATS at ${connection.getServer()}`);
      void this.watch(connection);
    }
    if (!this.streamReady) {
      await this.ensureStream(this.connection);
      this.js = this.connection.jetstream({ timeout: PUBLISH_TIMEOUT_MS });
      this.streamReady = true;
    }
    return this.js!;
  }

  async publish(messages: readonly RelayMessage[]): Promise<void> {
    const js = await this.ready();
    const acks = messages.map((message) =>
      js.publish(message.subject, message.data, { msgID: message.id, expect: { streamName: this.config.stream }, timeout: PUBLISH_TIMEOUT_MS }),
    );
    const results = await Promise.allSettled(acks);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw new Error(`JetStream did not acknowledge every event: ${describeError(failed.reason)}`);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection && !connection.isClosed()) await connection.close().catch(() => undefined);
  }

  private async ensureStream(connection: NatsConnection): Promise<void> {
    const jsm = await connection.jetstreamManager({ timeout: PUBLISH_TIMEOUT_MS });
    const wanted = relayStreamConfig(this.config);
    try {
      const info = await jsm.streams.info(wanted.name);
      const subjects = info.config.subjects ?? [];
      if (!subjects.includes(wanted.subjects[0]!)) {
        this.logger.warn(`Stream ${wanted.name} exists without the subject ${wanted.subjects[0]} (it has ${subjects.join(', ') || 'none'}): events may not be stored`);
      }
    } catch (error) {
      if (!/stream not found/i.test(describeError(error))) throw error;
      await jsm.streams.add(wanted);
      this.logger.log(`Created JetStream stream ${wanted.name} (${wanted.subjects[0]}, retention ${this.config.retention}, max age ${this.config.maxAgeHours} h)`);
    }
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        this.connectedNow = false;
        this.logger.warn('NATS disconnected; reconnecting');
      } else if (status.type === 'reconnect') {
        this.connectedNow = true;
        // The broker may have restarted without its storage: check the stream again.
        this.streamReady = false;
        this.logger.log(`Reconnected to NATS at ${connection.getServer()}`);
      }
    }
    this.connectedNow = false;
  }
}
