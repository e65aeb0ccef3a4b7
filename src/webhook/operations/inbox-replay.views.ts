import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { REPLAY_STATES, type InboxReplayRow, type ReplayState } from './inbox-replay.schema.js';
import { REPLAYABLE_STATUSES } from './replay-filter.dto.js';

// Response shapes of /ops/replays, for the OpenAPI document; the service returns plain objects of these shapes.

@ApiSchema({ name: 'ReplayFilter', description: 'What the replay selects (status always listed; null: no condition).' })
export class ReplayFilterView {
  @ApiProperty({ type: [String], enum: REPLAYABLE_STATUSES, example: ['dead'] })
  status!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'C2C.CallbackAfterSendMsg' })
  command!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  receivedFrom!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  receivedTo!: string | null;
}

@ApiSchema({ name: 'ReplayOutcomes', description: 'How many replayed callbacks ended in each way.' })
export class ReplayOutcomesView {
  @ApiProperty({ type: 'integer', description: 'Every listener succeeded.' })
  processed!: number;

  @ApiProperty({ type: 'integer', description: 'A listener threw; retried later.' })
  failed!: number;

  @ApiProperty({ type: 'integer', description: 'A listener threw and the attempts are exhausted.' })
  dead!: number;

  @ApiProperty({ type: 'integer', description: 'Command not modelled: webhook.unhandled emitted again.' })
  unhandled!: number;

  @ApiProperty({ type: 'integer', description: 'Not replayed: being dispatched at that moment, or (a rejected one) the same callback is already stored.' })
  conflict!: number;

  @ApiProperty({ type: 'integer', description: 'A rejected callback that the current DTOs still refuse (its lastError is updated).' })
  invalid!: number;
}

@ApiSchema({ name: 'Replay', description: 'A bulk replay and its progress.' })
export class ReplayView {
  @ApiProperty({ type: 'integer', example: 3 })
  id!: number;

  @ApiProperty({ type: ReplayFilterView })
  filter!: ReplayFilterView;

  @ApiProperty({ enum: REPLAY_STATES, enumName: 'ReplayState', description: 'failed: stopped by an error, or interrupted (its instance stopped or died; see lastError).' })
  state!: ReplayState;

  @ApiProperty({ type: 'integer', description: 'Callbacks that matched when it started (only those stored by then are part of it).' })
  total!: number;

  @ApiProperty({ type: 'integer', description: 'Callbacks replayed so far (the sum of outcomes). Can end below total: a callback that left the filter meanwhile (a failed one the retry loop processed) is not replayed.' })
  replayed!: number;

  @ApiProperty({ type: ReplayOutcomesView })
  outcomes!: ReplayOutcomesView;

  @ApiProperty({ type: Number, description: 'Callbacks replayed per second since it started (until it finished).', example: 198.4 })
  ratePerSecond!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed or was interrupted; null otherwise.' })
  lastError!: string | null;
}

@ApiSchema({ name: 'ReplayList' })
export class ReplayListView {
  @ApiProperty({ type: [ReplayView], description: 'Newest first, at most `limit`.' })
  items!: ReplayView[];
}

@ApiSchema({ name: 'ReplayDryRun', description: 'What a replay with this filter would take now, counted in the database.' })
export class ReplayDryRunView {
  @ApiProperty({ type: Boolean, enum: [true] })
  dryRun!: true;

  @ApiProperty({ type: 'integer', example: 1250 })
  matched!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Matched callbacks per status (statuses with none left out).', example: { dead: 1200, failed: 50 } })
  byStatus!: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Matched callbacks per CallbackCommand.', example: { 'C2C.CallbackAfterSendMsg': 1250 } })
  byCommand!: Record<string, number>;
}

export function toReplayView(row: InboxReplayRow): ReplayView {
  const end = row.finishedAt ?? new Date();
  const seconds = (end.getTime() - row.startedAt.getTime()) / 1000;
  return {
    id: row.id,
    filter: { status: row.filter.status, command: row.filter.command, receivedFrom: row.filter.receivedFrom, receivedTo: row.filter.receivedTo },
    state: row.state,
    total: row.total,
    replayed: row.replayed,
    outcomes: { processed: row.processed, failed: row.failed, dead: row.dead, unhandled: row.unhandled, conflict: row.conflict, invalid: row.invalid },
    ratePerSecond: seconds > 0 ? Math.round((row.replayed / seconds) * 10) / 10 : 0,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    lastError: row.lastError,
  };
}
