import type { ComposerTranslation } from 'vue-i18n';
import { statsResponseBucketEdges } from '../../../../shared/ipc/stats';
import type { StatsFigure } from '../../../../shared/ipc/stats';
import { formatDate, hourLabel, weekdayNames } from '../../utils/stats-format';
import type { StatsScope } from '../../stores/stats';

/** The bars of the response-time chart, by their i18n keys (`stats.responses.buckets.b0` …). */
export const bucketKeys = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6'] as const;

/** Bar i as a figure: the answered episodes whose wait falls in it. */
export function bucketFigure(measure: 'firstResponse' | 'replyTime', bucket: number, businessHours: boolean): StatsFigure {
  const maxMs = statsResponseBucketEdges[bucket + 1];
  return { metric: 'answered', measure, businessHours, minMs: statsResponseBucketEdges[bucket]!, ...(maxMs !== undefined ? { maxMs } : {}) };
}

export interface DrillContext {
  /** The label or staff member a table cell narrowed it to. */
  labelName?: string;
  staffName?: string;
  /** Meta's reason of a failed-by-code row. */
  reason?: string;
}

/** What the drill-down dialog is titled: the figure, its slice (a date, an hour, a bar, a reason) and its scope. */
export function drillTitle(t: ComposerTranslation, locale: string, figure: StatsFigure, context: DrillContext = {}): string {
  let what: string;
  if (figure.metric === 'answered' && figure.minMs !== undefined) {
    const bucket = statsResponseBucketEdges.findIndex((edge) => edge === figure.minMs);
    const name = t(`stats.responses.buckets.${bucketKeys[Math.max(0, bucket)]!}`);
    what = t(figure.measure === 'replyTime' ? 'stats.drill.titles.replyTime' : 'stats.drill.titles.firstResponse', { bucket: name });
  } else {
    what = t(`stats.drill.titles.${figure.metric}`);
  }
  if ('date' in figure && figure.date !== undefined) what = t('stats.drill.titles.onDate', { what, date: formatDate(figure.date, locale) });
  if ('hourOfWeek' in figure && figure.hourOfWeek !== undefined) {
    const day = weekdayNames(locale, 'long')[Math.floor(figure.hourOfWeek / 24)]!;
    const hour = figure.hourOfWeek % 24;
    what = t('stats.drill.titles.atHour', { what, hour: `${day} ${hourLabel(hour)}–${hourLabel(hour + 1)}` });
  }
  if (figure.metric === 'failed' && figure.errorCode !== undefined) {
    what = t('stats.drill.titles.withCode', { what, reason: context.reason ?? (figure.errorCode === null ? t('stats.failed.noCode') : String(figure.errorCode)) });
  }
  if (context.labelName !== undefined) return t('stats.drill.titles.scoped', { what, scope: t('stats.drill.scopeLabel', { name: context.labelName }) });
  if (context.staffName !== undefined) return t('stats.drill.titles.scoped', { what, scope: t('stats.drill.scopeStaff', { name: context.staffName }) });
  return what;
}

/** What opens the drill-down dialog: a figure, the label or staff member it is narrowed to, and its title. */
export interface DrillRequest {
  figure: StatsFigure;
  scope: StatsScope;
  title: string;
}
