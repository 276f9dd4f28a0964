import type { StatsFilterRequest, StatsReport } from '../../../shared/ipc/stats';
import type { Archive } from '../archive';
import { automationStore } from '../automation/repositories/automation-store';
import { classifyMetaError } from '../cloud/graph-errors';
import { AppError } from '../errors';
import { createStats } from '../stats/metrics';
import type { StatsFilter } from '../stats/metrics';
import { createStatsRepository } from '../stats/stats-repository';
import { responseHistogram } from './episode-waits';
import { resolveRange } from './stats-range';
import type { ResolvedRange } from './stats-range';

export type Stats = ReturnType<typeof createStats>;

// The stats' statements are prepared once per open archive (a workspace switch opens another).
const cache = new WeakMap<Archive, Stats>();

/** The statistics of an archive, with the business hours its business-hours figures and timezone follow. */
export function statsOf(archive: Archive, fallbackTimezone: string): Stats {
  let stats = cache.get(archive);
  if (!stats) {
    const hours = automationStore(archive.db);
    stats = createStats({ repo: createStatsRepository(archive.db), hoursVersions: () => hours.hoursVersions(), fallbackTimezone });
    cache.set(archive, stats);
  }
  return stats;
}

/** A request's filter as the stats module reads it; a label or staff member that does not exist is `not_found`. */
export function filterOf(archive: Archive, request: StatsFilterRequest, now: number, fallbackTimezone: string): { filter: StatsFilter; range: ResolvedRange } {
  if (request.labelId !== undefined && !archive.labels.get(request.labelId)) throw new AppError('not_found', `No label ${request.labelId}`);
  if (request.staffId !== undefined && request.staffId !== null && !archive.staff.get(request.staffId)) throw new AppError('not_found', `No staff member ${request.staffId}`);
  const range = resolveRange(request.range, now, automationStore(archive.db).hoursVersions(), fallbackTimezone);
  const filter: StatsFilter = { from: range.from, to: range.to };
  if (request.labelId !== undefined) filter.labelId = request.labelId;
  if (request.staffId !== undefined) filter.staffId = request.staffId;
  return { filter, range };
}

/** Meta's reason for an error code in words, as the chat shows it, without the code in front. */
export function metaReason(code: number, title?: string | null): string {
  const sentence = classifyMetaError({ code, ...(title ? { title } : {}) }).sentence;
  return sentence.startsWith(`${code}: `) ? sentence.slice(`${code}: `.length) : sentence;
}

/** Every figure for the filter, with what the page's filters offer (never a PIN hash or any other secret). */
export function buildReport(archive: Archive, stats: Stats, filter: StatsFilter, range: ResolvedRange, now: number): StatsReport {
  const s = stats.compute(filter, { episodes: true });
  const labels = archive.labels.list().map((l) => ({ id: l.id, name: l.name, colour: l.colour }));
  const colours = new Map(labels.map((l) => [l.id, l.colour]));
  return {
    range: { preset: range.preset, fromDate: range.fromDate, toDate: range.toDate, from: range.from, to: range.to },
    timezone: s.timezone,
    counts: s.counts,
    rates: s.rates,
    failedByCode: s.failedByCode.map((f) => ({ code: f.code, count: f.count, reason: f.code === null ? null : metaReason(f.code) })),
    responses: s.responses,
    responseHistogram: responseHistogram(s.episodes ?? []),
    perDay: s.perDay,
    hourOfWeek: s.hourOfWeek,
    busiestHours: s.busiestHours,
    perLabel: s.perLabel.map((l) => ({ ...l, colour: colours.get(l.labelId) ?? 0 })),
    perStaff: s.perStaff,
    choices: { labels, staff: archive.staff.list().map((m) => ({ id: m.id, name: m.name })) },
    computedAt: now,
  };
}
