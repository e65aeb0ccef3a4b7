// The routes the page calls, as the service answers them (README, "Operator's page"; the route
// contract). Same origin: the browser sends the Basic credentials it was asked for on /ops.

/** Every request carries it: the service refuses a state-changing Basic request without it (CSRF). */
const OPS_REQUEST_HEADERS = { 'X-Ops-Request': '1', Accept: 'application/json' };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? OPS_REQUEST_HEADERS : { ...OPS_REQUEST_HEADERS, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const info = (json as { ErrorInfo?: unknown } | undefined)?.ErrorInfo;
    throw new ApiError(response.status, typeof info === 'string' ? info : `${response.status} ${response.statusText}`);
  }
  return json as T;
}

export interface StatsSeries {
  command: string;
  status: string;
  counts: number[];
  total: number;
}

export interface Stats {
  hours: number;
  bucketSeconds: number;
  from: string;
  to: string;
  buckets: string[];
  series: StatsSeries[];
}

export interface WebhookEvent {
  id: number;
  command: string;
  status: string;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
}

export interface Page<T> {
  items: T[];
}

export interface ReplayFilter {
  status?: string[];
  command?: string;
  receivedFrom?: string;
  receivedTo?: string;
}

export interface ReplayDryRun {
  dryRun: true;
  matched: number;
  byStatus: Record<string, number>;
  byCommand: Record<string, number>;
}

export interface Replay {
  id: string | number;
  filter: ReplayFilter;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  total: number;
  replayed: number;
  outcomes: Record<string, number>;
  ratePerSecond: number;
  startedAt: string;
  finishedAt: string | null;
  lastError: string | null;
}

export const FAMILIES = ['c2c', 'official-account', 'presence', 'group', 'all'] as const;

export interface Rebuild {
  id: string | number;
  family: string;
  families: string[];
  state: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  failed: number;
  ratePerSecond: number;
  startedAt: string;
  finishedAt: string | null;
  lastError: string | null;
}

/** GET /event-relay (src/relay/event-relay.views.ts). */
export interface EventRelay {
  enabled: boolean;
  stream: string | null;
  connected: boolean;
  leader: boolean;
  lastError: string | null;
  lastPublishedAt: string | null;
  published: number;
  backlog: { rows: number; oldestProcessedAt: string | null };
  failureCount: number;
}
