import { z } from 'zod';
import { AppError } from '../errors';
import type { ClockPort, SettingsPort } from '../ports';

const stateSchema = z.object({ failures: z.number().int().nonnegative(), lastFailureAt: z.number() });
type ThrottleState = z.infer<typeof stateSchema>;

/** 1 s, 2 s, 4 s … after each wrong attempt in a row, capped at 30 s. */
export function unlockDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 1));
}

const unauditedSchema = z.object({ count: z.number().int().positive(), firstAt: z.number(), lastAt: z.number() });

/** Wrong attempts made while the archive could not be written (locked or closed), not yet in its audit log. */
export type UnauditedUnlockFailures = z.infer<typeof unauditedSchema>;

/**
 * The failed attempts waiting for the audit log (PRODUCT §11, §13). Kept apart from the throttle's own count,
 * which a success clears before the archive is even opened: this one is cleared only once the audit entry is
 * written (privacy/audit.ts), so a crash in between loses nothing. Counts only, no passphrase material.
 */
export function createUnlockFailureLedger(settings: SettingsPort) {
  const key = (workspaceId: string) => `unlockFailuresUnaudited.${workspaceId}`;
  const read = async (workspaceId: string): Promise<UnauditedUnlockFailures | null> => {
    const parsed = unauditedSchema.safeParse(await settings.get(key(workspaceId)));
    return parsed.success ? parsed.data : null;
  };
  return {
    read,
    async add(workspaceId: string, at: number): Promise<void> {
      const current = await read(workspaceId);
      const next: UnauditedUnlockFailures = current ? { count: current.count + 1, firstAt: current.firstAt, lastAt: at } : { count: 1, firstAt: at, lastAt: at };
      await settings.set(key(workspaceId), next);
    },
    /** Clears what was audited; failures recorded meanwhile stay (their count is kept minus the audited ones). */
    async clear(workspaceId: string, audited: UnauditedUnlockFailures): Promise<void> {
      const current = await read(workspaceId);
      if (!current) return;
      if (current.count <= audited.count && current.lastAt <= audited.lastAt) await settings.delete(key(workspaceId));
      else {
        const count = Math.max(1, current.count - audited.count);
        // The first of the remaining ones is not known exactly when several remain: no earlier than the audited ones' end.
        await settings.set(key(workspaceId), { count, firstAt: count === 1 ? current.lastAt : audited.lastAt, lastAt: current.lastAt });
      }
    },
  };
}

export type UnlockFailureLedger = ReturnType<typeof createUnlockFailureLedger>;

/**
 * A growing delay after wrong passphrases or recovery keys, kept in the settings store so that restarting
 * the app does not reset it. The archive is never touched by a failed attempt. Each failure is also added
 * to the ledger above, for the audit log.
 */
export function createUnlockThrottle(settings: SettingsPort, clock: ClockPort) {
  const ledger = createUnlockFailureLedger(settings);
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
      await ledger.add(workspaceId, next.lastFailureAt);
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
