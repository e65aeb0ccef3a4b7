import { api, ApiError, type Page, type WebhookEvent } from './api.js';
import { byId, formatTime, h, say } from './dom.js';
import { swatch } from './traffic.js';

const LISTED = ['dead', 'failed'];

/** The dead and failed callbacks with their last error, each with a Replay button. */
export class ProblemsSection {
  private readonly rows = byId<HTMLTableSectionElement>('problem-rows');
  private readonly message = byId('problems-message');
  /** Rows replayed from this page, shown with their new status until the page is reloaded. */
  private readonly replayed = new Map<number, WebhookEvent>();
  private listed: WebhookEvent[] = [];

  constructor() {
    this.rows.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-replay]');
      if (button) void this.replay(Number(button.dataset.replay), button);
    });
  }

  async refresh(): Promise<void> {
    const pages = await Promise.all(LISTED.map((status) => api<Page<WebhookEvent>>('GET', `/webhook-events?status=${status}&limit=100`)));
    this.listed = pages.flatMap((page) => page.items);
    this.render();
  }

  private render(): void {
    const rows = new Map<number, WebhookEvent>();
    for (const event of this.listed) rows.set(event.id, event);
    for (const [id, event] of this.replayed) if (!rows.has(id) || LISTED.includes(event.status)) rows.set(id, event);
    const ordered = [...rows.values()].sort((a, b) => b.id - a.id);
    this.rows.replaceChildren(...(ordered.length > 0 ? ordered.map((event) => this.row(event)) : [h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No dead or failed callbacks.'))]));
  }

  private row(event: WebhookEvent): HTMLTableRowElement {
    const replayed = this.replayed.get(event.id) === event;
    return h(
      'tr',
      { 'data-id': event.id, 'data-status': event.status, class: replayed ? 'replayed' : undefined },
      h('td', { class: 'number' }, event.id),
      h('td', {}, event.command),
      h('td', { class: 'status' }, swatch(event.status), event.status, replayed ? ' (replayed)' : ''),
      h('td', { class: 'number' }, event.attempts),
      h('td', { class: 'error' }, event.lastError ?? '–'),
      h('td', {}, formatTime(event.receivedAt)),
      h('td', {}, h('button', { type: 'button', 'data-replay': event.id, 'aria-label': `Replay callback ${event.id}` }, 'Replay')),
    );
  }

  private async replay(id: number, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    button.textContent = 'Replaying…';
    try {
      const after = await api<WebhookEvent>('POST', `/webhook-events/${id}/replay`);
      this.replayed.set(id, after);
      // The answer is newer than the listing: the row shows it now, not at the next refresh.
      this.listed = this.listed.filter((event) => event.id !== id);
      say(this.message, `Callback ${id} replayed: ${after.status}${after.lastError ? ` (${after.lastError})` : ''}.`, LISTED.includes(after.status) ? 'error' : 'info');
    } catch (error) {
      say(this.message, `Callback ${id} was not replayed: ${error instanceof ApiError ? error.message : String(error)}`, 'error');
    }
    this.render();
  }
}
