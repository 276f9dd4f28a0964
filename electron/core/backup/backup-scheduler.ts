/**
 * Scheduled backups of the open workspace (PRODUCT §12), on core's clock port (virtual in tests): daily or
 * weekly at a local time; a scheduled time missed while the app was closed (or the computer asleep) runs
 * shortly after the workspace opens. Runs while the workspace is locked: the archive stays open then.
 *
 * The timer is armed for the next scheduled time only; after each run, and whenever the settings change
 * (`rearm`), the next one is computed again from the settings as they are then.
 */
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { computerTimeZone, mustRunAtStart, nextRunAt } from './schedule';
import type { BackupSettings, BackupStatus } from './settings';

export interface BackupSchedulerOptions {
  clock: Pick<ClockPort, 'now' | 'setTimer'>;
  logger: Logger;
  /** Read each time: the settings as saved now. */
  settings: () => BackupSettings;
  status: () => Pick<BackupStatus, 'lastSuccessAt' | 'lastAttemptAt'>;
  /** The backup itself; its failures are recorded by it (status) and only logged here. */
  run: () => Promise<unknown>;
  /** Default: the computer's. */
  timeZone?: string;
  /** The wait after opening before a missed run (lets the workspace finish opening). Default 1 minute. */
  startDelayMs?: number;
}

export interface BackupScheduler {
  /** When the timer fires next (a missed run at start, or the next scheduled time); null when off. */
  readonly nextRunAt: number | null;
  /** The settings changed: compute the next time again. */
  rearm(): void;
  stop(): void;
}

export function startBackupScheduler(options: BackupSchedulerOptions): BackupScheduler {
  const timeZone = options.timeZone ?? computerTimeZone();
  const startDelay = options.startDelayMs ?? 60_000;
  let cancel: (() => void) | null = null;
  let stopped = false;
  let running = false;
  let due: number | null = null;

  function arm(at: number | null): void {
    cancel?.();
    cancel = null;
    due = at;
    if (stopped || at === null) return;
    cancel = options.clock.setTimer(Math.max(0, at - options.clock.now()), () => void fire());
  }

  function armNext(): void {
    arm(nextRunAt(options.settings().schedule, options.clock.now(), timeZone));
  }

  async function fire(): Promise<void> {
    cancel = null;
    if (stopped || running) return;
    running = true;
    try {
      await options.run();
    } catch (error) {
      options.logger.warn('A scheduled backup did not complete', { error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
    } finally {
      running = false;
    }
    if (!stopped) armNext();
  }

  const settings = options.settings();
  const status = options.status();
  const now = options.clock.now();
  if (mustRunAtStart(settings.schedule, { ...status, scheduledSince: settings.scheduledSince }, now, timeZone)) arm(now + startDelay);
  else armNext();

  return {
    get nextRunAt() {
      return due;
    },
    rearm() {
      // A run in progress re-arms when it ends.
      if (!running) armNext();
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
      due = null;
    },
  };
}
