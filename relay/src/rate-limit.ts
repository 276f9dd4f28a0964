/**
 * Token buckets per key (a source address, a desk). Buckets idle long enough to be full again are dropped,
 * so memory stays bounded by the keys active in the last window.
 */
export interface RateLimiter {
  /** Takes one token for `key`; false when its bucket is empty. */
  take(key: string, now?: number): boolean;
  /** Whether `key` has a token left, without taking one. */
  allows(key: string, now?: number): boolean;
  readonly size: number;
}

export function createRateLimiter(options: { capacity: number; perMs: number }): RateLimiter {
  const refillPerMs = options.capacity / options.perMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = 0;

  const level = (key: string, now: number) => {
    const bucket = buckets.get(key);
    if (!bucket) return options.capacity;
    return Math.min(options.capacity, bucket.tokens + (now - bucket.at) * refillPerMs);
  };

  const sweep = (now: number) => {
    if (now - lastSweep < options.perMs) return;
    lastSweep = now;
    for (const [key, bucket] of buckets) if (bucket.tokens + (now - bucket.at) * refillPerMs >= options.capacity) buckets.delete(key);
  };

  return {
    take(key, now = Date.now()) {
      sweep(now);
      const tokens = level(key, now);
      if (tokens < 1) return false;
      buckets.set(key, { tokens: tokens - 1, at: now });
      return true;
    },
    allows: (key, now = Date.now()) => level(key, now) >= 1,
    get size() {
      return buckets.size;
    },
  };
}
