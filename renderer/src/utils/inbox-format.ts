/**
 * Dates, times and sizes as the inbox shows them, in the UI language. "Now" is core's clock (app:tick),
 * never the renderer's own, so a virtual clock in tests moves the labels too.
 */

const dayMs = 24 * 60 * 60 * 1000;

const dateFormats = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();
/**
 * One formatter per locale and style, kept: building an Intl.DateTimeFormat costs far more than using one,
 * and the conversation list formats every row it scrolls past. Styles are the constant objects below, so
 * the look-up is two map reads (no key string built per call).
 */
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let byLocale = dateFormats.get(options);
  if (!byLocale) {
    byLocale = new Map();
    dateFormats.set(options, byLocale);
  }
  let format = byLocale.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    byLocale.set(locale, format);
  }
  return format;
}

const timeStyle: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const weekdayShort: Intl.DateTimeFormatOptions = { weekday: 'short' };
const weekdayLong: Intl.DateTimeFormatOptions = { weekday: 'long' };
const shortDate: Intl.DateTimeFormatOptions = { year: '2-digit', month: 'numeric', day: 'numeric' };
const longDate: Intl.DateTimeFormatOptions = { dateStyle: 'long' };
const fullDateTime: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };

/** Midnight (local time) of the day of `at`. */
export function startOfLocalDay(at: number): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days from `at` to `now` (0: the same day; 1: yesterday), across DST changes. */
export function daysBetween(at: number, now: number): number {
  return Math.round((startOfLocalDay(now) - startOfLocalDay(at)) / dayMs);
}

/** The conversation list's time: today → the time, this week → the weekday, before → the date. */
export function formatListTime(at: number, now: number, locale: string): string {
  const days = daysBetween(at, now);
  if (days <= 0) return dateFormat(locale, timeStyle).format(at);
  if (days < 7) return dateFormat(locale, weekdayShort).format(at);
  return dateFormat(locale, shortDate).format(at);
}

/** A bubble's time. */
export function formatBubbleTime(at: number, locale: string): string {
  return dateFormat(locale, timeStyle).format(at);
}

/** A full date and time, for titles and screen readers. */
export function formatFullTime(at: number, locale: string): string {
  return dateFormat(locale, fullDateTime).format(at);
}

export type DayLabel = { kind: 'today' | 'yesterday' } | { kind: 'date'; text: string };

/** A day separator: today, yesterday, the weekday within a week, else the date. */
export function dayLabel(at: number, now: number, locale: string): DayLabel {
  const days = daysBetween(at, now);
  if (days === 0) return { kind: 'today' };
  if (days === 1) return { kind: 'yesterday' };
  if (days > 1 && days < 7) return { kind: 'date', text: dateFormat(locale, weekdayLong).format(at) };
  return { kind: 'date', text: dateFormat(locale, longDate).format(at) };
}

/** Same calendar day. */
export function sameDay(a: number, b: number): boolean {
  return startOfLocalDay(a) === startOfLocalDay(b);
}

/** Time left in whole hours and minutes, rounded up to the minute (never shows 0 while time remains). */
export function splitRemaining(ms: number): { hours: number; minutes: number } {
  const minutesLeft = Math.max(0, Math.ceil(ms / 60_000));
  return { hours: Math.floor(minutesLeft / 60), minutes: minutesLeft % 60 };
}

/** 1536 → "1.5 KB", in the UI language's number format. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
