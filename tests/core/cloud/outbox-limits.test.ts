import { describe, expect, it } from 'vitest';
import { backoffMs, pairRetryMs } from '../../../electron/core/cloud/outbox-backoff';
import { createPairLimiter, createThroughputLimiter } from '../../../electron/core/cloud/outbox-limits';
import { classifyFailure } from '../../../electron/core/cloud/outbox';
import { fault, seeded } from './outbox-support';

/** Sends as fast as the limiter allows for `durationMs`; returns the send times. */
function drive(limiter: ReturnType<typeof createThroughputLimiter>, start: number, durationMs: number): number[] {
  const times: number[] = [];
  let now = start;
  while (now < start + durationMs) {
    const wait = limiter.waitMs(now);
    if (wait > 0) {
      now += wait;
      continue;
    }
    limiter.record(now);
    times.push(now);
  }
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('throughput limiter', () => {
  it('never lets more than the limit through in any one-second window, and uses all of it', () => {
    const limiter = createThroughputLimiter({ perSecond: 80 });
    const times = drive(limiter, 0, 10_000);
    expect(maxInAnyWindow(times, 1000)).toBe(80);
    expect(times.length).toBe(800);
  });

  it('halves on a throughput error, down to the floor, and climbs back without new errors', () => {
    const limiter = createThroughputLimiter({ perSecond: 80, minPerSecond: 5 });
    limiter.slowDown(0);
    expect(limiter.limitAt(0)).toBe(40);
    limiter.slowDown(0);
    limiter.slowDown(0);
    limiter.slowDown(0);
    expect(limiter.limitAt(0)).toBe(5);
    limiter.slowDown(0);
    expect(limiter.limitAt(0)).toBe(5);
    expect(limiter.limitAt(1000)).toBe(9);
    expect(limiter.limitAt(60_000)).toBe(80);
    const times = drive(limiter, 0, 2000);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(9);
  });
});

describe('pair rate limiter', () => {
  it('allows a burst that borrows future quota: a burst of 20 means about two minutes before the next', () => {
    const pair = createPairLimiter();
    for (let i = 0; i < 20; i++) {
      expect(pair.waitMs(1, i * 100)).toBe(0);
      pair.record(1, i * 100);
    }
    // Another customer is not affected.
    expect(pair.waitMs(2, 2000)).toBe(0);
    // The burst window (6 s) is over: the borrowed 20 × 6 s must be paid back first.
    expect(pair.waitMs(1, 6000)).toBe(120_000 - 6000);
    expect(pair.waitMs(1, 120_000)).toBe(0);
    expect(pair.blocked(6000)).toEqual([[1, 120_000]]);
  });

  it('caps a burst at 45 messages; the next waits until the borrowed 45 × 6 s are paid back', () => {
    const pair = createPairLimiter();
    const times: number[] = [];
    let now = 0;
    while (times.length < 95) {
      const wait = pair.waitMs(1, now);
      if (wait > 0) {
        now += wait;
        continue;
      }
      pair.record(1, now);
      times.push(now);
    }
    expect(times.slice(0, 45)).toEqual(new Array(45).fill(0));
    // Paid back, a new burst may start; over time the rate is one per 6 s.
    expect(times.slice(45, 90)).toEqual(new Array(45).fill(270_000));
    expect(times.slice(90)).toEqual(new Array(5).fill(540_000));
    let j = 0;
    for (let i = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 6000) j++;
      expect(i - j + 1).toBeLessThanOrEqual(45);
    }
  });

  it('a message in the middle of a slow exchange does not open a second burst while quota is owed', () => {
    const pair = createPairLimiter();
    pair.record(1, 0);
    pair.record(1, 5000); // same burst: owes until 12 s
    expect(pair.waitMs(1, 7000)).toBe(5000);
    pair.record(1, 12_000);
    expect(pair.waitMs(1, 13_000)).toBe(0); // inside the new burst
  });

  it('sends steadily at one per 6 s without waiting longer', () => {
    const pair = createPairLimiter();
    for (let t = 0; t < 60_000; t += 6000) {
      expect(pair.waitMs(1, t)).toBe(0);
      pair.record(1, t);
    }
  });

  it('a 131056 penalty holds that customer until the given time', () => {
    const pair = createPairLimiter();
    pair.penalize(1, 1000 + pairRetryMs(1));
    expect(pair.waitMs(1, 1000)).toBe(4000);
    expect(pair.waitMs(1, 5000)).toBe(0);
    // A penalty never shortens quota already borrowed, and ends an open burst.
    pair.record(2, 0);
    pair.record(2, 0);
    pair.penalize(2, 1000);
    expect(pair.waitMs(2, 500)).toBe(11_500);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter, never zero, capped', () => {
    const random = seeded(1);
    const opts = { baseMs: 1000, capMs: 60_000, random };
    for (let n = 1; n <= 12; n++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (n - 1));
      const d = backoffMs(n, opts);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(5, opts)));
    expect(spread.size).toBeGreaterThan(10);
  });

  it('retries a pair-rate refusal after 4^X seconds', () => {
    expect([0, 1, 2, 3, 4, 5].map((x) => pairRetryMs(x))).toEqual([1000, 4000, 16_000, 64_000, 256_000, 256_000]);
  });
});

describe('failure classification', () => {
  it('maps each Graph error to what the outbox does', () => {
    expect(classifyFailure(fault('throughput'))).toEqual({ action: 'throttle' });
    expect(classifyFailure(fault('waba'))).toEqual({ action: 'throttle' });
    expect(classifyFailure(fault('app'))).toEqual({ action: 'throttle' });
    expect(classifyFailure(fault('pair'))).toEqual({ action: 'pair' });
    expect(classifyFailure(fault('server'))).toEqual({ action: 'retry' });
    expect(classifyFailure(fault('network'))).toEqual({ action: 'offline' });
    expect(classifyFailure(fault('timeoutBeforeAccept'))).toEqual({ action: 'offline' });
    expect(classifyFailure(fault('timeoutAfterAccept'))).toEqual({ action: 'unknown' });
    expect(classifyFailure({ retryable: true, kind: 'timeout', message: 'timed out' })).toEqual({ action: 'unknown' });
    expect(classifyFailure({ retryable: true, kind: 'server', code: 131000, maybeDelivered: true, message: '502' })).toEqual({ action: 'unknown' });
    expect(classifyFailure(fault('window'))).toEqual({ action: 'fail', pause: false });
    expect(classifyFailure(fault('undeliverable'))).toEqual({ action: 'fail', pause: false });
    expect(classifyFailure(fault('auth'))).toEqual({ action: 'fail', pause: true });
    expect(classifyFailure({ retryable: false, kind: 'throttle', code: 131048, message: 'Spam rate limit hit' })).toEqual({ action: 'fail', pause: false });
    // The connection broke after the body went out: maybe accepted.
    expect(classifyFailure({ retryable: false, kind: 'network', maybeDelivered: true, message: 'socket hang up' })).toEqual({ action: 'unknown' });
    // Not the client's error (a bug): it may have left, so never resent.
    expect(classifyFailure(new TypeError('x is undefined'))).toEqual({ action: 'unknown' });
  });
});
