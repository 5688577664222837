/**
 * When to try a failed email again. After a failure the message waits 1 minute, then
 * 5 minutes, 30 minutes, 2 hours, then every 6 hours, for up to 48 hours from its first
 * failure (as GOV.UK Notify keeps trying a provider): the last try is made at the 48-hour
 * mark, and if that fails too the message is `failed` with the reason code of its last
 * attempt, and waits for someone to look at it (`redress notify list --status failed`,
 * the Notifications page) and try it again (`redress notify retry-all`).
 *
 * So an outage of the mail server or of Notify lasting up to two days loses nothing.
 */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

/** How long a message is retried after its first failure before it is given up. */
export const RETRY_WINDOW_MS = 48 * 3_600_000;

export interface RetryPolicy {
  /** The delay after each failure; the last repeats. */
  readonly delaysMs: readonly number[];
  /** How long after the first failure the last try is made. */
  readonly windowMs: number;
  /** Give up after this many attempts even within the window (tests; unset in service). */
  readonly maxAttempts?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { delaysMs: RETRY_DELAYS_MS, windowMs: RETRY_WINDOW_MS };

/** The delay before the next attempt after `attempts` attempts have failed (1 or more); the last delay repeats. */
export function retryDelayMs(attempts: number, delays: readonly number[] = RETRY_DELAYS_MS): number {
  if (delays.length === 0) return 0;
  const index = Math.min(Math.max(attempts, 1), delays.length) - 1;
  return delays[index] ?? 0;
}

export type AfterFailure = { readonly status: 'pending'; readonly nextAttemptAt: Date } | { readonly status: 'failed' };

/**
 * What happens to a message whose attempt number `attempts` (counting this one) has just
 * failed at `now`, when it first failed at `failingSince` (`now` for a first failure): it is
 * tried again after the next delay — never later than the end of the window, where the last
 * try is made — or, at the end of the window (or after `maxAttempts`), it is `failed`.
 */
export function afterFailure(attempts: number, now: Date, failingSince: Date = now, policy: RetryPolicy = DEFAULT_RETRY_POLICY): AfterFailure {
  if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) return { status: 'failed' };
  const windowEnds = failingSince.getTime() + policy.windowMs;
  if (now.getTime() >= windowEnds) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(Math.min(now.getTime() + retryDelayMs(attempts, policy.delaysMs), windowEnds)) };
}
