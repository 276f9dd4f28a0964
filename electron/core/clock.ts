import type { ClockPort } from './ports';

export function createWallClock(): ClockPort {
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const handle = setTimeout(fn, ms);
      // A timer alone must never keep a finished process (a test, the preview host on exit) alive.
      handle.unref?.();
      return () => clearTimeout(handle);
    },
  };
}

export interface VirtualClock extends ClockPort {
  /** Moves time forward, running every timer that falls due, in time order. */
  advance(ms: number): void;
}

/** Time that only moves when told to: tests and the sandbox's test controls drive it. */
export function createVirtualClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): VirtualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { due: number; seq: number; fn: () => void }>();

  return {
    now: () => now,
    setTimer(ms, fn) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, ms), seq: id, fn });
      return () => void timers.delete(id);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('A clock only moves forward');
      const target = now + ms;
      for (;;) {
        let nextKey: number | undefined;
        let next: { due: number; seq: number; fn: () => void } | undefined;
        for (const [key, timer] of timers) {
          if (timer.due > target) continue;
          if (!next || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq)) {
            next = timer;
            nextKey = key;
          }
        }
        if (!next || nextKey === undefined) break;
        timers.delete(nextKey);
        now = next.due;
        next.fn();
      }
      now = target;
    },
  };
}
