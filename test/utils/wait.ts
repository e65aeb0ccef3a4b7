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
 * Resolves as soon as `condition` holds (checked at once, then every `intervalMs`); rejects with an
 * error naming `what` once `timeoutMs` has passed without it. A condition that throws fails at once.
 */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, options: UntilOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) {
      const what = typeof options.what === 'function' ? await options.what() : (options.what ?? 'the condition');
      throw new Error(`${what}: still not so after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 10, Math.max(1, deadline - Date.now()))));
  }
}
