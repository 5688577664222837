/**
 * When to try a failed email again: 1 minute after the first failure, then 5 minutes,
 * 30 minutes, 2 hours and 6 hours; after `maxAttempts` attempts the message is `failed`
 * and waits for someone to look at it (`redress notify list --status failed`).
 */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

export const DEFAULT_MAX_ATTEMPTS = 6;

/** The delay before the next attempt after `attempts` attempts have failed (1 or more); the last delay repeats. */
export function retryDelayMs(attempts: number, delays: readonly number[] = RETRY_DELAYS_MS): number {
  if (delays.length === 0) return 0;
  const index = Math.min(Math.max(attempts, 1), delays.length) - 1;
  return delays[index] ?? 0;
}

export type AfterFailure = { readonly status: 'pending'; readonly nextAttemptAt: Date } | { readonly status: 'failed' };

/** What happens to a message whose attempt number `attempts` (counting this one) has just failed at `now`. */
export function afterFailure(attempts: number, now: Date, maxAttempts = DEFAULT_MAX_ATTEMPTS, delays: readonly number[] = RETRY_DELAYS_MS): AfterFailure {
  if (attempts >= maxAttempts) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, delays)) };
}
