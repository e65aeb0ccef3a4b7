// The consumer as its own process: `node dist/examples/jetstream-consumer/main.js` after a build
// (or with your own entry point). It has no HTTP server: an application context is enough.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConsumerAppModule } from './consumer-app.module.js';

const app = await NestFactory.createApplicationContext(
  ConsumerAppModule.forRoot({
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    stream: process.env.EVENT_RELAY_STREAM ?? 'TENCENT_CHAT_EVENTS',
    subjectPrefix: process.env.EVENT_RELAY_SUBJECT_PREFIX ?? 'tencent-chat',
    durable: process.env.CONSUMER_NAME ?? 'sent-message-log',
  }),
);
app.enableShutdownHooks();
