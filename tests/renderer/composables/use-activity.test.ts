import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { ok } from '../../../shared/ipc/result';
import { activityIntervalMs } from '../../../renderer/src/composables/use-activity';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk, lockedState, unlockedState } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

function act(type: 'pointerdown' | 'pointermove' | 'keydown' | 'wheel') {
  const event = type === 'keydown' ? new KeyboardEvent(type, { key: 'a', bubbles: true }) : new Event(type, { bubbles: true });
  document.body.dispatchEvent(event);
}

describe('app:activity', () => {
  it('is sent at once, then at most once per 30 s while the user keeps going, with one report at the end of a busy interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { frontdesk } = await mountApp({ locale: 'en' });
    expect(frontdesk.callsTo('app:activity')).toBe(0);

    act('pointerdown');
    expect(frontdesk.callsTo('app:activity')).toBe(1);

    for (const type of ['pointermove', 'keydown', 'wheel', 'pointermove'] as const) {
      vi.advanceTimersByTime(2_000);
      act(type);
    }
    expect(frontdesk.callsTo('app:activity')).toBe(1);

    // The interval that saw activity ends: one report for it.
    vi.advanceTimersByTime(activityIntervalMs - 8_000);
    expect(frontdesk.callsTo('app:activity')).toBe(2);

    // Nobody around: nothing more.
    vi.advanceTimersByTime(5 * activityIntervalMs);
    expect(frontdesk.callsTo('app:activity')).toBe(2);

    // Back after a long while: reported at once again.
    act('keydown');
    expect(frontdesk.callsTo('app:activity')).toBe(3);
    expect(frontdesk.payloadsOf('app:activity')).toEqual([undefined, undefined, undefined]);
  });

  it('is not sent while the window is locked', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const frontdesk = createFakeFrontdesk({ 'workspace:state': () => ok(lockedState()) });
    await mountApp({ frontdesk, locale: 'en' });

    act('pointerdown');
    act('keydown');
    vi.advanceTimersByTime(2 * activityIntervalMs);
    expect(frontdesk.callsTo('app:activity')).toBe(0);

    frontdesk.emit('workspace:state', unlockedState());
    await flushPromises();
    act('wheel');
    expect(frontdesk.callsTo('app:activity')).toBe(1);
  });
});
