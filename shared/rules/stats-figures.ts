/**
 * How the statistics' derived numbers are written, the same on the page and in the CSV files: a rate is
 * a / b (null when b is 0, as electron/core/stats/metrics.ts defines the delivery and read rates), shown as a
 * percentage with one decimal; a duration is shown in minutes with one decimal in files.
 */

export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** 0.8571 → 85.7; null stays null. */
export function percentOf(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 10;
}

/** 90 500 ms → 1.5 (minutes, one decimal); null stays null. */
export function minutesOf(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 6000) / 10;
}
