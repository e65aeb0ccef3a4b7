import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { INBOX_STATUSES, type InboxStatus } from '../webhook/inbox/inbox.schema.js';

@ApiSchema({ name: 'OpsStatsSeries', description: 'Callbacks of one command in one status, per bucket.' })
export class OpsStatsSeriesView {
  @ApiProperty({ type: String, example: 'C2C.CallbackAfterSendMsg' })
  command!: string;

  @ApiProperty({ type: String, enum: INBOX_STATUSES, enumName: 'InboxStatus' })
  status!: InboxStatus;

  @ApiProperty({ type: [Number], description: 'One count per bucket, in the order of `buckets`.' })
  counts!: number[];

  @ApiProperty({ type: 'integer', description: 'The sum of `counts`.' })
  total!: number;
}

@ApiSchema({ name: 'OpsStats', description: 'Callbacks stored per command and status over time, by the time they were received.' })
export class OpsStatsView {
  @ApiProperty({ type: 'integer', example: 24 })
  hours!: number;

  @ApiProperty({ type: 'integer', description: 'The width of a bucket: 60 for a window of an hour, 3600 for a day.', example: 3600 })
  bucketSeconds!: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the first bucket (the window, widened to a whole bucket).' })
  from!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'End of the window: now.' })
  to!: string;

  @ApiProperty({ type: [String], description: 'Start of each bucket, oldest first.' })
  buckets!: string[];

  @ApiProperty({ type: [OpsStatsSeriesView], description: 'One series per command and status that has a callback in the window, by command then status.' })
  series!: OpsStatsSeriesView[];
}
