import { describe, expect, it } from 'vitest';
import { awayPeriod, hoursStateAt, instantOfLocal, isOpen, localDateOf, nextOpen, versionAt } from '../../../electron/core/automation/hours';
import type { HoursVersion } from '../../../electron/core/automation/hours';
import type { BusinessHours, DayHours, DayKey } from '../../../shared/rules/business-hours';

// Calendar used below: 2026-01-16, 2026-03-06, 2026-03-27, 2026-10-23, 2026-10-30 and 2026-07-31 are Fridays.
// DST 2026: London 29 Mar 01:00Z (GMT→BST) and 25 Oct 01:00Z (BST→GMT); New York 8 Mar 07:00Z (EST→EDT) and
// 1 Nov 06:00Z (EDT→EST). Hong Kong is UTC+8 all year.

const utc = (iso: string) => Date.parse(iso);
const open = (...intervals: string[]): DayHours => ({ mode: 'open', intervals: intervals.map((i) => ({ start: i.slice(0, 5), end: i.slice(6) })) });
const allDay: DayHours = { mode: 'allDay' };
const appointment: DayHours = { mode: 'appointment' };
const closed: DayHours = { mode: 'closed' };

/** Hours in `timezone`: every day closed unless given. */
function hours(timezone: string, week: Partial<Record<DayKey, DayHours>>, exceptions: Record<string, DayHours> = {}): BusinessHours {
  return {
    timezone,
    week: { mon: closed, tue: closed, wed: closed, thu: closed, fri: closed, sat: closed, sun: closed, ...week },
    exceptions: Object.entries(exceptions).map(([date, day]) => ({ date, hours: day, note: '' })),
  };
}
const weekdays = (day: DayHours) => ({ mon: day, tue: day, wed: day, thu: day, fri: day });
const everyDay = (day: DayHours) => ({ ...weekdays(day), sat: day, sun: day });
const only = (h: BusinessHours, effectiveFrom = 0): HoursVersion[] => [{ id: 1, effectiveFrom, hours: h }];

const london9to5 = hours('Europe/London', weekdays(open('09:00-17:00')));
const ny9to5 = hours('America/New_York', weekdays(open('09:00-17:00')));
const hk9to6 = hours('Asia/Hong_Kong', weekdays(open('09:00-18:00')));

// Changed on Wednesday 2026-03-11 at 05:00Z from 09:00–17:00 to 10:00–18:00 (London, GMT then).
const changedLastWeek: HoursVersion[] = [
  { id: 2, effectiveFrom: utc('2026-03-11T05:00:00Z'), hours: hours('Europe/London', weekdays(open('10:00-18:00'))) },
  { id: 1, effectiveFrom: utc('2026-01-01T00:00:00Z'), hours: london9to5 },
];

describe('isOpen', () => {
  const overnight = only(hours('Europe/London', { fri: open('21:00-02:00'), sun: open('21:00-02:00') }));
  const lunch = only(hours('Asia/Hong_Kong', { mon: open('09:00-12:30', '13:30-18:00') }));
  const weekend = only(hours('Europe/London', { sat: allDay, sun: allDay }));
  const nightly = hours('Europe/London', everyDay(open('21:00-02:00')), { '2026-01-17': closed, '2026-01-18': open('10:00-12:00') });
  const holidays = only(hours('Europe/London', weekdays(open('09:00-17:00')), { '2026-01-19': closed, '2026-01-20': open('10:00-14:00') }));
  const londonSpring = only(hours('Europe/London', { sun: open('00:30-03:00') }));
  const londonFall = only(hours('Europe/London', { sun: open('01:00-02:00') }));
  const nySpring = only(hours('America/New_York', { sun: open('00:30-03:00') }));
  const nyFall = only(hours('America/New_York', { sun: open('01:00-02:00') }));
  const nyFallEarlyEnd = only(hours('America/New_York', { sun: open('00:00-01:30') }));

  const rows: { name: string; versions: HoursVersion[]; at: string; expected: boolean }[] = [
    // Overnight 21:00–02:00 on Friday (London, GMT in January: local = UTC).
    { name: 'overnight: Fri 20:59 is before it opens', versions: overnight, at: '2026-01-16T20:59:00Z', expected: false },
    { name: 'overnight: Fri 21:00 opens', versions: overnight, at: '2026-01-16T21:00:00Z', expected: true },
    { name: 'overnight: Sat 01:59 still Friday’s interval', versions: overnight, at: '2026-01-17T01:59:00Z', expected: true },
    { name: 'overnight: Sat 02:00 closed (end is exclusive)', versions: overnight, at: '2026-01-17T02:00:00Z', expected: false },
    { name: 'overnight: Sunday 21:00–02:00 runs into Monday across the week wrap', versions: overnight, at: '2026-01-19T01:00:00Z', expected: true },
    // Lunch break in Hong Kong (UTC+8): 09:00–12:30 and 13:30–18:00 on Monday 2026-01-19.
    { name: 'lunch: 08:59 HKT (00:59Z) not yet open', versions: lunch, at: '2026-01-19T00:59:00Z', expected: false },
    { name: 'lunch: 12:29 HKT (04:29Z) morning session', versions: lunch, at: '2026-01-19T04:29:00Z', expected: true },
    { name: 'lunch: 12:30 HKT (04:30Z) lunch break starts', versions: lunch, at: '2026-01-19T04:30:00Z', expected: false },
    { name: 'lunch: 13:29 HKT (05:29Z) still at lunch', versions: lunch, at: '2026-01-19T05:29:00Z', expected: false },
    { name: 'lunch: 13:30 HKT (05:30Z) afternoon session', versions: lunch, at: '2026-01-19T05:30:00Z', expected: true },
    { name: 'lunch: 18:00 HKT (10:00Z) closed for the day', versions: lunch, at: '2026-01-19T10:00:00Z', expected: false },
    // Open 24 hours on Saturday and Sunday is [00:00, 24:00) each.
    { name: '24h: Fri 23:59:59 is still Friday (closed)', versions: weekend, at: '2026-01-16T23:59:59Z', expected: false },
    { name: '24h: Sat 00:00 opens', versions: weekend, at: '2026-01-17T00:00:00Z', expected: true },
    { name: '24h: Sat 23:59:30 is open (the last minute of the day counts)', versions: weekend, at: '2026-01-17T23:59:30Z', expected: true },
    { name: '24h: Sun 00:00 open, no gap between the two days', versions: weekend, at: '2026-01-18T00:00:00Z', expected: true },
    { name: '24h: Sun 23:59:59.999 open', versions: weekend, at: '2026-01-18T23:59:59.999Z', expected: true },
    { name: '24h: Mon 00:00 closed (Monday is closed)', versions: weekend, at: '2026-01-19T00:00:00Z', expected: false },
    // Appointment-only and closed days count as closed.
    { name: 'appointment-only Monday is closed', versions: only(hours('Europe/London', { mon: appointment })), at: '2026-01-19T12:00:00Z', expected: false },
    { name: 'a closed Sunday is closed', versions: only(london9to5), at: '2026-01-18T12:00:00Z', expected: false },
    // Exceptions: Monday 19th a holiday, Tuesday 20th special hours 10:00–14:00.
    { name: 'holiday: Mon 10:00 closed by the exception', versions: holidays, at: '2026-01-19T10:00:00Z', expected: false },
    { name: 'special hours: Tue 09:30 closed (opens at 10:00 that day)', versions: holidays, at: '2026-01-20T09:30:00Z', expected: false },
    { name: 'special hours: Tue 13:59 open', versions: holidays, at: '2026-01-20T13:59:00Z', expected: true },
    { name: 'special hours: Tue 14:00 closed (instead of 17:00)', versions: holidays, at: '2026-01-20T14:00:00Z', expected: false },
    { name: 'normal Wednesday after the exceptions: 16:59 open', versions: holidays, at: '2026-01-21T16:59:00Z', expected: true },
    // Every night 21:00–02:00; Saturday 17th closed by exception; Sunday 18th special 10:00–12:00.
    { name: 'exception day: Friday night’s interval still runs into Sat 01:00', versions: only(nightly), at: '2026-01-17T01:00:00Z', expected: true },
    { name: 'exception day: Sat 22:00 closed (Saturday’s own hours replaced)', versions: only(nightly), at: '2026-01-17T22:00:00Z', expected: false },
    { name: 'exception day: Sun 01:00 closed (nothing started on Saturday)', versions: only(nightly), at: '2026-01-18T01:00:00Z', expected: false },
    { name: 'exception day: Sun 11:00 open by the special hours', versions: only(nightly), at: '2026-01-18T11:00:00Z', expected: true },
    { name: 'exception day: Sun 21:00 closed (special hours replace the night too)', versions: only(nightly), at: '2026-01-18T21:00:00Z', expected: false },
    // London spring forward, Sun 29 Mar: 00:30 GMT = 00:30Z … 03:00 BST = 02:00Z (1.5 real hours).
    { name: 'London spring: 00:29Z before opening', versions: londonSpring, at: '2026-03-29T00:29:00Z', expected: false },
    { name: 'London spring: 00:30Z opens (00:30 GMT)', versions: londonSpring, at: '2026-03-29T00:30:00Z', expected: true },
    { name: 'London spring: 01:00Z, the clock jumps to 02:00 BST, still open', versions: londonSpring, at: '2026-03-29T01:00:00Z', expected: true },
    { name: 'London spring: 01:59Z = 02:59 BST open', versions: londonSpring, at: '2026-03-29T01:59:00Z', expected: true },
    { name: 'London spring: 02:00Z = 03:00 BST closed', versions: londonSpring, at: '2026-03-29T02:00:00Z', expected: false },
    // London fall back, Sun 25 Oct: 01:00–02:00 local is 00:00Z (first 01:00, BST) to 02:00Z (02:00 GMT): 2 real hours.
    { name: 'London fall: 23:59Z Sat = 00:59 BST not yet', versions: londonFall, at: '2026-10-24T23:59:00Z', expected: false },
    { name: 'London fall: 00:00Z = 01:00 BST opens', versions: londonFall, at: '2026-10-25T00:00:00Z', expected: true },
    { name: 'London fall: 01:30Z = the repeated 01:30 (GMT) still open', versions: londonFall, at: '2026-10-25T01:30:00Z', expected: true },
    { name: 'London fall: 02:00Z = 02:00 GMT closed', versions: londonFall, at: '2026-10-25T02:00:00Z', expected: false },
    // New York spring forward, Sun 8 Mar: 00:30 EST = 05:30Z … 03:00 EDT = 07:00Z.
    { name: 'NY spring: 05:29Z = 00:29 EST closed', versions: nySpring, at: '2026-03-08T05:29:00Z', expected: false },
    { name: 'NY spring: 05:30Z = 00:30 EST opens', versions: nySpring, at: '2026-03-08T05:30:00Z', expected: true },
    { name: 'NY spring: 06:59Z = 01:59 EST open', versions: nySpring, at: '2026-03-08T06:59:00Z', expected: true },
    { name: 'NY spring: 07:00Z = 03:00 EDT closed', versions: nySpring, at: '2026-03-08T07:00:00Z', expected: false },
    // New York fall back, Sun 1 Nov: 01:00–02:00 local is 05:00Z (01:00 EDT) to 07:00Z (02:00 EST).
    { name: 'NY fall: 04:59Z = 00:59 EDT closed', versions: nyFall, at: '2026-11-01T04:59:00Z', expected: false },
    { name: 'NY fall: 05:00Z = 01:00 EDT opens', versions: nyFall, at: '2026-11-01T05:00:00Z', expected: true },
    { name: 'NY fall: 06:30Z = the repeated 01:30 (EST) open', versions: nyFall, at: '2026-11-01T06:30:00Z', expected: true },
    { name: 'NY fall: 07:00Z = 02:00 EST closed', versions: nyFall, at: '2026-11-01T07:00:00Z', expected: false },
    // An end in the repeated hour takes its earlier instant: 00:00–01:30 ends at 01:30 EDT = 05:30Z.
    { name: 'NY fall: end 01:30 is the first 01:30 (05:30Z), so 05:29Z open', versions: nyFallEarlyEnd, at: '2026-11-01T05:29:00Z', expected: true },
    { name: 'NY fall: the repeated 01:15 EST (06:15Z) is after that end: closed', versions: nyFallEarlyEnd, at: '2026-11-01T06:15:00Z', expected: false },
    // Hong Kong has no DST: 09:00 HKT is 01:00Z in March and November alike.
    { name: 'Hong Kong: Mon 9 Mar 01:00Z = 09:00 HKT open', versions: only(hk9to6), at: '2026-03-09T01:00:00Z', expected: true },
    { name: 'Hong Kong: Mon 2 Nov 01:00Z = 09:00 HKT open', versions: only(hk9to6), at: '2026-11-02T01:00:00Z', expected: true },
    { name: 'Hong Kong: Mon 2 Nov 00:59Z = 08:59 HKT closed', versions: only(hk9to6), at: '2026-11-02T00:59:00Z', expected: false },
    // Versions: 09:00–17:00 until Wed 11 Mar 05:00Z, then 10:00–18:00.
    { name: 'versions: Tue 10 Mar 09:30 uses the old hours (open)', versions: changedLastWeek, at: '2026-03-10T09:30:00Z', expected: true },
    { name: 'versions: Wed 11 Mar 09:30 uses the new hours (opens 10:00)', versions: changedLastWeek, at: '2026-03-11T09:30:00Z', expected: false },
    { name: 'versions: Tue 17 Mar 17:30 uses the new hours (open until 18:00)', versions: changedLastWeek, at: '2026-03-17T17:30:00Z', expected: true },
    { name: 'versions: before the first version no hours are defined: open', versions: changedLastWeek, at: '2025-12-28T03:00:00Z', expected: true },
    { name: 'no versions at all: open', versions: [], at: '2026-01-18T03:00:00Z', expected: true },
  ];

  it.each(rows)('$name', ({ versions, at, expected }) => {
    expect(isOpen(versions, utc(at))).toBe(expected);
  });
});

describe('versionAt', () => {
  const rows: { name: string; at: string; expected: number | null }[] = [
    // Version 1 took effect 2026-01-01, version 2 on 2026-03-11 05:00Z (the list is not sorted).
    { name: 'before any version: none', at: '2025-12-31T23:59:59Z', expected: null },
    { name: 'at the first effectiveFrom: version 1', at: '2026-01-01T00:00:00Z', expected: 1 },
    { name: 'last week before the change: version 1', at: '2026-03-11T04:59:59Z', expected: 1 },
    { name: 'at the change: version 2', at: '2026-03-11T05:00:00Z', expected: 2 },
    { name: 'long after: version 2', at: '2027-01-01T00:00:00Z', expected: 2 },
  ];
  it.each(rows)('$name', ({ at, expected }) => {
    expect(versionAt(changedLastWeek, utc(at))?.id ?? null).toBe(expected);
  });
});

describe('nextOpen', () => {
  const holidayMonday = only(hours('Europe/London', weekdays(open('09:00-17:00')), { '2026-01-19': closed }));
  const augustShutdown: Record<string, DayHours> = {};
  for (let day = 3; day <= 14; day++) augustShutdown[`2026-08-${String(day).padStart(2, '0')}`] = closed;
  const gapStart = only(hours('America/New_York', { sun: open('02:30-04:00') }));
  const rows: { name: string; versions: HoursVersion[]; at: string; expected: string | null }[] = [
    // London in January: local = UTC.
    { name: 'open now: t itself', versions: only(london9to5), at: '2026-01-16T10:15:00Z', expected: '2026-01-16T10:15:00Z' },
    { name: 'Friday evening → Monday 09:00', versions: only(london9to5), at: '2026-01-16T17:00:00Z', expected: '2026-01-19T09:00:00Z' },
    { name: 'Monday a holiday → Tuesday 09:00', versions: holidayMonday, at: '2026-01-16T17:00:00Z', expected: '2026-01-20T09:00:00Z' },
    { name: 'before opening on the same day → 09:00', versions: only(london9to5), at: '2026-01-20T06:00:00Z', expected: '2026-01-20T09:00:00Z' },
    // Across DST: the opening keeps its wall-clock time, so its UTC instant moves.
    { name: 'London Fri 27 Mar 18:00 GMT → Mon 30 Mar 09:00 BST = 08:00Z', versions: only(london9to5), at: '2026-03-27T18:00:00Z', expected: '2026-03-30T08:00:00Z' },
    { name: 'London Fri 23 Oct 17:00 BST → Mon 26 Oct 09:00 GMT = 09:00Z', versions: only(london9to5), at: '2026-10-23T16:00:00Z', expected: '2026-10-26T09:00:00Z' },
    { name: 'NY Fri 6 Mar 18:00 EST → Mon 9 Mar 09:00 EDT = 13:00Z', versions: only(ny9to5), at: '2026-03-06T23:00:00Z', expected: '2026-03-09T13:00:00Z' },
    { name: 'NY Fri 30 Oct 18:00 EDT → Mon 2 Nov 09:00 EST = 14:00Z', versions: only(ny9to5), at: '2026-10-30T22:00:00Z', expected: '2026-11-02T14:00:00Z' },
    { name: 'NY: an opening at 02:30 in the spring gap opens when the clock jumps (03:00 EDT = 07:00Z)', versions: gapStart, at: '2026-03-08T06:00:00Z', expected: '2026-03-08T07:00:00Z' },
    { name: 'Hong Kong Fri 13 Mar 18:00 HKT → Mon 16 Mar 09:00 HKT = 01:00Z', versions: only(hk9to6), at: '2026-03-13T10:00:00Z', expected: '2026-03-16T01:00:00Z' },
    // Longer searches.
    {
      name: 'two-week shutdown by exceptions: Fri 31 Jul 17:00 BST → Mon 17 Aug 09:00 BST = 08:00Z',
      versions: only(hours('Europe/London', weekdays(open('09:00-17:00')), augustShutdown)),
      at: '2026-07-31T16:00:00Z',
      expected: '2026-08-17T08:00:00Z',
    },
    {
      name: 'no open weekday, one special day months later: 1 Jun 10:00 BST = 09:00Z',
      versions: only(hours('Europe/London', {}, { '2026-06-01': open('10:00-12:00') })),
      at: '2026-01-16T17:00:00Z',
      expected: '2026-06-01T09:00:00Z',
    },
    { name: 'closed every day with no exceptions: never', versions: only(hours('Europe/London', { mon: appointment })), at: '2026-01-16T17:00:00Z', expected: null },
    // Versions: closed Tue 10 Mar 17:30 under the old hours; the change (Wed 05:00Z) makes Wednesday open at 10:00.
    { name: 'across a version change: the new hours decide Wednesday', versions: changedLastWeek, at: '2026-03-10T17:30:00Z', expected: '2026-03-11T10:00:00Z' },
  ];
  it.each(rows)('$name', ({ versions, at, expected }) => {
    expect(nextOpen(versions, utc(at))).toBe(expected === null ? null : utc(expected));
  });
});

describe('awayPeriod', () => {
  const weekend = { start: utc('2026-01-16T17:00:00Z'), end: utc('2026-01-19T09:00:00Z') };
  const holidayMonday = only(hours('Europe/London', weekdays(open('09:00-17:00')), { '2026-01-19': closed }));
  const splitMidnight = only(hours('Europe/London', { mon: open('21:00-24:00'), tue: open('00:00-02:00') }));
  // Every night 21:00–03:00, but Tuesday 20 Jan is an exception 00:00–02:00, overlapping Monday night's interval.
  const overlapping = only(hours('Europe/London', everyDay(open('21:00-03:00')), { '2026-01-20': open('00:00-02:00') }));
  const neverOpen = only(hours('Europe/London', { sat: appointment }), utc('2026-01-01T00:00:00Z'));
  // Open on weekdays until Wed 11 Mar 12:00Z, then closed every day.
  const shutDown: HoursVersion[] = [
    { id: 1, effectiveFrom: utc('2026-01-01T00:00:00Z'), hours: london9to5 },
    { id: 2, effectiveFrom: utc('2026-03-11T12:00:00Z'), hours: hours('Europe/London', {}) },
  ];

  const rows: { name: string; versions: HoursVersion[]; at: string; expected: { start: number; end: number | null } | null }[] = [
    // London weekdays 09:00–17:00 in January (local = UTC): one period Fri 17:00 → Mon 09:00.
    { name: 'open on Friday afternoon: no away period', versions: only(london9to5), at: '2026-01-16T16:59:59Z', expected: null },
    { name: 'Fri 17:00 exactly: the period starts', versions: only(london9to5), at: '2026-01-16T17:00:00Z', expected: weekend },
    { name: 'Fri 20:00: same period', versions: only(london9to5), at: '2026-01-16T20:00:00Z', expected: weekend },
    { name: 'Sat noon: same period', versions: only(london9to5), at: '2026-01-17T12:00:00Z', expected: weekend },
    { name: 'Mon 08:59: same period', versions: only(london9to5), at: '2026-01-19T08:59:00Z', expected: weekend },
    { name: 'Mon 09:00: open again', versions: only(london9to5), at: '2026-01-19T09:00:00Z', expected: null },
    { name: 'holiday Monday: Fri 17:00 → Tue 09:00, seen from Monday noon', versions: holidayMonday, at: '2026-01-19T12:00:00Z', expected: { start: weekend.start, end: utc('2026-01-20T09:00:00Z') } },
    // Across the spring change: Fri 27 Mar 17:00 GMT (17:00Z) → Mon 30 Mar 09:00 BST (08:00Z).
    {
      name: 'weekend across the clock change, seen from Sunday',
      versions: only(london9to5),
      at: '2026-03-29T12:00:00Z',
      expected: { start: utc('2026-03-27T17:00:00Z'), end: utc('2026-03-30T08:00:00Z') },
    },
    // Mon 21:00–24:00 and Tue 00:00–02:00 are one open period: nothing closed at midnight.
    { name: 'adjacent spans: Tue 00:00 is not a closed period', versions: splitMidnight, at: '2026-01-20T00:00:00Z', expected: null },
    {
      name: 'adjacent spans: closed from Tue 02:00 until next Mon 21:00',
      versions: splitMidnight,
      at: '2026-01-20T03:00:00Z',
      expected: { start: utc('2026-01-20T02:00:00Z'), end: utc('2026-01-26T21:00:00Z') },
    },
    {
      // (The exception replaces Tuesday's own 21:00 opening too, so the next one is Wednesday 21:00.)
      name: 'overlapping exception: Monday night’s 03:00 end wins over the exception’s 02:00',
      versions: overlapping,
      at: '2026-01-20T04:00:00Z',
      expected: { start: utc('2026-01-20T03:00:00Z'), end: utc('2026-01-21T21:00:00Z') },
    },
    // Never open: the start is the effectiveFrom of the hours, the same for any t.
    { name: 'never open: start is effectiveFrom (January)', versions: neverOpen, at: '2026-01-17T12:00:00Z', expected: { start: utc('2026-01-01T00:00:00Z'), end: null } },
    { name: 'never open: start is effectiveFrom (a year later)', versions: neverOpen, at: '2027-02-01T12:00:00Z', expected: { start: utc('2026-01-01T00:00:00Z'), end: null } },
    // Closing mid-shift by a version change: the period starts at the change.
    { name: 'shut down by a new version on Wednesday noon', versions: shutDown, at: '2026-03-20T12:00:00Z', expected: { start: utc('2026-03-11T12:00:00Z'), end: null } },
  ];
  it.each(rows)('$name', ({ versions, at, expected }) => {
    expect(awayPeriod(versions, utc(at))).toEqual(expected);
  });

  it('keeps the same start for every minute of a weekend (the once-per-period key)', () => {
    const versions = only(london9to5);
    const starts = new Set<number>();
    for (let t = utc('2026-01-16T17:00:00Z'); t < utc('2026-01-19T09:00:00Z'); t += 7 * 60_000) starts.add(awayPeriod(versions, t)!.start);
    expect([...starts]).toEqual([utc('2026-01-16T17:00:00Z')]);
  });
});

describe('hoursStateAt', () => {
  const weekendAllDay = only(hours('Europe/London', { sat: allDay, sun: allDay }));
  const appointmentMonday = only(hours('Europe/London', { mon: appointment, tue: open('09:00-17:00') }));
  const splitMidnight = only(hours('Europe/London', { mon: open('21:00-24:00'), tue: open('00:00-02:00') }));
  const rows: { name: string; versions: HoursVersion[]; at: string; expected: { open: boolean; appointment: boolean; nextChange: string | null; nextOpen: string | null; timezone: string } }[] = [
    // No hours: open, nothing ever changes, the fallback timezone is reported.
    { name: 'no versions', versions: [], at: '2026-01-17T10:00:00Z', expected: { open: true, appointment: false, nextChange: null, nextOpen: '2026-01-17T10:00:00Z', timezone: 'Asia/Tokyo' } },
    // Open Tuesday: closes at 17:00.
    {
      name: 'open on a weekday',
      versions: only(london9to5),
      at: '2026-01-20T10:00:00Z',
      expected: { open: true, appointment: false, nextChange: '2026-01-20T17:00:00Z', nextOpen: '2026-01-20T10:00:00Z', timezone: 'Europe/London' },
    },
    // Saturday and Sunday open 24 hours: one continuous period until Monday 00:00.
    {
      name: 'consecutive 24-hour days are one open period',
      versions: weekendAllDay,
      at: '2026-01-17T10:00:00Z',
      expected: { open: true, appointment: false, nextChange: '2026-01-19T00:00:00Z', nextOpen: '2026-01-17T10:00:00Z', timezone: 'Europe/London' },
    },
    // Mon 21:00–24:00 + Tue 00:00–02:00: open until Tue 02:00.
    {
      name: 'adjacent spans across midnight',
      versions: splitMidnight,
      at: '2026-01-19T22:00:00Z',
      expected: { open: true, appointment: false, nextChange: '2026-01-20T02:00:00Z', nextOpen: '2026-01-19T22:00:00Z', timezone: 'Europe/London' },
    },
    // Closed Friday evening: the next change is Monday's opening.
    {
      name: 'closed on Friday evening',
      versions: only(london9to5),
      at: '2026-01-16T20:00:00Z',
      expected: { open: false, appointment: false, nextChange: '2026-01-19T09:00:00Z', nextOpen: '2026-01-19T09:00:00Z', timezone: 'Europe/London' },
    },
    // Monday by appointment: says so, and changes at Tuesday 00:00 (a plain closed night) before opening at 09:00.
    {
      name: 'by appointment on Monday',
      versions: appointmentMonday,
      at: '2026-01-19T10:00:00Z',
      expected: { open: false, appointment: true, nextChange: '2026-01-20T00:00:00Z', nextOpen: '2026-01-20T09:00:00Z', timezone: 'Europe/London' },
    },
    // Sunday closed: "by appointment" starts at Monday 00:00.
    {
      name: 'closed Sunday before an appointment Monday',
      versions: appointmentMonday,
      at: '2026-01-18T10:00:00Z',
      expected: { open: false, appointment: false, nextChange: '2026-01-19T00:00:00Z', nextOpen: '2026-01-20T09:00:00Z', timezone: 'Europe/London' },
    },
  ];
  it.each(rows)('$name', ({ versions, at, expected }) => {
    const iso = (s: string | null) => (s === null ? null : utc(s));
    expect(hoursStateAt(versions, utc(at), 'Asia/Tokyo')).toEqual({ ...expected, nextChange: iso(expected.nextChange), nextOpen: iso(expected.nextOpen) });
  });
});

describe('localDateOf and instantOfLocal', () => {
  const dates: { name: string; at: string; timezone: string; expected: string }[] = [
    // 23:30Z on Fri 16 Jan is already Saturday in Hong Kong (UTC+8) but still Friday in New York (UTC−5).
    { name: 'Hong Kong is ahead', at: '2026-01-16T23:30:00Z', timezone: 'Asia/Hong_Kong', expected: '2026-01-17' },
    { name: 'New York is behind', at: '2026-01-16T23:30:00Z', timezone: 'America/New_York', expected: '2026-01-16' },
    { name: 'London in winter is UTC', at: '2026-01-16T23:30:00Z', timezone: 'Europe/London', expected: '2026-01-16' },
    // 23:30Z on 30 Jun is 00:30 BST on 1 Jul.
    { name: 'London in summer is UTC+1', at: '2026-06-30T23:30:00Z', timezone: 'Europe/London', expected: '2026-07-01' },
  ];
  it.each(dates)('localDateOf: $name', ({ at, timezone, expected }) => {
    expect(localDateOf(utc(at), timezone)).toBe(expected);
  });

  const instants: { name: string; local: string; timezone: string; expected: string }[] = [
    { name: 'Hong Kong noon is 04:00Z', local: '2026-07-01T12:00', timezone: 'Asia/Hong_Kong', expected: '2026-07-01T04:00:00Z' },
    { name: 'London summer 09:00 BST is 08:00Z', local: '2026-03-30T09:00', timezone: 'Europe/London', expected: '2026-03-30T08:00:00Z' },
    // Spring-forward gap: the local time does not exist; use the instant the clock jumps.
    { name: 'London gap 01:30 → the jump at 01:00Z (02:00 BST)', local: '2026-03-29T01:30', timezone: 'Europe/London', expected: '2026-03-29T01:00:00Z' },
    { name: 'NY gap 02:30 → the jump at 07:00Z (03:00 EDT)', local: '2026-03-08T02:30', timezone: 'America/New_York', expected: '2026-03-08T07:00:00Z' },
    { name: 'Lord Howe (30-minute DST) gap 02:15 → the jump at 15:30Z', local: '2026-10-04T02:15', timezone: 'Australia/Lord_Howe', expected: '2026-10-03T15:30:00Z' },
    // Fall-back repeat: the local time happens twice; use the earlier.
    { name: 'London repeated 01:30 → 00:30Z (BST), not 01:30Z', local: '2026-10-25T01:30', timezone: 'Europe/London', expected: '2026-10-25T00:30:00Z' },
    { name: 'NY repeated 01:30 → 05:30Z (EDT), not 06:30Z', local: '2026-11-01T01:30', timezone: 'America/New_York', expected: '2026-11-01T05:30:00Z' },
    // Just outside the changes, nothing special.
    { name: 'NY 03:00 EDT right after the gap is 07:00Z', local: '2026-03-08T03:00', timezone: 'America/New_York', expected: '2026-03-08T07:00:00Z' },
    { name: 'NY 02:00 EST right after the repeat is 07:00Z', local: '2026-11-01T02:00', timezone: 'America/New_York', expected: '2026-11-01T07:00:00Z' },
  ];
  it.each(instants)('instantOfLocal: $name', ({ local, timezone, expected }) => {
    expect(instantOfLocal(local, timezone)).toBe(utc(expected));
  });

  it('refuses a malformed local time', () => {
    expect(() => instantOfLocal('2026-03-08 02:30', 'Europe/London')).toThrow(RangeError);
  });

  // Independent formatter for the round trip (not the module's own).
  const formats = new Map<string, Intl.DateTimeFormat>();
  const wallClock = (t: number, timeZone: string) => {
    if (!formats.has(timeZone)) {
      formats.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }));
    }
    const parts = Object.fromEntries(formats.get(timeZone)!.formatToParts(t).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  };

  it.each(['Europe/London', 'America/New_York', 'Asia/Hong_Kong', 'Australia/Lord_Howe'])('round trips every 37 minutes through 2026 in %s', (timezone) => {
    let mismatches = 0;
    for (let t = utc('2026-01-01T00:00:00Z'); t < utc('2027-01-01T00:00:00Z'); t += 37 * 60_000) {
      const local = wallClock(t, timezone);
      const back = instantOfLocal(local, timezone);
      expect(localDateOf(t, timezone)).toBe(local.slice(0, 10));
      // Only the second pass through a repeated hour maps to a different (the earlier) instant, with the same wall time.
      if (back !== t) {
        mismatches++;
        expect(back).toBeLessThan(t);
        expect(wallClock(back, timezone)).toBe(local);
      }
    }
    // A repeated hour (30 minutes at Lord Howe) holds at most 2 samples of 37 minutes.
    expect(mismatches).toBeLessThanOrEqual(timezone === 'Asia/Hong_Kong' ? 0 : 2);
  });
});
