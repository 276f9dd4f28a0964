import { z } from 'zod';
import { AppError } from '../errors';
import type { ClockPort, SettingsPort } from '../ports';

const stateSchema = z.object({ failures: z.number().int().nonnegative(), lastFailureAt: z.number() });
type ThrottleState = z.infer<typeof stateSchema>;

/** 1 s, 2 s, 4 s … after each wrong attempt in a row, capped at 30 s. */
export function unlockDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 1));
}

/**
 * A growing delay after wrong passphrases or recovery keys, kept in the settings store so that restarting
 * the app does not reset it. The archive is never touched by a failed attempt.
 */
export function createUnlockThrottle(settings: SettingsPort, clock: ClockPort) {
  const key = (workspaceId: string) => `unlockFailures.${workspaceId}`;
  const read = async (workspaceId: string): Promise<ThrottleState> => {
    const parsed = stateSchema.safeParse(await settings.get(key(workspaceId)));
    // A missing or hand-edited entry counts as no failures: the worst case is a shorter wait, never a lock-out.
    return parsed.success ? parsed.data : { failures: 0, lastFailureAt: 0 };
  };
  return {
    /** Throws `unlock_throttled` (with retryAfterMs) while the delay since the last failure runs. */
    async check(workspaceId: string): Promise<void> {
      const state = await read(workspaceId);
      const wait = state.lastFailureAt + unlockDelayMs(state.failures) - clock.now();
      if (wait > 0) {
        throw new AppError('unlock_throttled', `Too many wrong attempts: try again in ${Math.ceil(wait / 1000)} s`, undefined, wait);
      }
    },
    async recordFailure(workspaceId: string): Promise<number> {
      const state = await read(workspaceId);
      const next = { failures: state.failures + 1, lastFailureAt: clock.now() };
      await settings.set(key(workspaceId), next);
      return unlockDelayMs(next.failures);
    },
    /** Clears the count and returns how many failures came before this success (for the audit log). */
    async recordSuccess(workspaceId: string): Promise<ThrottleState> {
      const state = await read(workspaceId);
      if (state.failures > 0) await settings.delete(key(workspaceId));
      return state;
    },
  };
}

export type UnlockThrottle = ReturnType<typeof createUnlockThrottle>;
