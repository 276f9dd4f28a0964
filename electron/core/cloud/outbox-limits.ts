/**
 * The two send limits Meta enforces on one business number (REFERENCE §6), as pure time arithmetic so the
 * outbox can ask "how long until this send fits?" on any clock.
 */

/**
 * Per-number throughput: at most `limit` sends in any one-second window (80 mps by default, 20 for
 * coexistence numbers).
 *
 * A bucket whose spent tokens come back exactly one window later, i.e. a sliding-window log: a classic token
 * bucket (capacity C, refill r/s) lets C + r through in some one-second window, which would exceed Meta's
 * per-second cap at the default settings.
 *
 * `slowDown` (Meta answered 130429 or another throttle) halves the current limit; it then climbs back by
 * `recoveryStep` per second without a new slowdown (additive increase, multiplicative decrease).
 */
export interface ThroughputLimiter {
  /** Milliseconds until one more send fits (0: now). */
  waitMs(now: number): number;
  /** A send left at `now`. */
  record(now: number): void;
  slowDown(now: number): void;
  /** The limit in force at `now` (sends per window). */
  limitAt(now: number): number;
}

export interface ThroughputOptions {
  perSecond: number;
  /** The floor for `slowDown`. */
  minPerSecond?: number;
  windowMs?: number;
  /** Sends per window regained for each window without a slowdown; default a twentieth of `perSecond`. */
  recoveryStep?: number;
}

export function createThroughputLimiter(options: ThroughputOptions): ThroughputLimiter {
  const max = Math.max(1, Math.floor(options.perSecond));
  const min = Math.min(max, Math.max(1, Math.floor(options.minPerSecond ?? 1)));
  const windowMs = options.windowMs ?? 1000;
  const step = Math.max(1, Math.floor(options.recoveryStep ?? max / 20));
  // Send times within the last window, oldest first; `start` skips expired ones without shifting.
  let times: number[] = [];
  let start = 0;
  let floor = max;
  let slowedAt = Number.NEGATIVE_INFINITY;

  const limitAt = (now: number) =>
    floor >= max ? max : Math.min(max, floor + Math.floor(Math.max(0, now - slowedAt) / windowMs) * step);

  function prune(now: number): void {
    while (start < times.length && times[start]! <= now - windowMs) start++;
    if (start > 1024 && start * 2 > times.length) {
      times = times.slice(start);
      start = 0;
    }
  }

  return {
    waitMs(now) {
      prune(now);
      const limit = limitAt(now);
      const inWindow = times.length - start;
      if (inWindow < limit) return 0;
      // The send that must leave the window before one more fits.
      return times[times.length - limit]! + windowMs - now;
    },
    record(now) {
      prune(now);
      times.push(now);
    },
    slowDown(now) {
      floor = Math.max(min, Math.floor(limitAt(now) / 2));
      slowedAt = now;
    },
    limitAt,
  };
}

/**
 * Pair rate limit: one message per `intervalMs` (6 s) to the same customer, with bursts of up to `burst`
 * (45) messages within `burstWindowMs` (6 s) that borrow future quota: after a burst of n messages the next
 * one waits until n intervals after the burst began (a burst of 20 ⇒ ~2 minutes), as REFERENCE §6 says.
 *
 * Modelled as a theoretical next-free time per customer (each send adds one interval) plus an open burst: a
 * burst opens only when no quota is owed, and while it is open (and under `burst` sends) sends go at once.
 */
export interface PairLimiter {
  /** Milliseconds until one more message to `key` fits (0: now). */
  waitMs(key: number, now: number): number;
  record(key: number, now: number): void;
  /** Meta answered 131056 for `key`: nothing more to it before `until`. */
  penalize(key: number, until: number): void;
  /** Keys that must wait at `now`, with when they are free again. */
  blocked(now: number): Array<[key: number, freeAt: number]>;
}

export interface PairOptions {
  intervalMs?: number;
  burst?: number;
  burstWindowMs?: number;
}

interface PairState {
  /** When the quota borrowed so far is paid back. */
  freeAt: number;
  burstStart: number;
  burstCount: number;
}

export function createPairLimiter(options: PairOptions = {}): PairLimiter {
  const interval = options.intervalMs ?? 6000;
  const burst = Math.max(1, Math.floor(options.burst ?? 45));
  const burstWindow = options.burstWindowMs ?? 6000;
  const pairs = new Map<number, PairState>();

  const burstOpen = (s: PairState, now: number) => s.burstCount > 0 && now < s.burstStart + burstWindow;

  function waitMs(key: number, now: number): number {
    const s = pairs.get(key);
    if (!s) return 0;
    if (burstOpen(s, now) && s.burstCount < burst) return 0;
    return Math.max(0, s.freeAt - now);
  }

  function forgetIdle(now: number): void {
    if (pairs.size < 4096) return;
    for (const [key, s] of pairs) if (s.freeAt <= now && !burstOpen(s, now)) pairs.delete(key);
  }

  return {
    waitMs,
    record(key, now) {
      let s = pairs.get(key);
      if (!s) {
        forgetIdle(now);
        s = { freeAt: now, burstStart: now, burstCount: 0 };
        pairs.set(key, s);
      }
      if (!burstOpen(s, now)) {
        s.burstStart = now;
        s.burstCount = 0;
      }
      s.burstCount++;
      s.freeAt = Math.max(s.freeAt, now) + interval;
    },
    penalize(key, until) {
      const s = pairs.get(key) ?? { freeAt: until, burstStart: 0, burstCount: 0 };
      s.freeAt = Math.max(s.freeAt, until);
      // Meta refused: whatever burst was open is over.
      s.burstCount = 0;
      pairs.set(key, s);
    },
    blocked(now) {
      const out: Array<[number, number]> = [];
      for (const key of pairs.keys()) {
        const wait = waitMs(key, now);
        if (wait > 0) out.push([key, now + wait]);
      }
      return out;
    },
  };
}
