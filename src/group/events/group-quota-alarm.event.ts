import type { CallbackMetadata } from '../../events/callback-metadata.js';

/** Today's net new groups passed 70 % of the daily limit (`Group.CallbackOnDailyGroupQuotaAlarm`). */
export class GroupQuotaAlarmEvent {
  static readonly eventName = 'group.quota.alarm';

  /** Today's net new groups. */
  readonly quotaUsed!: number;
  /** The daily limit. */
  readonly quota!: number | null;
  /** `EventTime` (the sample is milliseconds), else the receipt time. */
  readonly eventTime!: number;
  /** The callback as Tencent sent it. */
  readonly raw!: Record<string, unknown>;
  readonly metadata!: CallbackMetadata;

  constructor(fields: { [K in keyof GroupQuotaAlarmEvent]: GroupQuotaAlarmEvent[K] }) {
    Object.assign(this, fields);
  }
}
