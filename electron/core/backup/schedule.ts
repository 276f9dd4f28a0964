/**
 * When scheduled backups are due (PRODUCT §12): daily or weekly at a local time in the computer's timezone,
 * DST-correct, with the rules for a run missed while the app was closed and for the settings warning. Pure
 * functions of the schedule, the times, and the timezone (default: the computer's).
 *
 * A local time that does not exist on a day (clocks go forward through it) runs as far after the jump as it
 * was into the gap — 02:30 becomes 03:30 — and one that happens twice (clocks go back) runs once, at the
 * first: Temporal's "compatible" disambiguation, what people expect of an alarm clock.
 */
import type { BackupSchedule } from './settings';

const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function computerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The wall-clock reading at `ms` in `timeZone`, as if it were UTC (milliseconds). */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (ms - Math.floor(ms / 1000) * 1000);
}

const offsetAt = (ms: number, timeZone: string) => wallClock(ms, timeZone) - ms;

function localDateOf(ms: number, timeZone: string): LocalDate {
  const wall = new Date(wallClock(ms, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant a local date and time happens in `timeZone` (gaps and overlaps as described above). */
export function localTimeToInstant(date: LocalDate, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Offsets a day either side: no timezone changes its offset twice within two days.
  const before = offsetAt(wall - dayMs, timeZone);
  const after = offsetAt(wall + dayMs, timeZone);
  const valid = [wall - before, wall - after].filter((t) => wallClock(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}

function parseTime(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}

function runOn(schedule: BackupSchedule, date: LocalDate, timeZone: string): number | null {
  if (schedule.frequency === 'off') return null;
  if (schedule.frequency === 'weekly' && new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() !== schedule.weekday) return null;
  const { hour, minute } = parseTime(schedule.time);
  return localTimeToInstant(date, hour, minute, timeZone);
}

/** The first scheduled time strictly after `after`; null when the schedule is off. */
export function nextRunAt(schedule: BackupSchedule, after: number, timeZone = computerTimeZone()): number | null {
  if (schedule.frequency === 'off') return null;
  const start = localDateOf(after, timeZone);
  for (let i = -1; i <= 8; i++) {
    const t = runOn(schedule, addDays(start, i), timeZone);
    if (t !== null && t > after) return t;
  }
  return null;
}

/** The last scheduled time at or before `at`; null when the schedule is off. */
export function previousRunAt(schedule: BackupSchedule, at: number, timeZone = computerTimeZone()): number | null {
  if (schedule.frequency === 'off') return null;
  const start = localDateOf(at, timeZone);
  for (let i = 1; i >= -8; i--) {
    const t = runOn(schedule, addDays(start, i), timeZone);
    if (t !== null && t <= at) return t;
  }
  return null;
}

export interface BackupRunState {
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** When this schedule was set: times before it were never promised. */
  scheduledSince: number | null;
}

const before = (a: number | null, b: number) => a === null || a < b;

/**
 * At start: a scheduled time passed with no attempt since it (the app was closed, or the computer asleep),
 * so a backup runs now. A failed attempt is not repeated at every start: the warning below says so.
 */
export function mustRunAtStart(schedule: BackupSchedule, state: BackupRunState, now: number, timeZone = computerTimeZone()): boolean {
  const due = previousRunAt(schedule, now, timeZone);
  if (due === null || !before(state.scheduledSince, due)) return false;
  return before(state.lastAttemptAt, due) && before(state.lastSuccessAt, due);
}

/**
 * For the settings warning: the last scheduled time has passed (more than `graceMs` ago, time for that run
 * to finish) without a successful backup at or after it.
 */
export function isBackupOverdue(schedule: BackupSchedule, state: Pick<BackupRunState, 'lastSuccessAt' | 'scheduledSince'>, now: number, timeZone = computerTimeZone(), graceMs = 3_600_000): boolean {
  const due = previousRunAt(schedule, now, timeZone);
  if (due === null || !before(state.scheduledSince, due) || now - due < graceMs) return false;
  return before(state.lastSuccessAt, due);
}
