/**
 * The daily privacy run: retention (when on) and the inbox scrub, once a day on core's clock port (virtual
 * in tests). A run missed while the app was closed happens shortly after the next start; a failed run is
 * logged and tried again a day later (never in a tight loop).
 */
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import type { InboxScrub } from './inbox-scrub';
import type { Retention } from './retention';

export const dayMs = 86_400_000;

export interface DailyScheduleOptions {
  clock: Pick<ClockPort, 'now' | 'setTimer'>;
  logger: Logger;
  /** The work; its own failures are caught and logged here. */
  task: (now: number) => Promise<unknown> | unknown;
  /** When the task last completed (persisted by the task), or null if never. */
  lastRunAt: () => number | null;
  intervalMs?: number;
  /** The wait after start before a due run (lets the workspace finish opening). Default 1 minute. */
  startDelayMs?: number;
}

export interface DailySchedule {
  /** When the next run is due. */
  readonly nextRunAt: number;
  stop(): void;
}

export function startDailySchedule(options: DailyScheduleOptions): DailySchedule {
  const interval = options.intervalMs ?? dayMs;
  const startDelay = options.startDelayMs ?? 60_000;
  let cancel: (() => void) | null = null;
  let stopped = false;
  let nextRunAt = 0;

  function arm(at: number) {
    if (stopped) return;
    nextRunAt = at;
    cancel = options.clock.setTimer(Math.max(0, at - options.clock.now()), () => void tick());
  }

  async function tick() {
    cancel = null;
    if (stopped) return;
    const started = options.clock.now();
    try {
      await options.task(started);
    } catch (error) {
      options.logger.error('The daily privacy run failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
    }
    arm(started + interval);
  }

  const now = options.clock.now();
  const last = options.lastRunAt();
  arm(Math.max(now + startDelay, last === null ? 0 : last + interval));

  return {
    get nextRunAt() {
      return nextRunAt;
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}

/** Retention and the inbox scrub, daily. */
export function startPrivacyMaintenance(options: {
  clock: Pick<ClockPort, 'now' | 'setTimer'>;
  logger: Logger;
  retention: Pick<Retention, 'run' | 'lastRunAt'>;
  scrub: Pick<InboxScrub, 'run'>;
  startDelayMs?: number;
}): DailySchedule {
  let lastScrubAt: number | null = null;
  return startDailySchedule({
    clock: options.clock,
    logger: options.logger,
    ...(options.startDelayMs !== undefined ? { startDelayMs: options.startDelayMs } : {}),
    lastRunAt: () => options.retention.lastRunAt() ?? lastScrubAt,
    async task(now) {
      options.scrub.run();
      lastScrubAt = now;
      await options.retention.run(now);
    },
  });
}
