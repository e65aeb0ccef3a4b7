import { Module } from '@nestjs/common';
import { FirstMessageGreeterListener } from './first-message-greeter.listener.js';
import { GreetingOutbox } from './greeting-outbox.js';

/** A consumer module: it only listens, so it exports nothing. Add it to AppModule's imports. */
@Module({
  providers: [FirstMessageGreeterListener, GreetingOutbox],
  exports: [],
})
export class FirstMessageGreeterModule {}
