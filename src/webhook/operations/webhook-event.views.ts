import type { InboxRow, InboxStatus } from '../inbox/inbox.schema.js';

/** One inbox row in the operations API (no secrets: the stored query never holds Sign). */
export interface WebhookEventSummary {
  id: number;
  command: string;
  status: InboxStatus;
  dedupeKey: string | null;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
  nextAttemptAt: string | null;
}

export interface WebhookEventDetail extends WebhookEventSummary {
  sdkAppId: string;
  clientIp: string | null;
  optPlatform: string | null;
  /** The body as received, parsed. */
  payload: unknown;
  query: Record<string, string | string[]>;
  /** For a "before" callback: the answer given and how each handler decided. */
  decision: Record<string, unknown> | null;
}

export function toSummary(row: InboxRow): WebhookEventSummary {
  return {
    id: row.id,
    command: row.command,
    status: row.status,
    dedupeKey: row.dedupeKey,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
  };
}

export function toDetail(row: InboxRow): WebhookEventDetail {
  return {
    ...toSummary(row),
    sdkAppId: row.sdkAppId,
    clientIp: row.clientIp,
    optPlatform: row.optPlatform,
    payload: JSON.parse(row.payload) as unknown,
    query: row.query,
    decision: row.decision,
  };
}
