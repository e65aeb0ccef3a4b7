// What the service says it stored: inbox rows by status, through the operations API
// (GET /webhook-events?status=..., paged with nextCursor, Authorization: Bearer API_TOKEN).

export type StatusCounts = Record<string, number>;

const PAGE = 500;
const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export async function countStatus(baseUrl: string, apiToken: string, status: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  for (;;) {
    const url = `${baseUrl}/webhook-events?status=${status}&limit=${PAGE}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiToken}` }, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    count += page.items.length;
    if (page.nextCursor === null || page.items.length === 0) return count;
    cursor = page.nextCursor;
  }
}

export async function countStatuses(baseUrl: string, apiToken: string, statuses: readonly string[]): Promise<StatusCounts> {
  const counts: StatusCounts = {};
  for (const status of statuses) counts[status] = await countStatus(baseUrl, apiToken, status);
  return counts;
}

/**
 * Polls until `settled` holds for the counts (callbacks in flight when the load stopped, retries,
 * background audit writes), at most `timeoutMs`; returns the last counts either way.
 */
export async function waitForInbox(
  baseUrl: string,
  apiToken: string,
  statuses: readonly string[],
  settled: (counts: StatusCounts) => boolean,
  timeoutMs: number,
): Promise<{ counts: StatusCounts; settled: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await countStatuses(baseUrl, apiToken, statuses);
    if (settled(counts)) return { counts, settled: true };
    if (Date.now() > deadline) return { counts, settled: false };
    await delay(500);
  }
}
