import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, ApiTokenGuard } from '../common/api-token.guard.js';
import { LimitPipe } from '../common/limit.pipe.js';
import { ApiLimitQuery, ApiTokenAuth } from '../common/openapi.js';
import { AppConfig } from '../config/app-config.js';
import { EventRelayService } from './event-relay.service.js';
import { EventRelayView } from './event-relay.views.js';
import { RelayRepository } from './relay.repository.js';

/** Operations: where the event relay stands, and the events it had to skip. */
@ApiTags('event-relay')
@ApiTokenAuth()
@Controller('event-relay')
// The operator's page (/ops) calls it with the browser's Basic credentials.
@AcceptsBasicAuth()
@UseGuards(ApiTokenGuard)
export class EventRelayController {
  constructor(
    private readonly relay: EventRelayService,
    private readonly repository: RelayRepository,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The event relay: connection, leadership, progress, backlog, and the events it skipped (poison events), newest first' })
  @ApiLimitQuery()
  @ApiOkResponse({ type: EventRelayView, description: 'The relay\'s state; `enabled: false` without EVENT_RELAY_URL.' })
  async get(@Query('limit', LimitPipe) limit: number): Promise<EventRelayView> {
    const status = this.relay.status();
    const stream = this.config.eventRelay?.stream;
    if (!stream) return { ...status, cursor: { txid: 0, inboxId: 0 }, published: 0, backlog: { rows: 0, oldestProcessedAt: null }, failureCount: 0, failures: [] };
    const [state, backlog, failures, failureCount] = await Promise.all([
      this.repository.state(stream),
      this.relay.backlog(),
      this.repository.failures(stream, limit),
      this.repository.failureCount(stream),
    ]);
    return {
      ...status,
      cursor: { txid: state?.cursor.txid ?? 0, inboxId: state?.cursor.id ?? 0 },
      published: state?.published ?? 0,
      backlog: { rows: backlog.rows, oldestProcessedAt: backlog.oldestProcessedAt?.toISOString() ?? null },
      failureCount,
      failures: failures.map((f) => ({ id: f.id, inboxId: f.inboxId, eventId: f.eventId, eventName: f.eventName, error: f.error, failedAt: f.failedAt.toISOString() })),
    };
  }
}
