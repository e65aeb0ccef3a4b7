import { api, ApiError, type Page, type Replay, type ReplayDryRun, type ReplayFilter } from './api.js';
import { byId, formatTime, h, say } from './dom.js';
import { RunningJobFollower } from './follow.js';

const MISSING = 'Bulk replay is not available on this server (POST /ops/replays answered 404): it needs a version with bulk replay.';

/** "Replay a filtered set": count first (dry run), then confirm; the jobs' progress below. */
export class BulkReplaySection {
  private readonly form = byId<HTMLFormElement>('replay-form');
  private readonly confirmBox = byId('replay-confirm');
  private readonly confirmText = byId('replay-confirm-text');
  private readonly confirmButton = byId<HTMLButtonElement>('replay-start');
  private readonly message = byId('replay-message');
  private readonly jobs = byId<HTMLTableSectionElement>('replay-jobs');
  /** The filter the operator counted: what "Replay" sends, not whatever the form holds since. */
  private counted: ReplayFilter | undefined;
  private available = true;
  private readonly follower = new RunningJobFollower(() => this.refresh());

  constructor(private readonly onStarted: () => void) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.count();
    });
    this.form.addEventListener('input', () => this.forget());
    byId('replay-cancel').addEventListener('click', () => this.forget());
    this.confirmButton.addEventListener('click', () => void this.start());
  }

  async refresh(): Promise<void> {
    if (!this.available) return;
    try {
      const page = await api<Page<Replay>>('GET', '/ops/replays');
      this.renderJobs(page.items.slice(0, 5));
      this.follower.update(page.items.some((job) => job.state === 'running'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.unavailable();
      throw error;
    }
  }

  private filter(): ReplayFilter {
    const data = new FormData(this.form);
    const statuses = data.getAll('status').map(String);
    const command = String(data.get('command') ?? '').trim();
    const from = String(data.get('receivedFrom') ?? '');
    const to = String(data.get('receivedTo') ?? '');
    return {
      ...(statuses.length > 0 ? { status: statuses } : {}),
      ...(command ? { command } : {}),
      // datetime-local is the browser's local time: sent as an instant.
      ...(from ? { receivedFrom: new Date(from).toISOString() } : {}),
      ...(to ? { receivedTo: new Date(to).toISOString() } : {}),
    };
  }

  private async count(): Promise<void> {
    const filter = this.filter();
    try {
      const dryRun = await api<ReplayDryRun>('POST', '/ops/replays', { ...filter, dryRun: true });
      const parts = Object.entries(dryRun.byStatus).map(([status, n]) => `${status} ${n}`);
      this.counted = filter;
      this.confirmText.textContent = `${dryRun.matched} callback${dryRun.matched === 1 ? '' : 's'} match${dryRun.matched === 1 ? 'es' : ''}${parts.length ? ` (${parts.join(', ')})` : ''}.`;
      this.confirmButton.textContent = `Replay ${dryRun.matched} callback${dryRun.matched === 1 ? '' : 's'}`;
      this.confirmButton.disabled = dryRun.matched === 0;
      this.confirmBox.hidden = false;
      say(this.message, '');
      this.confirmButton.focus();
    } catch (error) {
      this.fail('The count failed', error);
    }
  }

  private async start(): Promise<void> {
    if (!this.counted) return;
    this.confirmButton.disabled = true;
    try {
      const job = await api<Replay>('POST', '/ops/replays', { ...this.counted, dryRun: false });
      say(this.message, `Replay ${job.id} started: ${job.total} callbacks.`);
      this.forget();
      this.onStarted();
    } catch (error) {
      this.fail('The replay did not start', error);
      this.confirmButton.disabled = false;
    }
  }

  private forget(): void {
    this.counted = undefined;
    this.confirmBox.hidden = true;
  }

  private fail(what: string, error: unknown): void {
    if (error instanceof ApiError && error.status === 404) return this.unavailable();
    say(this.message, `${what}: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }

  private unavailable(): void {
    this.available = false;
    say(this.message, MISSING, 'error');
    this.form.querySelectorAll<HTMLButtonElement>('button').forEach((b) => (b.disabled = true));
  }

  private renderJobs(items: Replay[]): void {
    if (items.length === 0) return this.jobs.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No bulk replay yet.')));
    this.jobs.replaceChildren(
      ...items.map((job) => {
        const outcomes = Object.entries(job.outcomes).filter(([, n]) => n > 0).map(([outcome, n]) => `${outcome} ${n}`).join(', ');
        return h(
          'tr',
          { 'data-id': job.id, 'data-state': job.state, 'data-command': job.filter.command ?? undefined },
          h('td', {}, String(job.id)),
          h('td', {}, describeFilter(job.filter)),
          h('td', {}, job.state, job.lastError ? h('div', { class: 'error' }, job.lastError) : null),
          h('td', { class: 'progress' }, progress(job.replayed, job.total), ` ${job.replayed} / ${job.total}`, job.state === 'running' ? ` · ${Math.round(job.ratePerSecond)}/s` : '', outcomes ? h('div', { class: 'muted' }, outcomes) : null),
          h('td', {}, formatTime(job.startedAt)),
        );
      }),
    );
  }
}

export function progress(done: number, total: number): HTMLProgressElement {
  return h('progress', { max: Math.max(total, 1), value: done, 'aria-label': `${done} of ${total}` });
}

function describeFilter(filter: ReplayFilter): string {
  const parts = [
    filter.status?.length ? `status ${filter.status.join(', ')}` : 'any status',
    filter.command ? filter.command : 'any command',
    filter.receivedFrom ? `from ${formatTime(filter.receivedFrom)}` : '',
    filter.receivedTo ? `to ${formatTime(filter.receivedTo)}` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}
