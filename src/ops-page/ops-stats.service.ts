import { Injectable } from '@nestjs/common';
import { OpsStatsRepository } from './ops-stats.repository.js';
import type { OpsStatsSeriesView, OpsStatsView } from './ops-stats.views.js';

export const MAX_STATS_HOURS = 168;

// Bucket width per window: minutes for short windows, hours for a day, so that a chart has at most
// 60 points.
const BUCKETS: { upToHours: number; seconds: number }[] = [
  { upToHours: 1, seconds: 60 },
  { upToHours: 6, seconds: 300 },
  { upToHours: 12, seconds: 900 },
  { upToHours: 48, seconds: 3600 },
  { upToHours: MAX_STATS_HOURS, seconds: 3 * 3600 },
];

export const bucketSecondsFor = (hours: number): number => BUCKETS.find((b) => hours <= b.upToHours)!.seconds;

@Injectable()
export class OpsStatsService {
  constructor(private readonly repository: OpsStatsRepository) {}

  async stats(hours: number, now = new Date()): Promise<OpsStatsView> {
    const bucketSeconds = bucketSecondsFor(hours);
    const bucketMs = bucketSeconds * 1000;
    const first = Math.floor((now.getTime() - hours * 3_600_000) / bucketMs) * bucketMs;
    const buckets: number[] = [];
    for (let start = first; start <= now.getTime(); start += bucketMs) buckets.push(start);
    const counts = await this.repository.countsByBucket(new Date(first), new Date(now.getTime() + 1), bucketSeconds);
    const series = new Map<string, OpsStatsSeriesView>();
    for (const row of counts) {
      const key = `${row.command}\u0000${row.status}`;
      let one = series.get(key);
      if (!one) series.set(key, (one = { command: row.command, status: row.status, counts: buckets.map(() => 0), total: 0 }));
      one.counts[(row.bucket.getTime() - first) / bucketMs] = row.count;
      one.total += row.count;
    }
    return {
      hours,
      bucketSeconds,
      from: new Date(first).toISOString(),
      to: now.toISOString(),
      buckets: buckets.map((start) => new Date(start).toISOString()),
      series: [...series.values()].sort((a, b) => compare(a.command, b.command) || compare(a.status, b.status)),
    };
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
