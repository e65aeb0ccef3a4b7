// examples/jetstream-consumer/sent-message-log.ts
import { Injectable } from '@nestjs/common';
import { OnRelayedEvent, type RelayedEvent } from './jetstream-consumer.js';

/** This application's own work for each delivered one-to-one message (here: a line kept in memory). */
@Injectable()
export class SentMessageLog {
  readonly lines: string[] = [];

  @OnRelayedEvent('c2c.message.sent')
  async record({ id, event }: RelayedEvent<{ from: string; to: string; msgKey: string }>): Promise<void> {
    this.lines.push(`${id} ${event.from} -> ${event.to} ${event.msgKey}`);
  }
}
