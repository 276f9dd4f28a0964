import { isValidDate } from './business-hours';

/**
 * Calendar dates as 'YYYY-MM-DD' (a local date of the business timezone, no time, no zone): the arithmetic the
 * statistics' date ranges need on both sides, done on UTC noon-free day numbers so DST never shifts a day.
 */

export { isValidDate };

const dayMs = 86_400_000;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / dayMs;
}

/** The date `days` later (earlier when negative). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * dayMs).toISOString().slice(0, 10);
}

/** How many dates from `from` to `to`, both included (1 for the same date; 0 or less when `to` comes first). */
export function datesBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}
