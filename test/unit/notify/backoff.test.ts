import { describe, expect, it } from 'vitest';
import { afterFailure, DEFAULT_MAX_ATTEMPTS, retryDelayMs } from '../../../src/notify/backoff.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const MINUTE = 60_000;

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

  it('schedules the next attempt until the last, then gives up', () => {
    expect(afterFailure(1, NOW)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-26T10:01:00.000Z') });
    expect(afterFailure(DEFAULT_MAX_ATTEMPTS - 1, NOW).status).toBe('pending');
    expect(afterFailure(DEFAULT_MAX_ATTEMPTS, NOW)).toEqual({ status: 'failed' });
    expect(afterFailure(2, NOW, 2)).toEqual({ status: 'failed' });
  });

  it('takes its own delays', () => {
    expect(afterFailure(2, NOW, 5, [1000, 2000])).toEqual({ status: 'pending', nextAttemptAt: new Date(NOW.getTime() + 2000) });
    expect(retryDelayMs(3, [])).toBe(0);
  });
});
