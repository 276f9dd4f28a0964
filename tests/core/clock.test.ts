import { describe, expect, it } from 'vitest';
import { createAdjustableWallClock, createVirtualClock, createWallClock } from '../../electron/core/clock';

describe('virtual clock', () => {
  it('runs due timers in time order, including ones scheduled while advancing', () => {
    const clock = createVirtualClock(0);
    const order: string[] = [];
    clock.setTimer(300, () => order.push(`c@${clock.now()}`));
    clock.setTimer(100, () => {
      order.push(`a@${clock.now()}`);
      clock.setTimer(50, () => order.push(`b@${clock.now()}`));
    });
    clock.setTimer(1000, () => order.push('late'));
    clock.advance(500);
    expect(order).toEqual(['a@100', 'b@150', 'c@300']);
    expect(clock.now()).toBe(500);
  });

  it('cancels timers and refuses to go backwards', () => {
    const clock = createVirtualClock(0);
    let fired = false;
    const cancel = clock.setTimer(10, () => (fired = true));
    cancel();
    clock.advance(100);
    expect(fired).toBe(false);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('wall clock', () => {
  it('fires a timer after real time passes, and a cancelled one never', async () => {
    const clock = createWallClock();
    const fired: string[] = [];
    clock.setTimer(5, () => fired.push('kept'));
    clock.setTimer(5, () => fired.push('cancelled'))();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fired).toEqual(['kept']);
  });
});

describe('adjustable wall clock (the preview host with test controls)', () => {
  it('jumps forward: timers that fall due run at once in order, later ones still wait, cancelled ones never run', async () => {
    const clock = createAdjustableWallClock();
    const start = clock.now();
    const fired: string[] = [];
    clock.setTimer(24 * 3_600_000, () => fired.push('window closes'));
    clock.setTimer(10 * 60_000, () => fired.push('not confirmed'));
    clock.setTimer(60_000, () => fired.push('cancelled'))();
    clock.setTimer(48 * 3_600_000, () => fired.push('too late'));
    clock.advance(24 * 3_600_000);
    expect(fired).toEqual(['not confirmed', 'window closes']);
    expect(clock.now() - start).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(clock.offset).toBe(24 * 3_600_000);
    // Real time still runs afterwards: a short timer set after the jump fires by itself.
    clock.setTimer(5, () => fired.push('after'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fired).toEqual(['not confirmed', 'window closes', 'after']);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
