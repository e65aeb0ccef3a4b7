import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// Response shapes of GET /event-relay, for the OpenAPI document; the controller returns plain
// objects of these shapes.

@ApiSchema({ name: 'EventRelayCursor', description: 'The inbox position (processing order) up to which every event is in the stream.' })
export class EventRelayCursorView {
  @ApiProperty({ type: 'integer', description: 'The processing transaction of the last relayed callback.' })
  txid!: number;

  @ApiProperty({ type: 'integer', description: 'Inbox id of the last relayed callback.' })
  inboxId!: number;
}

@ApiSchema({ name: 'EventRelayBacklog', description: 'Processed callbacks whose events are not yet in the stream.' })
export class EventRelayBacklogView {
  @ApiProperty({ type: 'integer' })
  rows!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  oldestProcessedAt!: string | null;
}

@ApiSchema({ name: 'EventRelayFailure', description: 'An event the relay could not publish (not serializable, too large) and skipped.' })
export class EventRelayFailureView {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ type: 'integer', description: 'The callback (GET /webhook-events/:id).' })
  inboxId!: number;

  @ApiProperty({ type: String, description: 'The event\'s id (Nats-Msg-Id), or `<SdkAppid>.<inbox id>` when the callback\'s events could not be rebuilt.', example: '1400000000.812.1' })
  eventId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'c2c.message.sent' })
  eventName!: string | null;

  @ApiProperty({ type: String })
  error!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  failedAt!: string;
}

@ApiSchema({ name: 'EventRelay', description: 'The event relay to NATS JetStream (EVENT_RELAY_URL).' })
export class EventRelayView {
  @ApiProperty({ type: Boolean, description: 'False without EVENT_RELAY_URL.' })
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'TENCENT_CHAT_EVENTS' })
  stream!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'tencent-chat' })
  subjectPrefix!: string | null;

  @ApiProperty({ type: Boolean, description: 'Connected to NATS right now.' })
  connected!: boolean;

  @ApiProperty({ type: Boolean, description: 'This instance holds the lease and publishes; the others stand by.' })
  leader!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last round failed (the broker away, ...); null after a good one.' })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPublishedAt!: string | null;

  @ApiProperty({ type: EventRelayCursorView, description: '0/0 before the relay published anything.' })
  cursor!: EventRelayCursorView;

  @ApiProperty({ type: 'integer', description: 'Events JetStream acknowledged so far (a re-publish counts again).' })
  published!: number;

  @ApiProperty({ type: EventRelayBacklogView })
  backlog!: EventRelayBacklogView;

  @ApiProperty({ type: 'integer' })
  failureCount!: number;

  @ApiProperty({ type: [EventRelayFailureView], description: 'Newest first, at most `limit`.' })
  failures!: EventRelayFailureView[];
}
