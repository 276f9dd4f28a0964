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

export interface AdjustableWallClock extends ClockPort {
  /** Jumps forward: timers that fall due run now, in time order; the rest keep their new, shorter wait. */
  advance(ms: number): void;
  /** How far ahead of the wall clock this clock runs, in ms. */
  readonly offset: number;
}

/**
 * The wall clock, which the preview host's test controls can move forward (a customer's 24-hour window
 * closing, a status that never came) while everything keeps running in real time in between.
 */
export function createAdjustableWallClock(): AdjustableWallClock {
  let offset = 0;
  let nextId = 0;
  const timers = new Map<number, { due: number; fn: () => void; handle: ReturnType<typeof setTimeout> }>();
  const now = () => Date.now() + offset;

  function arm(id: number, due: number, fn: () => void) {
    const handle = setTimeout(() => {
      timers.delete(id);
      fn();
    }, Math.max(0, due - now()));
    handle.unref?.();
    timers.set(id, { due, fn, handle });
  }

  return {
    now,
    get offset() {
      return offset;
    },
    setTimer(ms, fn) {
      const id = nextId++;
      arm(id, now() + Math.max(0, ms), fn);
      return () => {
        const timer = timers.get(id);
        if (timer) clearTimeout(timer.handle);
        timers.delete(id);
      };
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('A clock only moves forward');
      offset += ms;
      const due = [...timers.entries()].sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
      for (const [id, timer] of due) {
        clearTimeout(timer.handle);
        timers.delete(id);
        if (timer.due <= now()) timer.fn();
        else arm(id, timer.due, timer.fn);
      }
    },
  };
}
