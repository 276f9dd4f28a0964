import { businessHoursSchema, dayKeys, daySpans, hoursIssues, isValidTimeZone, maxIntervalsPerDay, minutesPerDay } from '../../../shared/rules/business-hours';
import type { BusinessHours, DayHours, DayKey, HoursIssueCode } from '../../../shared/rules/business-hours';

/**
 * The hours editor's form (PRODUCT §5): each day keeps its intervals while another mode is chosen, so switching
 * back finds them; times are as typed. Checked with `hoursIssues()` and the shared schema — the same rules core
 * applies — and every problem is named by the dotted path of its field (`week.tue.intervals.1`).
 */
export type DayMode = DayHours['mode'];
export const dayModes: readonly DayMode[] = ['open', 'allDay', 'appointment', 'closed'];

export interface IntervalForm {
  key: number;
  start: string;
  end: string;
}

export interface DayForm {
  mode: DayMode;
  intervals: IntervalForm[];
}

export interface ExceptionForm {
  key: number;
  date: string;
  day: DayForm;
  note: string;
}

export interface HoursForm {
  timezone: string;
  week: Record<DayKey, DayForm>;
  exceptions: ExceptionForm[];
}

export { dayKeys, maxIntervalsPerDay };

let nextKey = 1;
export function newInterval(start = '09:00', end = '17:00'): IntervalForm {
  return { key: nextKey++, start, end };
}

function dayForm(hours: DayHours): DayForm {
  return { mode: hours.mode, intervals: hours.mode === 'open' ? hours.intervals.map((interval) => newInterval(interval.start, interval.end)) : [] };
}

export function newException(date = ''): ExceptionForm {
  return { key: nextKey++, date, day: { mode: 'closed', intervals: [] }, note: '' };
}

export function formFromHours(hours: BusinessHours): HoursForm {
  return {
    timezone: hours.timezone,
    week: Object.fromEntries(dayKeys.map((day) => [day, dayForm(hours.week[day])])) as Record<DayKey, DayForm>,
    exceptions: hours.exceptions.map((exception) => ({ key: nextKey++, date: exception.date, day: dayForm(exception.hours), note: exception.note })),
  };
}

/** Switching a day to "open" with no interval yet gives it the usual 09:00–17:00 to edit. */
export function setDayMode(day: DayForm, mode: DayMode): void {
  day.mode = mode;
  if (mode === 'open' && day.intervals.length === 0) day.intervals.push(newInterval());
}

/** The next interval offered: after the day's last one (an evening session), else 09:00–17:00. */
export function addInterval(day: DayForm): void {
  if (day.intervals.length >= maxIntervalsPerDay) return;
  const last = day.intervals.at(-1);
  const startMinutes = last && endPattern.test(last.end) ? (timeMinutes(last.end) + 60) % minutesPerDay : null;
  if (startMinutes === null || startMinutes + 120 > minutesPerDay) {
    day.intervals.push(newInterval(last ? '' : '09:00', last ? '' : '17:00'));
    return;
  }
  day.intervals.push(newInterval(timeText(startMinutes), timeText(startMinutes + 120)));
}

const startPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const endPattern = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

function timeMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function timeText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * A typed time tidied to `HH:MM`: "2:00" → "02:00", "1730" → "17:30", "9" → "09:00", "24" → "24:00".
 * Anything else is left as typed (and named wrong).
 */
export function normalizeTime(text: string): string {
  const typed = text.trim().replace(/[.：]/g, ':');
  const match = /^(\d{1,2})(?::?(\d{2}))?$/.exec(typed);
  if (!match) return typed;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) return typed;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

function toDayHours(day: DayForm): DayHours {
  if (day.mode !== 'open') return { mode: day.mode };
  return { mode: 'open', intervals: day.intervals.map((interval) => ({ start: normalizeTime(interval.start), end: normalizeTime(interval.end) })) };
}

/** The schedule the form describes, as `hours:save` takes it. */
export function toBusinessHours(form: HoursForm): BusinessHours {
  return {
    timezone: form.timezone.trim(),
    week: Object.fromEntries(dayKeys.map((day) => [day, toDayHours(form.week[day])])) as Record<DayKey, DayHours>,
    exceptions: form.exceptions.map((exception) => ({ date: exception.date.trim(), hours: toDayHours(exception.day), note: exception.note.trim() })),
  };
}

export type HoursProblemCode = HoursIssueCode | 'badStart' | 'badEnd' | 'noIntervals' | 'noteTooLong' | 'tooMany' | 'invalid';

export interface HoursProblem {
  /** The field's dotted path: `timezone`, `week.mon`, `week.tue.intervals.1`, `exceptions.0.date`. */
  path: string;
  code: HoursProblemCode;
  /** For an overlap: the other interval, as `hoursIssues()` names it (`mon 21:00–02:00`). */
  other?: string;
}

function formatProblems(base: string, day: DayForm): HoursProblem[] {
  if (day.mode !== 'open') return [];
  if (day.intervals.length === 0) return [{ path: base, code: 'noIntervals' }];
  const problems: HoursProblem[] = [];
  day.intervals.forEach((interval, index) => {
    const path = `${base}.intervals.${index}`;
    if (!startPattern.test(normalizeTime(interval.start))) problems.push({ path, code: 'badStart' });
    else if (!endPattern.test(normalizeTime(interval.end))) problems.push({ path, code: 'badEnd' });
  });
  return problems;
}

/**
 * Everything wrong with the form, in the order it is shown. Times that are not `HH:MM` are named first; the
 * shared rules (overlaps around the whole week, empty intervals, dates, the timezone) then speak for the rest.
 */
export function checkHoursForm(form: HoursForm): { problems: HoursProblem[]; hours: BusinessHours } {
  const hours = toBusinessHours(form);
  const problems: HoursProblem[] = [];
  for (const day of dayKeys) problems.push(...formatProblems(`week.${day}`, form.week[day]));
  form.exceptions.forEach((exception, index) => problems.push(...formatProblems(`exceptions.${index}.hours`, exception.day)));
  const malformed = new Set(problems.map((problem) => problem.path));
  for (const issue of hoursIssues(hours)) {
    // A malformed time says so itself; what the rules make of it would only confuse.
    if (malformed.has(issue.path)) continue;
    problems.push({ path: issue.path, code: issue.code, ...(issue.other ? { other: issue.other } : {}) });
  }
  if (problems.length === 0) {
    const parsed = businessHoursSchema.safeParse(hours);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        const code: HoursProblemCode = /\.note$/.test(path) ? 'noteTooLong' : path === 'exceptions' || /intervals$/.test(path) ? 'tooMany' : 'invalid';
        problems.push({ path: /intervals$/.test(path) ? path.replace(/\.intervals$/, '') : path, code });
      }
    }
  }
  return { problems, hours };
}

/** Core's `invalid_request` field list → problems at the fields it names. */
export function problemsFromFieldPaths(paths: readonly string[]): HoursProblem[] {
  return paths.map((path) => ({ path, code: path === 'timezone' ? 'bad_timezone' : 'invalid' }));
}

export function timezoneIsKnown(zone: string): boolean {
  return isValidTimeZone(zone.trim());
}

/** Every IANA timezone the runtime knows, for the timezone picker (UTC first, as it is not always listed). */
export function timeZones(): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return supported.includes('UTC') ? supported : ['UTC', ...supported];
}

export interface WeekBar {
  day: DayKey;
  /** Minutes from the column's midnight. */
  start: number;
  end: number;
  /** The part after midnight of the day before's overnight interval. */
  carried: boolean;
}

/**
 * The open spans of the week for the week view, well-formed intervals only: an overnight interval is drawn to
 * midnight on its own day and from midnight into the next (Sunday's into Monday).
 */
export function weekBars(form: HoursForm): WeekBar[] {
  const bars: WeekBar[] = [];
  dayKeys.forEach((day, index) => {
    const dayHours = form.week[day];
    const usable: DayHours =
      dayHours.mode === 'open'
        ? {
            mode: 'open',
            intervals: dayHours.intervals
              .map((interval) => ({ start: normalizeTime(interval.start), end: normalizeTime(interval.end) }))
              .filter((interval) => startPattern.test(interval.start) && endPattern.test(interval.end) && interval.start !== interval.end),
          }
        : { mode: dayHours.mode };
    if (usable.mode === 'open' && usable.intervals.length === 0) return;
    for (const span of daySpans(usable)) {
      bars.push({ day, start: span.start, end: Math.min(span.end, minutesPerDay), carried: false });
      if (span.end > minutesPerDay) bars.push({ day: dayKeys[(index + 1) % 7]!, start: 0, end: span.end - minutesPerDay, carried: true });
    }
  });
  return bars;
}

/** Whether an interval crosses midnight (its end is not after its start): shown as "next day". */
export function crossesMidnight(interval: { start: string; end: string }): boolean {
  const start = normalizeTime(interval.start);
  const end = normalizeTime(interval.end);
  if (!startPattern.test(start) || !endPattern.test(end)) return false;
  return timeMinutes(end) < timeMinutes(start);
}

/** Whether the form still says what `saved` says (compared in one shape, so key order does not matter). */
export function formMatches(form: HoursForm, saved: BusinessHours): boolean {
  return JSON.stringify(toBusinessHours(form)) === JSON.stringify(toBusinessHours(formFromHours(saved)));
}
