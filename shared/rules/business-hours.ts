import { z } from 'zod';

/**
 * Business hours (PRODUCT §5): an IANA timezone, a weekly schedule and date exceptions. Pure rules both sides
 * use: the editor validates with them before saving, core validates again at the boundary and evaluates the
 * hours (electron/core/automation/hours.ts).
 *
 * Times are wall-clock `HH:MM` in the business timezone. An interval whose end is not after its start crosses
 * midnight (21:00–02:00) and belongs to the day it starts on; `24:00` ends a day. "Open 24 hours" is
 * [00:00, 24:00). An exception replaces the hours that start on its date (an overnight interval from the day
 * before still runs into it).
 */

export const dayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayKey = (typeof dayKeys)[number];

const startPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const endPattern = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export const minutesPerDay = 24 * 60;

export const hoursIntervalSchema = z
  .object({
    start: z.string().regex(startPattern, 'a time as HH:MM'),
    end: z.string().regex(endPattern, 'a time as HH:MM (24:00 for midnight)'),
  })
  .strict();
export type HoursInterval = z.infer<typeof hoursIntervalSchema>;

/** Most intervals one day can have (a split shift, a lunch break, an evening session…). */
export const maxIntervalsPerDay = 6;

export const dayHoursSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('open'), intervals: z.array(hoursIntervalSchema).min(1).max(maxIntervalsPerDay) }).strict(),
  z.object({ mode: z.literal('allDay') }).strict(),
  /** Shown to customers as "by appointment only"; closed for away messages. */
  z.object({ mode: z.literal('appointment') }).strict(),
  z.object({ mode: z.literal('closed') }).strict(),
]);
export type DayHours = z.infer<typeof dayHoursSchema>;

export const maxExceptionNote = 100;
export const maxExceptions = 366;

export const hoursExceptionSchema = z
  .object({
    date: z.string().regex(datePattern, 'a date as YYYY-MM-DD'),
    hours: dayHoursSchema,
    note: z.string().max(maxExceptionNote).default(''),
  })
  .strict();
export type HoursException = z.infer<typeof hoursExceptionSchema>;

export type HoursIssueCode = 'bad_timezone' | 'bad_date' | 'duplicate_date' | 'empty_interval' | 'overlap';

export interface HoursIssue {
  /** Dotted path of the field: `timezone`, `week.tue.intervals.1`, `exceptions.0.date`. */
  path: string;
  code: HoursIssueCode;
  /** For `overlap`: the other interval, as `day start–end` (e.g. `mon 21:00–02:00`). */
  other?: string;
}

export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function isValidDate(date: string): boolean {
  if (!datePattern.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** An interval as minutes from the start of its own day: [start, end), end beyond 1440 when it crosses midnight. */
export function intervalMinutes(interval: HoursInterval): { start: number; end: number } {
  const start = minutesOf(interval.start);
  const end = minutesOf(interval.end);
  return { start, end: end > start ? end : end + minutesPerDay };
}

/** The open spans of one day's hours, in minutes from that day's midnight (end may pass 1440). */
export function daySpans(hours: DayHours): { start: number; end: number; index: number }[] {
  if (hours.mode === 'allDay') return [{ start: 0, end: minutesPerDay, index: -1 }];
  if (hours.mode !== 'open') return [];
  return hours.intervals.map((interval, index) => ({ ...intervalMinutes(interval), index }));
}

export const businessHoursSchema = z
  .object({
    timezone: z.string().min(1).max(64),
    week: z.object(Object.fromEntries(dayKeys.map((day) => [day, dayHoursSchema])) as Record<DayKey, typeof dayHoursSchema>).strict(),
    exceptions: z.array(hoursExceptionSchema).max(maxExceptions).default([]),
  })
  .strict()
  .superRefine((hours, ctx) => {
    for (const issue of hoursIssues(hours)) ctx.addIssue({ code: 'custom', path: issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: describeHoursIssue(issue) });
  });
export type BusinessHours = z.infer<typeof businessHoursSchema>;

const spanText = (day: string, hours: DayHours, index: number) =>
  hours.mode === 'open' && index >= 0 ? `${day} ${hours.intervals[index]!.start}–${hours.intervals[index]!.end}` : `${day} open 24 hours`;

/** An English sentence for logs and the IPC error; the editor shows translated words for the code. */
export function describeHoursIssue(issue: HoursIssue): string {
  switch (issue.code) {
    case 'bad_timezone':
      return 'not a known IANA timezone (e.g. Europe/London)';
    case 'bad_date':
      return 'not a real date';
    case 'duplicate_date':
      return 'this date already has an exception';
    case 'empty_interval':
      return 'the interval starts and ends at the same time';
    case 'overlap':
      return `overlaps ${issue.other ?? 'another interval'}`;
  }
}

function isEmptySpan(hours: DayHours, index: number): boolean {
  return hours.mode === 'open' && index >= 0 && hours.intervals[index]!.start === hours.intervals[index]!.end;
}

function pathOf(base: string, index: number): string {
  return index >= 0 ? `${base}.intervals.${index}` : base;
}

/**
 * Everything wrong with a schedule, each naming its field. Overlaps are checked around the whole week (an
 * overnight Sunday interval runs into Monday) and within each exception's own day.
 */
export function hoursIssues(hours: { timezone: string; week: Record<DayKey, DayHours>; exceptions: readonly { date: string; hours: DayHours }[] }): HoursIssue[] {
  const issues: HoursIssue[] = [];
  if (!isValidTimeZone(hours.timezone)) issues.push({ path: 'timezone', code: 'bad_timezone' });

  const checkEmpty = (base: string, day: DayHours) => {
    if (day.mode !== 'open') return;
    day.intervals.forEach((interval, index) => {
      if (interval.start === interval.end) issues.push({ path: `${base}.intervals.${index}`, code: 'empty_interval' });
    });
  };

  // The week as one circular timeline of 7 × 1440 minutes.
  const weekLength = 7 * minutesPerDay;
  const spans: { start: number; end: number; path: string; label: string }[] = [];
  dayKeys.forEach((day, d) => {
    const dayHours = hours.week[day];
    checkEmpty(`week.${day}`, dayHours);
    for (const span of daySpans(dayHours)) {
      // An empty interval is reported above; it covers nothing.
      if (isEmptySpan(dayHours, span.index)) continue;
      spans.push({ start: d * minutesPerDay + span.start, end: d * minutesPerDay + span.end, path: pathOf(`week.${day}`, span.index), label: spanText(day, dayHours, span.index) });
    }
  });
  const reported = new Set<string>();
  const overlapping = (a: { start: number; end: number }, b: { start: number; end: number }) => {
    // Compare on the circle: b shifted by a whole week either way.
    for (const shift of [-weekLength, 0, weekLength]) if (a.start < b.end + shift && b.start + shift < a.end) return true;
    return false;
  };
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i]!;
      const b = spans[j]!;
      if (!overlapping(a, b) || reported.has(b.path)) continue;
      reported.add(b.path);
      issues.push({ path: b.path, code: 'overlap', other: a.label });
    }
  }

  const seen = new Map<string, number>();
  hours.exceptions.forEach((exception, e) => {
    const base = `exceptions.${e}`;
    if (!isValidDate(exception.date)) issues.push({ path: `${base}.date`, code: 'bad_date' });
    else if (seen.has(exception.date)) issues.push({ path: `${base}.date`, code: 'duplicate_date' });
    else seen.set(exception.date, e);
    checkEmpty(`${base}.hours`, exception.hours);
    const own = daySpans(exception.hours).filter((span) => !isEmptySpan(exception.hours, span.index));
    for (let i = 0; i < own.length; i++) {
      for (let j = i + 1; j < own.length; j++) {
        const a = own[i]!;
        const b = own[j]!;
        if (a.start < b.end && b.start < a.end) issues.push({ path: `${base}.hours.intervals.${b.index}`, code: 'overlap', other: spanText(exception.date, exception.hours, a.index) });
      }
    }
  });
  return issues;
}

/** A schedule to start from: Monday to Friday 09:00–17:00 in the given timezone. */
export function defaultBusinessHours(timezone: string): BusinessHours {
  const weekday: DayHours = { mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] };
  return {
    timezone,
    week: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: { mode: 'closed' }, sun: { mode: 'closed' } },
    exceptions: [],
  };
}
