import { dayKeys, daySpans, isValidDate } from '../../../shared/rules/business-hours';
import type { BusinessHours, DayHours } from '../../../shared/rules/business-hours';

/**
 * Evaluates business hours (PRODUCT §5) on the wall clock of the business timezone, never the machine's.
 *
 * Model: the versions cut time into segments, [effectiveFrom, next effectiveFrom), each evaluated with its own
 * hours; before the first version there are no hours, which counts as open. Inside a segment the open spans are
 * the day spans of shared/rules/business-hours converted to instants day by day, only for the few local days a
 * question needs (searching outward from t), so no call builds more than it reads.
 */

export interface HoursVersion {
  id: number;
  effectiveFrom: number;
  hours: BusinessHours;
}

export interface HoursStateAt {
  open: boolean;
  /** Closed now, and the day is "by appointment only" (the UI says so instead of "closed"). */
  appointment: boolean;
  /** Next instant `open` or `appointment` changes; null if neither changes within the search range. */
  nextChange: number | null;
  nextOpen: number | null;
  timezone: string;
}

const dayMs = 86_400_000;
const minuteMs = 60_000;
/** A week with open days opens at least every 7 + 366 (maximum exceptions) days; past this we give up. */
const maxScanDays = 800;

// ---------------------------------------------------------------------------------------------------------
// Wall clock ↔ instant. A "local ms" is the wall-clock time written as if it were UTC (Date.UTC of the fields).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    // h23: midnight is 00, never 24 (hour12: false gives "24" in some engines).
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The zone's offset (local − UTC, ms) at instant t. Intl works in whole seconds, so t is floored to one. */
export function offsetAt(t: number, timezone: string): number {
  const second = Math.floor(t / 1000) * 1000;
  const formatter = formatterFor(timezone);
  // format() is several times faster than formatToParts(); en-US gives "3/29/2026, 01:30:00".
  const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/.exec(formatter.format(second));
  if (m) return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) - second;
  const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(second)) {
    if (part.type in f) f[part.type as keyof typeof f] = Number(part.value);
  }
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - second;
}

function localMsOf(t: number, timezone: string): number {
  return t + offsetAt(t, timezone);
}

/** Local day number (days since 1970-01-01 on the zone's calendar) of instant t. */
function localDayOf(t: number, timezone: string): number {
  return Math.floor(localMsOf(t, timezone) / dayMs);
}

// Day boundaries repeat across calls (a dry run evaluates thousands of messages in the same weeks): memoise.
const instantMemo = new Map<string, Map<number, number>>();

/** Local ms → instant. A time in a spring-forward gap gives the instant of the jump; an ambiguous one the earlier. */
function instantOfLocalMs(local: number, timezone: string): number {
  let memo = instantMemo.get(timezone);
  if (!memo) instantMemo.set(timezone, (memo = new Map()));
  let instant = memo.get(local);
  if (instant === undefined) {
    instant = solveLocal(local, timezone);
    if (memo.size > 20_000) memo.clear();
    memo.set(local, instant);
  }
  return instant;
}

function solveLocal(local: number, timezone: string): number {
  // The offsets a day either side bracket any transition near `local` (offsets stay within ±14 h).
  const before = offsetAt(local - dayMs, timezone);
  const after = offsetAt(local + dayMs, timezone);
  const fits = [...new Set([before, after])].filter((offset) => offsetAt(local - offset, timezone) === offset).map((offset) => local - offset);
  if (fits.length > 0) return Math.min(...fits);
  // No offset fits: the wall clock skips this time. Binary search (whole seconds, as transitions are) for the
  // first instant on the new offset, between `local` read with the new offset and with the old one.
  let lo = local - after;
  let hi = local - before;
  if (!(lo < hi)) return local - before;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timezone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Local calendar date 'YYYY-MM-DD' of t in tz. */
export function localDateOf(t: number, timezone: string): string {
  return dateOfDay(localDayOf(t, timezone));
}

function dateOfDay(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DDTHH:MM' local wall time in tz → instant (ms), same gap/ambiguity rule as above. */
export function instantOfLocal(local: string, timezone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) throw new RangeError(`not a local time as YYYY-MM-DDTHH:MM: ${local}`);
  const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
  return instantOfLocalMs(Date.UTC(y, mo - 1, d, h, mi), timezone);
}

// ---------------------------------------------------------------------------------------------------------
// One version's hours, prepared for lookups by local day number.

interface Prepared {
  timezone: string;
  week: DayHours[];
  exceptions: Map<number, DayHours>;
  /** With no open weekday, only exception days can open: the sorted days to visit instead of every day. */
  weekOpens: boolean;
  openExceptionDays: number[];
}

// Keyed by the hours object: versions are read from storage and not mutated in place.
const preparedMemo = new WeakMap<BusinessHours, Prepared>();

function prepare(hours: BusinessHours): Prepared {
  let prepared = preparedMemo.get(hours);
  if (prepared) return prepared;
  const exceptions = new Map<number, DayHours>();
  for (const exception of hours.exceptions ?? []) {
    if (!isValidDate(exception.date)) continue;
    exceptions.set(Date.parse(`${exception.date}T00:00:00Z`) / dayMs, exception.hours);
  }
  const week = dayKeys.map((key) => hours.week[key]);
  prepared = {
    timezone: hours.timezone,
    week,
    exceptions,
    weekOpens: week.some((day) => daySpans(day).length > 0),
    openExceptionDays: [...exceptions].filter(([, day]) => daySpans(day).length > 0).map(([day]) => day).sort((a, b) => a - b),
  };
  preparedMemo.set(hours, prepared);
  return prepared;
}

function hoursOfDay(prepared: Prepared, day: number): DayHours {
  // Day 0 (1970-01-01) was a Thursday; dayKeys starts on Monday.
  return prepared.exceptions.get(day) ?? prepared.week[(((day + 3) % 7) + 7) % 7]!;
}

/** Local days that may hold spans, from `from` towards `stop` (inclusive) in direction `dir`. */
function* candidateDays(prepared: Prepared, from: number, dir: 1 | -1, stop: number): Generator<number> {
  const limit = dir > 0 ? Math.min(stop, from + maxScanDays) : Math.max(stop, from - maxScanDays);
  if (prepared.weekOpens) {
    for (let day = from; dir > 0 ? day <= limit : day >= limit; day += dir) yield day;
    return;
  }
  const days = dir > 0 ? prepared.openExceptionDays : [...prepared.openExceptionDays].reverse();
  for (const day of days) {
    if (dir > 0 ? day < from : day > from) continue;
    if (dir > 0 ? day > limit : day < limit) return;
    yield day;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Segments of the version timeline.

interface Segment {
  /** Null before the first version: no hours defined, counts as open. */
  version: HoursVersion | null;
  prepared: Prepared | null;
  from: number;
  until: number;
}

interface Span {
  start: number;
  end: number;
}

function timeline(versions: readonly HoursVersion[]): Segment[] {
  // Same effectiveFrom: the later change (greater id) wins; the other gets an empty segment.
  const sorted = [...versions].sort((a, b) => a.effectiveFrom - b.effectiveFrom || a.id - b.id);
  const segments: Segment[] = [{ version: null, prepared: null, from: -Infinity, until: sorted[0]?.effectiveFrom ?? Infinity }];
  sorted.forEach((version, k) =>
    segments.push({ version, prepared: prepare(version.hours), from: version.effectiveFrom, until: sorted[k + 1]?.effectiveFrom ?? Infinity }),
  );
  return segments;
}

function segmentIndexAt(segments: readonly Segment[], t: number): number {
  let index = 0;
  while (index + 1 < segments.length && segments[index + 1]!.from <= t) index++;
  return index;
}

/** The segment's open spans that start on local `day`, as instants clipped to the segment, non-empty, in order. */
function spansOfDay(segment: Segment, prepared: Prepared, day: number): Span[] {
  const spans: Span[] = [];
  for (const span of daySpans(hoursOfDay(prepared, day))) {
    const base = day * dayMs;
    const start = Math.max(instantOfLocalMs(base + span.start * minuteMs, prepared.timezone), segment.from);
    const end = Math.min(instantOfLocalMs(base + span.end * minuteMs, prepared.timezone), segment.until);
    // Empty after clipping, or swallowed by a spring-forward gap.
    if (start < end) spans.push({ start, end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The open span containing t (the longest-running one if an exception overlaps last night's), or null. */
function spanContaining(segment: Segment, t: number): Span | null {
  const prepared = segment.prepared;
  if (!prepared) return { start: segment.from, end: segment.until };
  // A span lasts under 48 h from its day's midnight; one more day each side covers DST-shifted midnights.
  const day = localDayOf(t, prepared.timezone);
  let best: Span | null = null;
  for (let d = day - 2; d <= day + 1; d++) {
    for (const span of spansOfDay(segment, prepared, d)) if (span.start <= t && t < span.end && (!best || span.end > best.end)) best = span;
  }
  return best;
}

/** Earliest open instant in [from, segment.until), or null. */
function firstOpen(segment: Segment, from: number): number | null {
  const prepared = segment.prepared;
  if (!prepared) return from;
  const day = localDayOf(from, prepared.timezone);
  const stop = segment.until === Infinity ? Infinity : localDayOf(segment.until, prepared.timezone) + 1;
  // Days come in time order, so the first span still running after `from` is the answer.
  for (const d of candidateDays(prepared, day - 2, 1, stop)) {
    for (const span of spansOfDay(segment, prepared, d)) if (span.end > from) return Math.max(span.start, from);
  }
  return null;
}

/**
 * Latest closing instant in (segment.from, to], or null when closed throughout. Only called where no span runs
 * across `to`, so the latest end of a span starting before `to` is where the last open period ended.
 */
function lastClose(segment: Segment, to: number): number | null {
  const prepared = segment.prepared;
  if (!prepared) return to;
  const day = localDayOf(to, prepared.timezone);
  const stop = localDayOf(segment.from, prepared.timezone) - 2;
  const endBefore = (d: number) => Math.max(-Infinity, ...spansOfDay(segment, prepared, d).filter((span) => span.start < to).map((span) => span.end));
  for (const d of candidateDays(prepared, day + 1, -1, stop)) {
    const end = endBefore(d);
    // Last night's overnight span may end after this day's (an exception day with early hours): check both.
    if (end > -Infinity) return Math.max(end, endBefore(d - 1));
  }
  return null;
}

/** Earliest open instant at or after t over the whole timeline, or null. */
function openFrom(segments: readonly Segment[], index: number, t: number): number | null {
  for (let i = index; i < segments.length; i++) {
    const found = firstOpen(segments[i]!, i === index ? t : segments[i]!.from);
    if (found !== null) return found;
  }
  return null;
}

/** Where the open period containing t ends (following it across days and versions), or null if not within range. */
function closeFrom(segments: readonly Segment[], index: number, t: number): number | null {
  let at = t;
  for (let i = index; ; ) {
    const span = spanContaining(segments[i]!, at);
    if (!span) return at;
    at = span.end;
    if (at === Infinity || at - t > maxScanDays * dayMs) return null;
    while (i + 1 < segments.length && segments[i + 1]!.from <= at) i++;
  }
}

/** Closed at t and t's local day is "by appointment only" in the version in force. */
function appointmentAt(segments: readonly Segment[], t: number): boolean {
  const segment = segments[segmentIndexAt(segments, t)]!;
  const prepared = segment.prepared;
  if (!prepared || spanContaining(segment, t)) return false;
  return hoursOfDay(prepared, localDayOf(t, prepared.timezone)).mode === 'appointment';
}

// ---------------------------------------------------------------------------------------------------------
// Public API.

export function versionAt(versions: readonly HoursVersion[], t: number): HoursVersion | null {
  const segments = timeline(versions);
  return segments[segmentIndexAt(segments, t)]!.version;
}

export function isOpen(versions: readonly HoursVersion[], t: number): boolean {
  const segments = timeline(versions);
  return spanContaining(segments[segmentIndexAt(segments, t)]!, t) !== null;
}

/**
 * The closed period containing t: start = the instant it closed, end = next opening (null if never). Null when
 * open at t. The start is found exactly (walking back across versions), so it is the same for every t in the
 * period; with no earlier opening at all it is the effectiveFrom where the hours began.
 */
export function awayPeriod(versions: readonly HoursVersion[], t: number): { start: number; end: number | null } | null {
  const segments = timeline(versions);
  const index = segmentIndexAt(segments, t);
  if (spanContaining(segments[index]!, t)) return null;
  let start: number | null = null;
  // Segment 0 (no hours) is open, so this always ends with a start.
  for (let i = index; start === null && i >= 0; i--) start = lastClose(segments[i]!, i === index ? t : segments[i]!.until);
  return { start: start!, end: openFrom(segments, index, t) };
}

/** The next opening at or after t (t itself if open at t), or null if none within range. */
export function nextOpen(versions: readonly HoursVersion[], t: number): number | null {
  const segments = timeline(versions);
  return openFrom(segments, segmentIndexAt(segments, t), t);
}

export function hoursStateAt(versions: readonly HoursVersion[], t: number, fallbackTimezone: string): HoursStateAt {
  const segments = timeline(versions);
  const index = segmentIndexAt(segments, t);
  const segment = segments[index]!;
  const timezone = segment.version?.hours.timezone ?? fallbackTimezone;
  if (spanContaining(segment, t)) return { open: true, appointment: false, nextChange: closeFrom(segments, index, t), nextOpen: t, timezone };

  const next = openFrom(segments, index, t);
  const appointment = appointmentAt(segments, t);
  // While closed, "by appointment" can only change at a local midnight or a version change before the opening.
  let nextChange = next;
  let at = t;
  for (let step = 0; step < maxScanDays; step++) {
    const i = segmentIndexAt(segments, at);
    const zone = segments[i]!.prepared?.timezone ?? timezone;
    const midnight = instantOfLocalMs((localDayOf(at, zone) + 1) * dayMs, zone);
    const following = Math.min(midnight, segments[i + 1]?.from ?? Infinity);
    // (following <= at only around a midnight the clock repeats: give up rather than loop.)
    if (following <= at || following === Infinity || (next !== null && following >= next)) break;
    at = following;
    if (appointmentAt(segments, at) !== appointment) {
      nextChange = at;
      break;
    }
  }
  return { open: false, appointment, nextChange, nextOpen: next, timezone };
}
