/** When a failed callback is tried again: exponential backoff with jitter, then dead. */
export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type RetryDecision = { dead: true } | { dead: false; delayMs: number };

/**
 * `attempts` counts the attempt that just failed. Full jitter in [delay/2, delay) keeps
 * instances that failed together (a database blip) from retrying in lockstep.
 */
export function nextRetry(attempts: number, settings: RetrySettings, random: () => number = Math.random): RetryDecision {
  if (attempts >= settings.maxAttempts) return { dead: true };
  const delay = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return { dead: false, delayMs: Math.round(delay / 2 + (random() * delay) / 2) };
}
