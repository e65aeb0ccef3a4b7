import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { REBUILD_STATES, type ProjectionRebuildRow, type RebuildState } from './projection-rebuilds.schema.js';

@ApiSchema({ name: 'RebuildRequest', description: 'Which projection to rebuild.' })
export class RebuildRequest {
  @ApiProperty({ type: String, description: 'A family (c2c, official-account, presence, group) or "all".', example: 'c2c' })
  family!: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Also call every other listener (yours) with the events, as a live callback does. Off: only the family\'s own projection listener.',
  })
  withListeners?: boolean;
}

@ApiSchema({ name: 'Rebuild', description: 'A projection rebuild and its progress (persisted: any instance reports it).' })
export class RebuildView {
  @ApiProperty({ type: 'integer', example: 3 })
  id!: number;

  @ApiProperty({ type: String, description: 'What was asked: a family or "all".', example: 'c2c' })
  family!: string;

  @ApiProperty({ type: String, isArray: true, description: 'The families rebuilt.', example: ['c2c'] })
  families!: string[];

  @ApiProperty({ type: Boolean, description: 'Whether every listener was called, not only the family\'s own.' })
  withListeners!: boolean;

  @ApiProperty({ enum: REBUILD_STATES, enumName: 'RebuildState', description: 'failed: it stopped (see lastError); done: every stored callback was fed (failed counts those whose listener threw).' })
  state!: RebuildState;

  @ApiProperty({ type: 'integer', description: 'Stored callbacks to feed (counted once the tables are emptied; 0 before).' })
  total!: number;

  @ApiProperty({ type: 'integer', description: 'Fed so far with every listener call succeeding.' })
  processed!: number;

  @ApiProperty({ type: 'integer', description: 'Fed so far with a listener error (the rebuild goes on; see lastError).' })
  failed!: number;

  @ApiProperty({ type: Number, description: 'Callbacks fed per second since the start.', example: 2400 })
  ratePerSecond!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed, or the last callback whose listener threw.' })
  lastError!: string | null;
}

@ApiSchema({ name: 'RebuildList', description: 'Rebuilds, newest first.' })
export class RebuildListView {
  @ApiProperty({ type: () => RebuildView, isArray: true })
  items!: RebuildView[];
}

export const toRebuildView = (row: ProjectionRebuildRow): RebuildView => ({
  id: row.id,
  family: row.family,
  families: row.families,
  withListeners: row.withListeners,
  state: row.state,
  total: row.total,
  processed: row.processed,
  failed: row.failed,
  ratePerSecond: Math.round(row.ratePerSecond * 10) / 10,
  startedAt: row.startedAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
  lastError: row.lastError,
});
