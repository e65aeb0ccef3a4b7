import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { bodyAsReceived, INBOX_STATUSES, type InboxRow, type InboxStatus } from '../inbox/inbox.schema.js';

// Response shapes of the operations API. Classes only for the OpenAPI document: toSummary and
// toDetail return plain objects of these shapes.

/** One inbox row in the operations API (no secrets: the stored query never holds Sign). */
@ApiSchema({ name: 'WebhookEventSummary', description: 'One stored callback (an inbox row).' })
export class WebhookEventSummary {
  @ApiProperty({ type: 'integer', description: 'Inbox id.', example: 42 })
  id!: number;

  @ApiProperty({ type: String, description: 'CallbackCommand.', example: 'C2C.CallbackAfterSendMsg' })
  command!: string;

  @ApiProperty({ enum: INBOX_STATUSES, enumName: 'InboxStatus', description: 'Where the callback stands (see "Nothing lost, nothing doubled").' })
  status!: InboxStatus;

  @ApiProperty({ type: String, nullable: true, description: 'The unique key that makes a redelivery a no-op; null for a rejected callback.' })
  dedupeKey!: string | null;

  @ApiProperty({ type: 'integer', description: 'Dispatch attempts so far.' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The last listener error, or why the callback was rejected.' })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  processedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a failed callback is retried next.' })
  nextAttemptAt!: string | null;
}

@ApiSchema({ name: 'WebhookEventDetail', description: 'A stored callback with what was received.' })
export class WebhookEventDetail extends WebhookEventSummary {
  @ApiProperty({ type: String, example: '1400000000' })
  sdkAppId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'ClientIP query parameter.' })
  clientIp!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'OptPlatform query parameter.' })
  optPlatform!: string | null;

  /** The body as received, parsed. */
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body as received, parsed.' })
  payload!: unknown;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    description: 'The query string as received, without Sign.',
    example: { SdkAppid: '1400000000', CallbackCommand: 'C2C.CallbackAfterSendMsg', contenttype: 'json', RequestTime: '1603440181' },
  })
  query!: Record<string, string | string[]>;

  /** For a "before" callback: the answer given and how each handler decided. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'For a "before" callback: the answer given and how each handler decided; null otherwise.' })
  decision!: Record<string, unknown> | null;
}

@ApiSchema({ name: 'WebhookEventList' })
export class WebhookEventListView {
  @ApiProperty({ type: () => WebhookEventSummary, isArray: true, description: 'Newest first.' })
  items!: WebhookEventSummary[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass it as `cursor` for the next page; null on the last.', example: '41' })
  nextCursor!: string | null;
}

export function toSummary(row: InboxRow): WebhookEventSummary {
  return {
    id: row.id,
    command: row.command,
    status: row.status,
    dedupeKey: row.dedupeKey,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
  };
}

export function toDetail(row: InboxRow): WebhookEventDetail {
  return {
    ...toSummary(row),
    sdkAppId: row.sdkAppId,
    clientIp: row.clientIp,
    optPlatform: row.optPlatform,
    payload: JSON.parse(bodyAsReceived(row)) as unknown,
    query: row.query,
    decision: row.decision,
  };
}
