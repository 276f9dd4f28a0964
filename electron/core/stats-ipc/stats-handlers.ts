import { writeFile } from 'node:fs/promises';
import { statsDrillColumns, statsTableColumns } from '../../../shared/ipc/stats';
import type { StatsExportRequest, StatsFigure, statsChannels } from '../../../shared/ipc/stats';
import type { Archive } from '../archive';
import { computerTimezone } from '../automation/settings';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { FeatureDeps } from '../feature-deps';
import { drillRows, drillTarget } from './drill-down';
import { csvFile, drillCsvRows, tableRows } from './stats-csv';
import { buildReport, filterOf, statsOf } from './stats-report';

type StatsChannel = keyof typeof statsChannels;

/** Rows hydrated per query when a whole drill-down list is exported. */
const exportChunk = 1000;

const tableFileNames = { perLabel: 'by-label', perStaff: 'by-staff', perDay: 'by-day', failedByCode: 'failed-by-reason' } as const;

function figureFileName(figure: StatsFigure): string {
  const parts: string[] = [figure.metric];
  if (figure.metric === 'failed' && figure.errorCode !== undefined) parts.push(String(figure.errorCode ?? 'no-code'));
  if ('date' in figure && figure.date !== undefined) parts.push(figure.date);
  if ('hourOfWeek' in figure && figure.hourOfWeek !== undefined) parts.push(`hour-${figure.hourOfWeek}`);
  return parts.join('-');
}

/**
 * Statistics (PRODUCT §10) over the open workspace's archive: every figure for a range of local dates, the
 * messages behind any one of them, and CSV files of the tables and lists. The figures themselves are the
 * stats module's (electron/core/stats); this turns requests into its filters and its ids into list rows.
 */
export function createStatsHandlers(deps: FeatureDeps): Pick<ChannelHandlers, StatsChannel> {
  const fallbackTimezone = computerTimezone();

  function prepare(archive: Archive, request: Parameters<typeof filterOf>[1]) {
    const now = deps.clock.now();
    return { now, stats: statsOf(archive, fallbackTimezone), ...filterOf(archive, request, now, fallbackTimezone) };
  }

  function checkHeaders(request: StatsExportRequest): void {
    const expected = request.kind === 'table' ? statsTableColumns[request.table].length : statsDrillColumns.length;
    if (request.headers.length !== expected) {
      throw new AppError('invalid_request', `This file has ${expected} columns, not ${request.headers.length}`, [{ path: 'headers', message: `${expected} column titles` }]);
    }
  }

  /** The file's rows: computed after the dialog, so they are what the archive holds when it is written. */
  function exportRows(archive: Archive, request: StatsExportRequest) {
    const { now, stats, filter, range } = prepare(archive, request);
    if (request.kind === 'table') {
      return tableRows(buildReport(archive, stats, filter, range, now), request.table, request);
    }
    const target = drillTarget(archive, stats, filter, request.figure);
    const rows = [];
    for (let i = 0; i < target.ids.length; i += exportChunk) {
      rows.push(...drillCsvRows(drillRows(archive, target, target.ids.slice(i, i + exportChunk)), range.timezone, request.unattributed));
    }
    return rows;
  }

  return {
    'stats:compute': (request) => {
      const archive = deps.archive();
      const { now, stats, filter, range } = prepare(archive, request);
      return buildReport(archive, stats, filter, range, now);
    },

    'stats:drill-down': ({ figure, offset, limit, ...request }) => {
      const archive = deps.archive();
      const { stats, filter } = prepare(archive, request);
      const target = drillTarget(archive, stats, filter, figure);
      return { kind: target.kind, total: target.ids.length, offset, rows: drillRows(archive, target, target.ids.slice(offset, offset + limit)) };
    },

    'stats:export-csv': async (request) => {
      // Fails fast (locked, unknown label, wrong column count) before asking where.
      const before = prepare(deps.archive(), request);
      checkHeaders(request);
      const what = request.kind === 'table' ? tableFileNames[request.table] : figureFileName(request.figure);
      const path = await deps.dialogs.chooseSaveFile({
        title: 'Export statistics',
        defaultName: `statistics-${what}-${before.range.fromDate}-to-${before.range.toDate}.csv`,
      });
      if (path === null) return { saved: false, rows: 0 };
      // The workspace may have locked while the dialog was open: ask again.
      const archive = deps.archive();
      const rows = exportRows(archive, request);
      await writeFile(path, csvFile(request.headers, rows), 'utf8');
      archive.audit.append('stats.exported', null, { kind: request.kind, what, rows: rows.length });
      return { saved: true, rows: rows.length };
    },
  };
}
