import { Module, type DynamicModule } from '@nestjs/common';
import { JetStreamConsumerModule } from './jetstream-consumer.js';
import { SentMessageLog } from './sent-message-log.js';

export interface ConsumerAppSettings {
  natsUrl: string;
  stream: string;
  subjectPrefix: string;
  durable: string;
}

/** A second Nest application: it consumes c2c.message.sent from the relay's stream, nothing else. */
@Module({})
export class ConsumerAppModule {
  static forRoot(settings: ConsumerAppSettings): DynamicModule {
    return {
      module: ConsumerAppModule,
      imports: [
        JetStreamConsumerModule.forRoot({
          servers: settings.natsUrl,
          stream: settings.stream,
          durable: settings.durable,
          filterSubject: `${settings.subjectPrefix}.*.c2c.message.sent`,
        }),
      ],
      providers: [SentMessageLog],
    };
  }
}
