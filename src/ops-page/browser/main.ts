// The operator's page: every section refreshes itself from the service's routes every few seconds.
import { ApiError } from './api.js';
import { BulkReplaySection } from './bulk-replay.js';
import { byId, say } from './dom.js';
import { ProblemsSection } from './problems.js';
import { RebuildsSection } from './rebuilds.js';
import { RelaySection } from './relay.js';
import { TrafficSection } from './traffic.js';

const REFRESH_MS = 5000;

const refreshed = byId('refreshed');
const autoRefresh = byId<HTMLInputElement>('auto-refresh');
const pageMessage = byId('page-message');

const refreshAll = (): void => void refresh();
const sections = [new TrafficSection(refreshAll), new ProblemsSection(), new BulkReplaySection(refreshAll), new RebuildsSection(refreshAll), new RelaySection()];

let running: Promise<void> | undefined;
let again = false;

/**
 * Every section at once; one refresh at a time. Asked while one runs (a click right after a change),
 * one more follows it: the running one may have read before the change.
 */
async function refresh(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    const results = await Promise.allSettled(sections.map((section) => section.refresh()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      const error: unknown = failure.reason;
      const text = error instanceof ApiError && error.status === 401 ? 'The service refused the credentials: reload the page to sign in again.' : `A refresh failed: ${error instanceof Error ? error.message : String(error)}`;
      say(pageMessage, text, 'error');
    } else {
      say(pageMessage, '');
    }
    refreshed.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes ?? '0') + 1);
  })().finally(() => {
    running = undefined;
    if (again) {
      again = false;
      refreshAll();
    }
  });
  return running;
}

byId('refresh-now').addEventListener('click', refreshAll);
setInterval(() => {
  if (autoRefresh.checked && document.visibilityState === 'visible') refreshAll();
}, REFRESH_MS);
refreshAll();
