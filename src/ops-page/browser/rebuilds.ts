import { api, ApiError, FAMILIES, type Page, type Rebuild } from './api.js';
import { byId, formatTime, h, say } from './dom.js';
import { progress } from './bulk-replay.js';
import { RunningJobFollower } from './follow.js';

const MISSING = 'Rebuilds are not available on this server (GET /ops/rebuilds answered 404): they need a version with projection rebuilds.';

/** Projection rebuilds: their progress, and a button per family to start one. */
export class RebuildsSection {
  private readonly buttons = byId('rebuild-buttons');
  private readonly rows = byId<HTMLTableSectionElement>('rebuild-rows');
  private readonly message = byId('rebuild-message');
  private available = true;
  private readonly follower = new RunningJobFollower(() => this.refresh());

  constructor(private readonly onStarted: () => void) {
    this.buttons.replaceChildren(
      ...FAMILIES.map((family) => h('button', { type: 'button', 'data-family': family }, family === 'all' ? 'Rebuild all' : `Rebuild ${family}`)),
    );
    this.buttons.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-family]');
      if (button) void this.start(button.dataset.family!);
    });
  }

  async refresh(): Promise<void> {
    if (!this.available) return;
    try {
      const page = await api<Page<Rebuild>>('GET', '/ops/rebuilds');
      this.render(page.items.slice(0, 5));
      this.follower.update(page.items.some((rebuild) => rebuild.state === 'running'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.unavailable();
      throw error;
    }
  }

  private async start(family: string): Promise<void> {
    // A rebuild empties the family's tables first: reads see them fill again meanwhile.
    if (!window.confirm(`Rebuild the ${family === 'all' ? 'projections of every family' : `${family} projections`} from the stored callbacks?`)) return;
    try {
      const rebuild = await api<Rebuild>('POST', '/ops/rebuilds', { family });
      say(this.message, `Rebuild ${rebuild.id} of ${rebuild.families.join(', ')} started.`);
      this.onStarted();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.unavailable();
      say(this.message, `The rebuild did not start: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  private unavailable(): void {
    this.available = false;
    say(this.message, MISSING, 'error');
    this.buttons.querySelectorAll<HTMLButtonElement>('button').forEach((b) => (b.disabled = true));
  }

  private render(items: Rebuild[]): void {
    if (items.length === 0) return this.rows.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No rebuild yet.')));
    this.rows.replaceChildren(
      ...items.map((r) =>
        h(
          'tr',
          { 'data-id': r.id, 'data-state': r.state, 'data-family': r.family },
          h('td', {}, r.families.join(', ')),
          h('td', {}, r.state, r.lastError ? h('div', { class: 'error' }, r.lastError) : null),
          h('td', { class: 'progress' }, progress(r.processed, r.total), ` ${r.processed} / ${r.total}`, r.failed > 0 ? ` · ${r.failed} failed` : '', r.state === 'running' ? ` · ${Math.round(r.ratePerSecond)}/s` : ''),
          h('td', {}, formatTime(r.startedAt)),
          h('td', {}, formatTime(r.finishedAt)),
        ),
      ),
    );
  }
}
