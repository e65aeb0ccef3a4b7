import { nextRetry } from './retry-policy.js';

const settings = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

describe('nextRetry', () => {
  it('doubles the delay per attempt, within [delay/2, delay)', () => {
    expect(nextRetry(1, settings, () => 0)).toEqual({ dead: false, delayMs: 500 });
    expect(nextRetry(1, settings, () => 0.999)).toEqual({ dead: false, delayMs: 1000 });
    expect(nextRetry(2, settings, () => 0)).toEqual({ dead: false, delayMs: 1000 });
    expect(nextRetry(3, settings, () => 0)).toEqual({ dead: false, delayMs: 2000 });
  });

  it('caps the delay', () => {
    expect(nextRetry(3, { ...settings, maxDelayMs: 3000 }, () => 0)).toEqual({ dead: false, delayMs: 1500 });
    expect(nextRetry(3, { ...settings, maxDelayMs: 3000 }, () => 0.999)).toEqual({ dead: false, delayMs: 2999 });
  });

  it('gives up after the last attempt', () => {
    expect(nextRetry(4, settings)).toEqual({ dead: true });
    expect(nextRetry(9, settings)).toEqual({ dead: true });
  });
});
