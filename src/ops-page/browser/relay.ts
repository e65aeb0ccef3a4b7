import { api, type EventRelay } from './api.js';
import { byId, formatDuration, formatTime, h } from './dom.js';

/** The event relay: off, or how far behind the stored callbacks it publishes. */
export class RelaySection {
  private readonly state = byId('relay-state');

  async refresh(): Promise<void> {
    const relay = await api<EventRelay>('GET', '/event-relay?limit=1');
    if (!relay.enabled) {
      this.state.replaceChildren(h('p', { 'data-relay': 'off' }, 'Relay off (EVENT_RELAY_URL is not set).'));
      return;
    }
    const lag = relay.backlog.oldestProcessedAt ? formatDuration(Math.max(0, (Date.now() - Date.parse(relay.backlog.oldestProcessedAt)) / 1000)) : 'none';
    const entries: [string, string][] = [
      ['Stream', relay.stream ?? '–'],
      ['Connected', relay.connected ? 'yes' : 'no'],
      ['Publishing here', relay.leader ? 'yes (leader)' : 'no (standing by)'],
      ['Lag', lag],
      ['Backlog', `${relay.backlog.rows} callbacks`],
      ['Last published', formatTime(relay.lastPublishedAt)],
      ['Events published', String(relay.published)],
      ['Events skipped', String(relay.failureCount)],
      ['Last error', relay.lastError ?? '–'],
    ];
    this.state.replaceChildren(h('dl', { 'data-relay': 'on' }, ...entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
  }
}
