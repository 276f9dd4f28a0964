import type { ComposerTranslation } from 'vue-i18n';

/**
 * How the statistics page writes its numbers: counts and percentages in the UI language, waits as
 * "1 h 20 min", dates (local dates of the business timezone, 'YYYY-MM-DD') and weekday names.
 */

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

export function formatDuration(ms: number | null, t: ComposerTranslation): string {
  if (ms === null) return t('stats.duration.none');
  if (ms < minuteMs) return t('stats.duration.seconds', { n: Math.round(ms / 1000) });
  if (ms < hourMs) return t('stats.duration.minutes', { n: Math.round(ms / minuteMs) });
  if (ms < dayMs) {
    const h = Math.floor(ms / hourMs);
    const m = Math.round((ms - h * hourMs) / minuteMs);
    if (m === 60) return t('stats.duration.hours', { h: h + 1 });
    return m === 0 ? t('stats.duration.hours', { h }) : t('stats.duration.hoursMinutes', { h, m });
  }
  const d = Math.floor(ms / dayMs);
  const h = Math.round((ms - d * dayMs) / hourMs);
  if (h === 24) return t('stats.duration.days', { d: d + 1 });
  return h === 0 ? t('stats.duration.days', { d }) : t('stats.duration.daysHours', { d, h });
}

export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** 0.857 → "85.7%"; null → "—". */
export function formatRate(value: number | null, locale: string): string {
  return value === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** A local date as a date-only value: read in UTC, so no timezone moves it to another day. */
function dateValue(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function formatDate(date: string, locale: string, style: 'short' | 'medium' = 'medium'): string {
  const options: Intl.DateTimeFormatOptions = style === 'short' ? { month: 'numeric', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(dateValue(date));
}

export function formatDateRange(from: string, to: string, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return from === to ? format.format(dateValue(from)) : format.formatRange(dateValue(from), dateValue(to));
}

/** Monday first (the statistics' weekday 0). */
export function weekdayNames(locale: string, width: 'short' | 'long' = 'short'): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

export function hourLabel(hour: number): string {
  return `${String(hour % 24).padStart(2, '0')}:00`;
}

/** A moment in the business timezone, e.g. "2 Mar 2026, 09:25". */
export function formatMoment(at: number, locale: string, timezone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(at);
}
