/**
 * Waiting for a condition instead of sleeping: a fixed sleep is either too short on a loaded machine
 * (a flaky test) or longer than needed everywhere (a slow one), and says nothing about what it waits for.
 */

export interface UntilOptions {
  /** How often the condition is checked; default 10 ms. */
  intervalMs?: number;
  /** What is awaited, for the error when it does not come: a text, or a function of the moment (the state seen last). */
  what?: string | (() => string | Promise<string>);
}

/**
 * Whether `condition` comes to hold within `timeoutMs` (checked at once, then every `intervalMs`):
 * true as soon as it does. For a wait whose timeout is not a failure (a heuristic that carries on
 * either way); otherwise use `until`. A condition that throws fails at once.
 */
export async function holdsWithin(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(1, deadline - Date.now()))));
  }
}

/**
 * Resolves as soon as `condition` holds (checked at once, then every `intervalMs`); rejects with an
 * error naming `what` once `timeoutMs` has passed without it. A condition that throws fails at once.
 */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, options: UntilOptions = {}): Promise<void> {
  if (await holdsWithin(condition, timeoutMs, options.intervalMs)) return;
  const what = typeof options.what === 'function' ? await options.what() : (options.what ?? 'the condition');
  throw new Error(`${what}: still not so after ${timeoutMs} ms`);
}
