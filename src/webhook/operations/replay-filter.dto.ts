import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsOptional, ValidateBy, validate } from 'class-validator';
import type { InboxStatus } from '../inbox/inbox.schema.js';

/**
 * The statuses a bulk replay may select. processed and unhandled: dispatched again (listeners are
 * idempotent; an unhandled one reaches a family that now models its command); failed and dead:
 * retried at once; rejected: validated again with the current DTOs, as the one-row replay does.
 * Never `received` (pending: the recovery loop owns it) nor `decided` (a "before" callback was
 * answered when it arrived and is never dispatched).
 */
export const REPLAYABLE_STATUSES = ['processed', 'unhandled', 'failed', 'dead', 'rejected'] as const satisfies readonly InboxStatus[];
export type ReplayableStatus = (typeof REPLAYABLE_STATUSES)[number];

const WHY_NOT: Partial<Record<string, string>> = {
  received: 'received is not replayable: a pending callback belongs to the recovery loop',
  decided: 'decided is not replayable: a "before" callback was answered when it arrived and is never dispatched',
};

// A date-time with its zone (`2024-05-01T00:00:00Z`, `...+08:00`): without one, "00:00" would be
// the server's local time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const dateTimeMessage = (field: string): string => `${field} must be an ISO 8601 date-time with a time zone, like 2024-05-01T00:00:00Z`;
const isDateTime = (value: unknown): boolean => typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));

/** What is wrong with `status`, in the order a reader would check it; undefined when it is right. */
function statusProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'status must be a list of statuses, like ["dead","failed"]';
  if (value.length === 0) return 'status must name at least one status (leave it out for all of them)';
  const refused = value.filter((status): status is string => typeof status === 'string' && WHY_NOT[status] !== undefined);
  if (refused.length > 0) return `status: ${refused.map((status) => WHY_NOT[status]).join('; ')}`;
  if (!value.every((status) => (REPLAYABLE_STATUSES as readonly unknown[]).includes(status))) return `status must hold only ${REPLAYABLE_STATUSES.join(', ')}`;
  return undefined;
}

function commandProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'command must be a string (a CallbackCommand)';
  if (value.length === 0) return 'command must not be empty';
  if (value.length > 200) return 'command must be at most 200 characters';
  return undefined;
}

/** The body of POST /ops/replays. */
@ApiSchema({ name: 'ReplayRequest', description: 'Which stored callbacks to replay; every given condition must hold. Start with `dryRun: true`.' })
export class ReplayRequestDto {
  @ApiPropertyOptional({
    type: [String],
    enum: REPLAYABLE_STATUSES,
    description: 'Only callbacks in one of these statuses; absent: all five. `received` (pending) and `decided` ("before" callbacks) are never replayed.',
    example: ['dead', 'failed'],
  })
  @IsOptional()
  @ValidateBy({ name: 'replayableStatuses', validator: { validate: (value: unknown) => statusProblem(value) === undefined, defaultMessage: (args) => statusProblem(args?.value)! } })
  status?: ReplayableStatus[];

  @ApiPropertyOptional({ type: String, description: 'Only callbacks of this CallbackCommand.', example: 'C2C.CallbackAfterSendMsg' })
  @IsOptional()
  @ValidateBy({ name: 'command', validator: { validate: (value: unknown) => commandProblem(value) === undefined, defaultMessage: (args) => commandProblem(args?.value)! } })
  command?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Only callbacks received at or after this time.', example: '2024-05-01T00:00:00Z' })
  @IsOptional()
  @ValidateBy({ name: 'dateTime', validator: { validate: isDateTime, defaultMessage: () => dateTimeMessage('receivedFrom') } })
  receivedFrom?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Only callbacks received before this time (after receivedFrom).', example: '2024-05-02T00:00:00Z' })
  @IsOptional()
  @ValidateBy({ name: 'dateTime', validator: { validate: isDateTime, defaultMessage: () => dateTimeMessage('receivedTo') } })
  @ValidateBy({
    name: 'afterReceivedFrom',
    validator: {
      validate: (value: unknown, args) => {
        const from = (args?.object as ReplayRequestDto).receivedFrom;
        return !isDateTime(value) || !isDateTime(from) || Date.parse(from!) < Date.parse(value as string);
      },
      defaultMessage: () => 'receivedTo must be later than receivedFrom',
    },
  })
  receivedTo?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Count what would be replayed (200), replay nothing.' })
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

/** What a bulk replay selects, validated. */
export interface ReplayFilter {
  readonly statuses: readonly ReplayableStatus[];
  readonly command?: string;
  /** Inclusive. */
  readonly receivedFrom?: Date;
  /** Exclusive. */
  readonly receivedTo?: Date;
}

export interface ReplayRequest {
  readonly filter: ReplayFilter;
  readonly dryRun: boolean;
}

/**
 * Validates the body against ReplayRequestDto: a 400 naming each wrong field, and one for a field
 * the route does not know (a misspelt `stauts` would otherwise widen the replay to every status).
 */
@Injectable()
export class ReplayRequestPipe implements PipeTransform<unknown, Promise<ReplayRequest>> {
  async transform(body: unknown): Promise<ReplayRequest> {
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
      throw new BadRequestException('the body must be a JSON object (Content-Type: application/json), {} for every replayable callback');
    }
    const dto = plainToInstance(ReplayRequestDto, body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
    if (errors.length > 0) {
      throw new BadRequestException(errors.map((e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`).join('; '));
    }
    const status = dto.status ? REPLAYABLE_STATUSES.filter((s) => dto.status!.includes(s)) : REPLAYABLE_STATUSES;
    return {
      filter: {
        statuses: status,
        command: dto.command,
        receivedFrom: dto.receivedFrom === undefined ? undefined : new Date(dto.receivedFrom),
        receivedTo: dto.receivedTo === undefined ? undefined : new Date(dto.receivedTo),
      },
      dryRun: dto.dryRun ?? false,
    };
  }
}
