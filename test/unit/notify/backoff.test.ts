import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterFailure, DEFAULT_RETRY_POLICY, RETRY_WINDOW_MS, retryDelayMs } from '../../../src/notify/backoff.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('retry backoff', () => {
  it.each([
    [1, 1 * MINUTE],
    [2, 5 * MINUTE],
    [3, 30 * MINUTE],
    [4, 120 * MINUTE],
    [5, 360 * MINUTE],
    [9, 360 * MINUTE],
  ])('after %i failed attempts waits %i ms', (attempts, delay) => {
    expect(retryDelayMs(attempts)).toBe(delay);
  });

  it('grows and never shrinks', () => {
    for (let attempts = 1; attempts < 20; attempts++) expect(retryDelayMs(attempts + 1)).toBeGreaterThanOrEqual(retryDelayMs(attempts));
  });

  it('keeps trying for 48 hours from the first failure, the last try at the 48-hour mark, then gives up', () => {
    expect(RETRY_WINDOW_MS).toBe(48 * HOUR);
    expect(afterFailure(1, NOW)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-26T10:01:00.000Z') });
    // Walk a message that never gets through: how many tries, and when the last one is.
    let at = NOW;
    let attempts = 1;
    const tries = [NOW];
    for (;;) {
      const next = afterFailure(attempts, at, NOW);
      if (next.status === 'failed') break;
      at = next.nextAttemptAt;
      attempts += 1;
      tries.push(at);
    }
    expect(tries.at(-1)).toEqual(new Date(NOW.getTime() + 48 * HOUR));
    expect(attempts).toBeGreaterThan(6);
    expect(attempts).toBeLessThan(20);
    // Never more than 6 hours between tries.
    for (let i = 1; i < tries.length; i++) expect((tries[i]?.getTime() ?? 0) - (tries[i - 1]?.getTime() ?? 0)).toBeLessThanOrEqual(6 * HOUR);
  });

  it('gives up at once when the window has passed, and after maxAttempts when one is set', () => {
    expect(afterFailure(3, new Date(NOW.getTime() + 48 * HOUR), NOW)).toEqual({ status: 'failed' });
    expect(afterFailure(5, new Date(NOW.getTime() + 47 * HOUR), NOW)).toEqual({ status: 'pending', nextAttemptAt: new Date(NOW.getTime() + 48 * HOUR) });
    expect(afterFailure(2, NOW, NOW, { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 })).toEqual({ status: 'failed' });
  });

  it('never schedules a try after the window or before now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 60 * 60 }), (attempts, minutesIn) => {
        const now = new Date(NOW.getTime() + minutesIn * MINUTE);
        const next = afterFailure(attempts, now, NOW);
        if (next.status === 'failed') return minutesIn * MINUTE >= RETRY_WINDOW_MS;
        return next.nextAttemptAt.getTime() > now.getTime() && next.nextAttemptAt.getTime() <= NOW.getTime() + RETRY_WINDOW_MS;
      }),
    );
  });

  it('takes its own delays', () => {
    expect(afterFailure(2, NOW, NOW, { delaysMs: [1000, 2000], windowMs: HOUR })).toEqual({ status: 'pending', nextAttemptAt: new Date(NOW.getTime() + 2000) });
    expect(retryDelayMs(3, [])).toBe(0);
  });
});
