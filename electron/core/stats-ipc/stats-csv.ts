import type { StatsDrillRow, StatsReport, StatsResponseFigures, StatsTable } from '../../../shared/ipc/stats';
import { minutesOf, percentOf, rate } from '../../../shared/rules/stats-figures';
import { toCsv } from '../contacts/csv';

/**
 * The statistics as CSV files (PRODUCT §10): the page's tables and drill-down lists, with the page's columns
 * in the same order (shared/ipc/stats.ts) under the page's own column titles. RFC 4180 quoting and
 * formula-defused cells come from toCsv; rates are percentages and durations minutes, one decimal each.
 */

type Cell = string | number | null;

/** A UTF-8 file Excel opens as UTF-8 (Chinese names otherwise come out garbled): a BOM first. */
export function csvFile(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return `\uFEFF${toCsv([headers, ...rows])}`;
}

const median = (r: StatsResponseFigures, businessHours: boolean) => ({
  firstResponse: minutesOf((businessHours ? r.firstResponseBusinessHours : r.firstResponse).median),
  reply: minutesOf((businessHours ? r.replyTimeBusinessHours : r.replyTime).median),
});

/** One table's rows, as the page shows them. */
export function tableRows(report: StatsReport, table: StatsTable, options: { businessHours: boolean; unattributed: string }): Cell[][] {
  switch (table) {
    case 'perLabel':
      return report.perLabel.map((l) => {
        const m = median(l.responses, options.businessHours);
        return [l.name, l.sent, l.delivered, l.read, l.failed, l.received, percentOf(rate(l.delivered, l.sent)), percentOf(rate(l.read, l.delivered)), l.responses.episodes, l.responses.unanswered, m.firstResponse, m.reply];
      });
    case 'perStaff':
      return report.perStaff.map((s) => {
        const m = median(s.responses, options.businessHours);
        return [s.name ?? options.unattributed, s.sent, s.delivered, s.read, s.failed, percentOf(rate(s.delivered, s.sent)), percentOf(rate(s.read, s.delivered)), s.responses.answered, m.firstResponse, m.reply];
      });
    case 'perDay':
      return report.perDay.map((d) => [d.date, d.sent, d.received]);
    case 'failedByCode':
      return report.failedByCode.map((f) => [f.code, f.reason, f.count]);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD HH:MM' in the business timezone: the statistics' own clock, whatever the computer's. */
export function localDateTime(t: number, timezone: string): string {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  const part = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** A drill-down list's rows: enumerations (direction, type, status, automatic kind) stay as their stable codes. */
export function drillCsvRows(rows: readonly StatsDrillRow[], timezone: string, unattributed: string): Cell[][] {
  return rows.map((r) => {
    const direction = r.preview?.direction ?? null;
    const staff = r.staffName ?? r.automatic ?? (direction === 'out' ? unattributed : null);
    return [
      r.timestamp === null ? null : localDateTime(r.timestamp, timezone),
      r.chatTitle,
      direction,
      r.preview?.type ?? null,
      r.preview?.text ?? null,
      r.status,
      r.errorCode,
      r.errorReason,
      staff,
      minutesOf(r.waitMs),
      r.messageId,
      r.conversationId,
    ];
  });
}
