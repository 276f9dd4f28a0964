import type { StatsDrillRow, StatsFigure } from '../../../shared/ipc/stats';
import type { OutboundStatus } from '../../../shared/ipc';
import type { Archive } from '../archive';
import { conversationTitle } from '../inbox/conversation-rows';
import { inboxReadModels } from '../inbox/read-models';
import type { Figure, StatsFilter } from '../stats/metrics';
import { drillDownRows } from './drill-down-rows';
import { waitOf } from './episode-waits';
import type { DrillMessageRow } from './drill-down-rows';
import { metaReason } from './stats-report';
import type { Stats } from './stats-report';

/** The ids behind a figure, newest first, and (episode figures) the wait each one measured. */
export interface DrillTarget {
  kind: 'messages' | 'conversations';
  ids: number[];
  waits: ReadonlyMap<number, number | null> | null;
}

type EpisodeFigure = Extract<StatsFigure, { metric: 'episodes' | 'answered' | 'unanswered' }>;

/** Episodes listed by the message that started them; `answered` narrowed to [minMs, maxMs) of its measure. */
function episodesTarget(stats: Stats, filter: StatsFilter, figure: EpisodeFigure): DrillTarget {
  const waits = new Map<number, number | null>();
  const ids: number[] = [];
  for (const e of stats.episodes(filter)) {
    const answered = e.responseAt !== null;
    if ((figure.metric === 'answered' && !answered) || (figure.metric === 'unanswered' && answered)) continue;
    const wait = answered ? waitOf(e, figure.measure ?? 'firstResponse', figure.businessHours ?? false) : null;
    if (figure.minMs !== undefined && (wait === null || wait < figure.minMs)) continue;
    if (figure.maxMs !== undefined && (wait === null || wait >= figure.maxMs)) continue;
    ids.push(e.startMessageId);
    waits.set(e.startMessageId, wait);
  }
  // Episodes come oldest first.
  return { kind: 'messages', ids: ids.reverse(), waits };
}

/** The stats module's own figure for a slice of the range (a date, an hour-of-week cell). */
function coreFigure(metric: 'sent' | 'delivered' | 'read' | 'failed' | 'received', figure: { date?: string; hourOfWeek?: number; errorCode?: number | null }): Figure {
  const slice: { date?: string; hourOfWeek?: number } = {};
  if (figure.date !== undefined) slice.date = figure.date;
  if (figure.hourOfWeek !== undefined) slice.hourOfWeek = figure.hourOfWeek;
  if (metric === 'received') return { metric, ...slice };
  return metric === 'failed' && figure.errorCode !== undefined ? { metric, errorCode: figure.errorCode, ...slice } : { metric, ...slice };
}

/** Which messages (or conversations) a figure stands for, with the same predicates the figure counts by. */
export function drillTarget(archive: Archive, stats: Stats, filter: StatsFilter, figure: StatsFigure): DrillTarget {
  const rows = drillDownRows(archive.db);
  switch (figure.metric) {
    case 'unread':
      return { kind: 'conversations', ids: rows.conversationsByActivity(stats.drillDown(filter, { metric: 'unread' })), waits: null };
    case 'volume': {
      const both = [...stats.drillDown(filter, coreFigure('sent', figure)), ...stats.drillDown(filter, coreFigure('received', figure))];
      return { kind: 'messages', ids: rows.newestFirst(both), waits: null };
    }
    case 'episodes':
    case 'answered':
    case 'unanswered':
      return episodesTarget(stats, filter, figure);
    default:
      // The stats module lists oldest first.
      return { kind: 'messages', ids: stats.drillDown(filter, coreFigure(figure.metric, figure)).reverse(), waits: null };
  }
}

function messageRow(r: DrillMessageRow, waits: DrillTarget['waits']): StatsDrillRow {
  const revoked = r.revokedAt !== null;
  return {
    messageId: r.id,
    conversationId: r.conversationId,
    chatTitle: conversationTitle(r).title,
    timestamp: r.timestamp,
    preview: {
      type: r.type,
      direction: r.direction,
      text: revoked ? null : (r.text ?? r.caption ?? r.fileName),
      status: r.status as OutboundStatus | null,
      automatic: r.automatic !== null,
      revoked,
    },
    status: r.status as OutboundStatus | null,
    errorCode: r.errorCode,
    errorReason: r.errorCode !== null ? metaReason(r.errorCode, r.errorTitle) : r.status === 'failed' ? r.errorTitle : null,
    staffName: r.direction === 'out' && r.automatic === null ? r.staffName : null,
    automatic: r.automatic,
    waitMs: waits?.get(r.id) ?? null,
  };
}

/** The list rows of some of a target's ids (a page, or a chunk of an export), in the target's order. */
export function drillRows(archive: Archive, target: DrillTarget, ids: readonly number[]): StatsDrillRow[] {
  if (target.kind === 'messages') return drillDownRows(archive.db).messages(ids).map((r) => messageRow(r, target.waits));
  const found = new Map(inboxReadModels(archive).list.rows([...ids]).map((r) => [r.id, r]));
  return ids.flatMap((id): StatsDrillRow[] => {
    const r = found.get(id);
    if (!r) return [];
    const revoked = r.lmRevokedAt !== null;
    const preview =
      r.lmId === null || r.lmType === null || r.lmDirection === null
        ? null
        : {
            type: r.lmType,
            direction: r.lmDirection,
            text: revoked ? null : (r.lmText ?? r.lmCaption ?? r.lmFileName ?? r.lmEmoji),
            status: r.lmStatus as OutboundStatus | null,
            automatic: r.lmAutomatic !== null,
            revoked,
          };
    return [
      {
        messageId: r.lmId,
        conversationId: r.id,
        chatTitle: conversationTitle(r).title,
        timestamp: r.lastActivityAt,
        preview,
        status: preview?.status ?? null,
        errorCode: null,
        errorReason: null,
        staffName: null,
        automatic: r.lmAutomatic === 'greeting' || r.lmAutomatic === 'away' ? r.lmAutomatic : null,
        waitMs: null,
      },
    ];
  });
}
