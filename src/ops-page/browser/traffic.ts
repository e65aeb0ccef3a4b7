import uPlot from 'uplot';
import { api, type Stats, type StatsSeries } from './api.js';
import { byId, formatTime, h } from './dom.js';

// One colour per inbox status, the same in the chart and the tables' swatches.
export const STATUS_COLOURS: Record<string, string> = {
  processed: '#1a7f37',
  unhandled: '#6e7781',
  received: '#0969da',
  failed: '#bc4c00',
  dead: '#cf222e',
  rejected: '#8250df',
  decided: '#1b7c83',
};
const STATUS_ORDER = Object.keys(STATUS_COLOURS);
const ALL = '';

/** The chart of callbacks per status over time (for one command or all), and its numbers as tables. */
export class TrafficSection {
  private readonly hours = byId<HTMLSelectElement>('stats-hours');
  private readonly command = byId<HTMLSelectElement>('stats-command');
  private readonly chartBox = byId('chart');
  private readonly totals = byId<HTMLTableSectionElement>('stats-totals');
  private readonly chartData = byId<HTMLTableElement>('chart-data');
  private readonly message = byId('traffic-message');
  private chart: uPlot | undefined;
  private stats: Stats | undefined;

  constructor(private readonly onChange: () => void) {
    this.hours.addEventListener('change', () => this.onChange());
    this.command.addEventListener('change', () => this.draw());
    new ResizeObserver(() => this.chart?.setSize(this.size())).observe(this.chartBox);
  }

  async refresh(): Promise<void> {
    this.stats = await api<Stats>('GET', `/ops/stats?hours=${encodeURIComponent(this.hours.value)}`);
    this.draw();
  }

  private draw(): void {
    const stats = this.stats;
    if (!stats) return;
    this.fillCommands(stats.series);
    const shown = stats.series.filter((s) => this.command.value === ALL || s.command === this.command.value);
    const byStatus = sumByStatus(shown, stats.buckets.length);
    this.message.textContent = shown.length === 0 ? `No callbacks in the last ${stats.hours} h.` : '';
    this.drawChart(stats, byStatus);
    this.fillTotals(shown);
    this.fillChartData(stats, byStatus);
  }

  private fillCommands(series: StatsSeries[]): void {
    const commands = [...new Set(series.map((s) => s.command))].sort();
    const chosen = this.command.value;
    const current = [...this.command.options].map((o) => o.value).slice(1);
    if (current.join('\n') === commands.join('\n')) return;
    this.command.replaceChildren(h('option', { value: ALL }, 'All commands'), ...commands.map((c) => h('option', { value: c }, c)));
    this.command.value = commands.includes(chosen) ? chosen : ALL;
  }

  private drawChart(stats: Stats, byStatus: Map<string, number[]>): void {
    const xs = stats.buckets.map((b) => Date.parse(b) / 1000);
    const statuses = [...byStatus.keys()];
    const data: uPlot.AlignedData = [xs, ...statuses.map((s) => byStatus.get(s)!)];
    const key = statuses.join(',');
    if (this.chart && this.chart.series.length - 1 === statuses.length && this.chartBox.dataset.series === key) {
      this.chart.setData(data);
      return;
    }
    this.chart?.destroy();
    this.chartBox.dataset.series = key;
    this.chart = new uPlot(
      {
        ...this.size(),
        series: [{ label: 'Time' }, ...statuses.map((status) => ({ label: status, stroke: STATUS_COLOURS[status] ?? '#000', width: 2, points: { show: true, size: 5 } }))],
        axes: [{}, { label: 'callbacks', size: 60 }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        legend: { live: true },
      },
      data,
      this.chartBox,
    );
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(320, this.chartBox.clientWidth), height: 260 };
  }

  /** One row per command and status: what the test (and a screen reader) reads. */
  private fillTotals(shown: StatsSeries[]): void {
    const total = shown.reduce((sum, s) => sum + s.total, 0);
    this.totals.replaceChildren(
      ...shown.map((s) =>
        h('tr', { 'data-command': s.command, 'data-status': s.status, 'data-count': s.total }, h('td', {}, s.command), h('td', {}, swatch(s.status), s.status), h('td', { class: 'number' }, s.total)),
      ),
      h('tr', { class: 'total' }, h('th', { scope: 'row', colspan: 2 }, 'All'), h('td', { class: 'number', 'data-total': total }, total)),
    );
  }

  /** The chart's points: one row per bucket, one column per status. */
  private fillChartData(stats: Stats, byStatus: Map<string, number[]>): void {
    const statuses = [...byStatus.keys()];
    this.chartData.replaceChildren(
      h('caption', {}, `Callbacks per ${stats.bucketSeconds >= 3600 ? `${stats.bucketSeconds / 3600} h` : `${stats.bucketSeconds / 60} min`}, by the time they were received`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'From'), ...statuses.map((s) => h('th', { scope: 'col' }, s)))),
      h(
        'tbody',
        {},
        ...stats.buckets.map((bucket, i) =>
          h('tr', { 'data-bucket': bucket }, h('th', { scope: 'row' }, formatTime(bucket)), ...statuses.map((s) => h('td', { class: 'number', 'data-status': s }, byStatus.get(s)![i]!))),
        ),
      ),
    );
  }
}

function sumByStatus(series: StatsSeries[], buckets: number): Map<string, number[]> {
  const sums = new Map<string, number[]>();
  const ordered = [...series].sort((a, b) => rank(a.status) - rank(b.status));
  for (const s of ordered) {
    const sum = sums.get(s.status) ?? new Array<number>(buckets).fill(0);
    s.counts.forEach((count, i) => (sum[i]! += count));
    sums.set(s.status, sum);
  }
  return sums;
}

const rank = (status: string): number => (STATUS_ORDER.includes(status) ? STATUS_ORDER.indexOf(status) : STATUS_ORDER.length);

export const swatch = (status: string): HTMLElement => h('span', { class: 'swatch', 'data-status': status, 'aria-hidden': 'true' });
