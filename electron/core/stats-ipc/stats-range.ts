import type { StatsPreset, StatsRange } from '../../../shared/ipc/stats';
import { addDays } from '../../../shared/rules/local-dates';
import { instantOfLocal, localDateOf } from '../automation/hours';
import type { HoursVersion } from '../automation/hours';
import { businessTimezone } from '../stats/metrics';

/** A range as the statistics read it: local dates (both included) and the instants [from, to). */
export interface ResolvedRange {
  preset: StatsPreset | 'custom';
  fromDate: string;
  toDate: string;
  from: number;
  to: number;
  timezone: string;
}

const presetDays: Record<StatsPreset, number> = { today: 1, '7d': 7, '30d': 30 };

/**
 * Local dates → instants, in the business timezone (PRODUCT §10): from the first date's midnight to the
 * midnight after the last date. Presets end today, on core's clock. The timezone is the one the statistics
 * bucket by — the hours version in force at the range's start — so a range and its day buckets always agree.
 */
export function resolveRange(range: StatsRange, now: number, versions: readonly HoursVersion[], fallbackTimezone: string): ResolvedRange {
  let dates: { fromDate: string; toDate: string };
  if (range.preset !== 'custom') {
    const today = localDateOf(now, businessTimezone(versions, now, fallbackTimezone));
    dates = { fromDate: addDays(today, 1 - presetDays[range.preset]), toDate: today };
  } else {
    dates = { fromDate: range.fromDate, toDate: range.toDate };
  }
  const at = (timezone: string) => instantOfLocal(`${dates.fromDate}T00:00`, timezone);
  // The zone at the start may differ from today's (the hours moved to another zone): read it at the start.
  let timezone = businessTimezone(versions, now, fallbackTimezone);
  timezone = businessTimezone(versions, at(timezone), fallbackTimezone);
  return {
    preset: range.preset,
    ...dates,
    from: at(timezone),
    to: instantOfLocal(`${addDays(dates.toDate, 1)}T00:00`, timezone),
    timezone,
  };
}
