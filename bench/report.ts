// The benchmark's tables, the same for the console and bench/results.md (Markdown).

export interface ScenarioRow {
  scenario: string;
  reqPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  non2xx?: number;
  rssBeforeMiB?: number;
  rssAfterMiB?: number;
  /** The server's CPU time per answer while measured, in µs. */
  cpuUsPerRequest?: number;
  ratio?: number;
  /** The ratio of each pair of slices (service slice over the baseline slice next to it). */
  sliceRatios?: number[];
  acknowledged?: number;
  processed?: number;
  lost?: number;
  /** Why the scenario has no figures, or what its check found. */
  problem?: string;
}

export interface RssSample {
  sent: number;
  percent: number;
  /** RSS when this tenth ended. */
  rssMiB: number;
  /** Highest RSS sampled during this tenth. */
  peakMiB: number;
  /** This tenth's peak over the first tenth's. */
  growthPercent: number;
  /** RSS right after a full garbage collection when this tenth ended (bench/gc-probe.ts). */
  afterGcMiB?: number;
  /** Live heap after that collection. */
  heapAfterGcMiB?: number;
  /** RSS after collection over the first tenth's. */
  afterGcGrowthPercent?: number;
  /** Live heap after collection over the first tenth's. */
  heapGrowthPercent?: number;
}

export interface TargetRow {
  /** What is measured, and in which scenario. */
  what: string;
  measured: string;
  /** The bound it must meet, as printed. */
  target: string;
  /** Undefined when the scenario did not run. */
  met: boolean | undefined;
}

const num = (value: number | undefined, digits = 0): string => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function scenarioTable(rows: ScenarioRow[]): string {
  return markdownTable(
    [
      'scenario',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'non-2xx',
      'RSS before MiB',
      'RSS after MiB',
      'server CPU µs per answer',
      'ratio to baseline',
      'acknowledged',
      'processed',
      'lost',
    ],
    rows.map((row) => [
      row.problem && row.reqPerSec === undefined ? `${row.scenario} (${row.problem})` : row.scenario,
      num(row.reqPerSec),
      num(row.p50Ms, 1),
      num(row.p99Ms, 1),
      num(row.errors),
      num(row.non2xx),
      num(row.rssBeforeMiB),
      num(row.rssAfterMiB),
      num(row.cpuUsPerRequest),
      ratioCell(row),
      num(row.acknowledged),
      num(row.processed),
      num(row.lost),
    ]),
  );
}

/** The ratio, and the range of its slice-by-slice ratios when it was measured in pairs. */
function ratioCell(row: ScenarioRow): string {
  if (row.ratio === undefined) return '-';
  if (!row.sliceRatios || row.sliceRatios.length < 2) return row.ratio.toFixed(2);
  return `${row.ratio.toFixed(2)} (slices ${Math.min(...row.sliceRatios).toFixed(2)}-${Math.max(...row.sliceRatios).toFixed(2)})`;
}

export const signedPercent = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;

export function rssTable(samples: RssSample[]): string {
  return markdownTable(
    [
      'callbacks sent',
      'progress',
      'RSS at the end of this tenth MiB',
      'peak RSS of this tenth MiB',
      'peak over the first tenth\'s peak',
      'RSS after a full GC MiB',
      'RSS after GC over the first tenth\'s',
      'live heap after it MiB',
      'live heap over the first tenth\'s',
    ],
    samples.map((s) => [
      String(s.sent),
      `${s.percent}%`,
      s.rssMiB.toFixed(1),
      s.peakMiB.toFixed(1),
      signedPercent(s.growthPercent),
      num(s.afterGcMiB, 1),
      s.afterGcGrowthPercent === undefined ? '-' : signedPercent(s.afterGcGrowthPercent),
      num(s.heapAfterGcMiB, 1),
      s.heapGrowthPercent === undefined ? '-' : signedPercent(s.heapGrowthPercent),
    ]),
  );
}

export function targetTable(targets: TargetRow[]): string {
  return markdownTable(
    ['what', 'measured', 'target', 'met'],
    targets.map((t) => [t.what, t.measured, t.target, t.met === undefined ? 'not measured' : t.met ? 'yes' : 'NO']),
  );
}
