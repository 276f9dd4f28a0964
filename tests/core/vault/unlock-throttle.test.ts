import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../electron/core/clock';
import { createConfSettings } from '../../../electron/core/node-ports';
import { createUnlockThrottle, unlockDelayMs } from '../../../electron/core/vault/unlock-throttle';
import { tempDir } from '../helpers';

describe('unlock throttle', () => {
  it('grows 1 s, 2 s, 4 s … and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(unlockDelayMs)).toEqual([0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('refuses attempts inside the delay, allows them after, and survives a restart', async () => {
    const dir = tempDir();
    const clock = createVirtualClock();
    const throttle = createUnlockThrottle(createConfSettings(dir), clock);
    await throttle.check('ws-1');
    await throttle.recordFailure('ws-1');
    await throttle.recordFailure('ws-1');
    await expect(throttle.check('ws-1')).rejects.toMatchObject({ code: 'unlock_throttled', retryAfterMs: 2000 });
    await throttle.check('ws-2'); // other workspaces are not affected

    // A restart (new settings instance on the same file) keeps the count.
    const restarted = createUnlockThrottle(createConfSettings(dir), clock);
    clock.advance(1500);
    await expect(restarted.check('ws-1')).rejects.toMatchObject({ code: 'unlock_throttled', retryAfterMs: 500 });
    clock.advance(500);
    await restarted.check('ws-1');
    expect(await restarted.recordSuccess('ws-1')).toMatchObject({ failures: 2 });
    await restarted.check('ws-1');
    expect(await restarted.recordSuccess('ws-1')).toMatchObject({ failures: 0 });
  });
});
