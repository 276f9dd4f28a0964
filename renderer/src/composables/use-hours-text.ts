import { useI18n } from 'vue-i18n';
import type { HoursState } from '../../../shared/ipc/automation';
import { dayKeys } from '../../../shared/rules/business-hours';
import type { DayHours, DayKey } from '../../../shared/rules/business-hours';
import { formatNextOpen } from '../../../shared/rules/auto-replies';
import type { HoursProblem } from '../utils/hours-form';
import { useLocale } from './use-locale';

const dayPattern = /^(mon|tue|wed|thu|fri|sat|sun)$/;

/** `YYYY-MM-DD` of `at` on the business's wall clock. */
function dateIn(at: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  }
}

/**
 * Business hours in words, in the UI language: day names, open/closed now ("Open now · closes 17:00"), a
 * compact week for the business card ("Mon–Fri 09:00–17:00"), and what is wrong with a field of the editor.
 * Times are the business's wall clock (its timezone), written 24-hour as the editor takes them.
 */
export function useHoursText() {
  const { t } = useI18n();
  const { locale } = useLocale();

  const dayName = (day: DayKey, style: 'long' | 'short' = 'long'): string => (style === 'long' ? t(`automation.days.${day}`) : t(`automation.daysShort.${day}`));

  /** A whole date (`2025-12-25`) as people read it; the text itself when it is not one. */
  function dateText(date: string): string {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!match) return date;
    const at = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    return new Intl.DateTimeFormat(locale.value, { timeZone: 'UTC', dateStyle: 'medium' }).format(at);
  }

  function timeIn(at: number, timeZone: string): string {
    const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      return new Intl.DateTimeFormat(locale.value, { ...options, timeZone }).format(at);
    } catch {
      return new Intl.DateTimeFormat(locale.value, options).format(at);
    }
  }

  /** "17:00" today, "Monday 09:00" within the week, with the date beyond. */
  function when(at: number, timeZone: string, now: number | null): string {
    if (now !== null && dateIn(at, timeZone) === dateIn(now, timeZone)) return timeIn(at, timeZone);
    try {
      return formatNextOpen(at, timeZone, locale.value, now ?? at);
    } catch {
      return formatNextOpen(at, 'UTC', locale.value, now ?? at);
    }
  }

  /** Open or closed now, with when that changes. */
  function stateText(state: HoursState, now: number | null): string {
    if (state.open) {
      return state.nextChange === null ? t('automation.state.openAlways') : t('automation.state.openCloses', { time: when(state.nextChange, state.timezone, now) });
    }
    if (state.appointment) {
      return state.nextOpen === null ? t('automation.state.appointment') : t('automation.state.appointmentOpens', { time: when(state.nextOpen, state.timezone, now) });
    }
    return state.nextOpen === null ? t('automation.state.closed') : t('automation.state.closedOpens', { time: when(state.nextOpen, state.timezone, now) });
  }

  /** One day's hours in words: "09:00–12:00, 14:00–18:00", "Open 24 hours", "Closed". */
  function dayHoursText(hours: DayHours): string {
    if (hours.mode === 'open') return hours.intervals.map((interval) => `${interval.start}–${interval.end}`).join(', ');
    return t(`automation.hours.modes.${hours.mode}`);
  }

  /** The week in as few lines as it takes: days in a row with the same hours share one ("Mon–Fri 09:00–17:00"). */
  function compactWeek(week: Record<DayKey, DayHours>): string[] {
    const lines: string[] = [];
    let index = 0;
    while (index < dayKeys.length) {
      const text = dayHoursText(week[dayKeys[index]!]);
      let last = index;
      while (last + 1 < dayKeys.length && dayHoursText(week[dayKeys[last + 1]!]) === text) last += 1;
      const days = last === index ? dayName(dayKeys[index]!, 'short') : `${dayName(dayKeys[index]!, 'short')}–${dayName(dayKeys[last]!, 'short')}`;
      lines.push(`${days} ${text}`);
      index = last + 1;
    }
    return lines;
  }

  /** `hoursIssues()` names the other interval as `mon 21:00–02:00`, `mon open 24 hours` or `2025-12-25 09:00–12:00`. */
  function otherText(other: string | undefined): string | null {
    const match = other ? /^(\S+) (.+)$/.exec(other) : null;
    if (!match) return null;
    const [, where, what] = match as unknown as [string, string, string];
    const place = dayPattern.test(where) ? dayName(where as DayKey) : dateText(where);
    return what === 'open 24 hours' ? t('automation.hours.problems.otherAllDay', { day: place }) : `${place} ${what}`;
  }

  function problemText(problem: HoursProblem): string {
    if (problem.code === 'overlap') {
      const other = otherText(problem.other);
      return other === null ? t('automation.hours.problems.overlapSome') : t('automation.hours.problems.overlap', { other });
    }
    return t(`automation.hours.problems.${problem.code}`);
  }

  return { dayName, dateText, timeIn, stateText, dayHoursText, compactWeek, problemText };
}
