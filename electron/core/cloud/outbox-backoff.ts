/** Retry delays for the outbox. */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** [0, 1): Math.random in the app, seeded in tests. */
  random: () => number;
}

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure (n ≥ 1) waits between half and all of
 * min(cap, base · 2^(n−1)). Never zero, so a failing request is not hammered; the random half spreads
 * several desks (or many messages) apart so they do not retry in lockstep.
 */
export function backoffMs(failures: number, options: BackoffOptions): number {
  const n = Math.max(1, Math.floor(failures));
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(n - 1, 40));
  return Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
}

/**
 * After `131056` (pair rate limit) Meta says to retry after 4^X seconds, X = 0, 1, 2, … for consecutive
 * refusals (REFERENCE §6); X stops growing at `maxExponent` (4^4 s ≈ 4 minutes).
 */
export function pairRetryMs(consecutive: number, maxExponent = 4): number {
  return 1000 * 4 ** Math.min(Math.max(0, Math.floor(consecutive)), maxExponent);
}
