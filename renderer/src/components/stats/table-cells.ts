import type { ComposerTranslation } from 'vue-i18n';
import type { StatsFigure, StatsOutboundCounts, StatsReport, StatsResponseFigures, StatsTable } from '../../../../shared/ipc/stats';
import { statsTableColumns } from '../../../../shared/ipc/stats';
import { rate } from '../../../../shared/rules/stats-figures';
import { formatCount, formatDate, formatDuration, formatRate } from '../../utils/stats-format';
import type { StatsScope } from '../../stores/stats';

/** One cell of a statistics table: its text, and the figure behind it (null: not a number to open). */
export interface TableCell {
  column: string;
  text: string;
  figure: StatsFigure | null;
}

export interface TableRow {
  key: string;
  /** The first column's name (a label, a staff member, a date, an error code). */
  name: string;
  colour: number | null;
  scope: StatsScope;
  /** For the drill-down title. */
  context: { labelName?: string; staffName?: string; reason?: string };
  cells: TableCell[];
}

type Counts = StatsOutboundCounts & { received?: number; responses?: StatsResponseFigures };

/** The cells of the columns every per-label and per-staff row shares; `open` is false for a row nothing can be opened for. */
function countCells(columns: readonly string[], r: Counts, locale: string, t: ComposerTranslation, businessHours: boolean, open: boolean): TableCell[] {
  const fig = (figure: StatsFigure): StatsFigure | null => (open ? figure : null);
  const responses = r.responses;
  const median = (measure: 'firstResponse' | 'replyTime') => {
    if (!responses) return null;
    const key = businessHours ? (measure === 'firstResponse' ? 'firstResponseBusinessHours' : 'replyTimeBusinessHours') : measure;
    return responses[key].median;
  };
  return columns.slice(1).map((column): TableCell => {
    switch (column) {
      case 'sent':
      case 'delivered':
      case 'read':
      case 'failed':
        return { column, text: formatCount(r[column], locale), figure: fig({ metric: column }) };
      case 'received':
        return { column, text: formatCount(r.received ?? 0, locale), figure: fig({ metric: 'received' }) };
      case 'deliveryRate':
        return { column, text: formatRate(rate(r.delivered, r.sent), locale), figure: fig({ metric: 'delivered' }) };
      case 'readRate':
        return { column, text: formatRate(rate(r.read, r.delivered), locale), figure: fig({ metric: 'read' }) };
      case 'episodes':
      case 'unanswered':
      case 'answered':
        return { column, text: formatCount(responses?.[column] ?? 0, locale), figure: fig({ metric: column, businessHours }) };
      case 'firstResponseMedian':
        return { column, text: formatDuration(median('firstResponse'), t), figure: fig({ metric: 'answered', measure: 'firstResponse', businessHours }) };
      default:
        return { column, text: formatDuration(median('replyTime'), t), figure: fig({ metric: 'answered', measure: 'replyTime', businessHours }) };
    }
  });
}

/** A table of the report as the page shows it: the same columns, in the same order, as its CSV file. */
export function tableRows(report: StatsReport, table: StatsTable, options: { locale: string; t: ComposerTranslation; businessHours: boolean }): TableRow[] {
  const { locale, t, businessHours } = options;
  const columns = statsTableColumns[table];
  switch (table) {
    case 'perLabel':
      return report.perLabel.map((l) => ({
        key: `label-${l.labelId}`,
        name: l.name,
        colour: l.colour,
        scope: { labelId: l.labelId },
        context: { labelName: l.name },
        cells: countCells(columns, l, locale, t, businessHours, true),
      }));
    case 'perStaff':
      return report.perStaff.map((s) => {
        const name = s.name ?? t('stats.tables.unattributed');
        return {
          key: `staff-${s.staffId ?? 'none'}`,
          name,
          colour: null,
          // null opens the messages no staff member sent (automatic replies, other apps).
          scope: { staffId: s.staffId },
          context: { staffName: name },
          cells: countCells(columns, s, locale, t, businessHours, true),
        };
      });
    case 'perDay':
      return report.perDay.map((d) => ({
        key: d.date,
        name: formatDate(d.date, locale),
        colour: null,
        scope: {},
        context: {},
        cells: [
          { column: 'sent', text: formatCount(d.sent, locale), figure: { metric: 'sent', date: d.date } },
          { column: 'received', text: formatCount(d.received, locale), figure: { metric: 'received', date: d.date } },
        ],
      }));
    case 'failedByCode':
      return report.failedByCode.map((f) => {
        const reason = f.code === null ? t('stats.failed.noCode') : t('stats.drill.error', { code: f.code, reason: f.reason ?? '' });
        return {
          key: `code-${f.code ?? 'none'}`,
          name: f.code === null ? t('stats.failed.noCode') : String(f.code),
          colour: null,
          scope: {},
          context: { reason },
          cells: [
            { column: 'reason', text: f.reason ?? '', figure: null },
            { column: 'count', text: formatCount(f.count, locale), figure: { metric: 'failed', errorCode: f.code } },
          ],
        };
      });
  }
}
