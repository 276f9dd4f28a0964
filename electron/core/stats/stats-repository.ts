import type Database from 'better-sqlite3';
import { dayMs, decodeBlocks, encodeBlock } from './episode-blocks';
import type { EpisodeColumns } from './episode-blocks';

/**
 * The statistics' reads (PRODUCT §10). The counts read the aggregates of migration 0006 (stats_counts, per
 * quarter hour, label and sender; stats_episodes, rebuilt here for the conversations marked in stats_dirty);
 * failures by code and the drill-down lists read the partial covering indexes of migrations 0005 and 0006
 * over a time range. None visits the messages table row by row (tests/core/stats checks the plans). The
 * predicates below repeat the indexes' WHERE clauses word for word, which is what lets SQLite use them;
 * metrics.ts says what each figure means.
 */

/** Outbound messages except reactions: the population of sent / delivered / read / failed. */
export const outboundWhere = "m.direction = 'out' AND m.type <> 'reaction'";
/** Inbound messages except reactions and system events: the population of received. */
export const inboundWhere = "m.direction = 'in' AND m.type NOT IN ('reaction', 'system')";
/** Turns of a 1:1 conversation: customer messages, and staff messages (automatic IS NULL). */
export const turnWhere = "((m.direction = 'in' AND m.is_group = 0 AND m.type NOT IN ('reaction', 'system')) OR (m.direction = 'out' AND m.automatic IS NULL AND m.type <> 'reaction'))";

const delivered = "m.status IN ('delivered', 'read', 'played')";
const read = "m.status IN ('read', 'played')";
const failed = "m.status = 'failed'";

const labelFilter = '(:label IS NULL OR m.conversation_id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = :label))';
/** :staff null = everyone; '' = messages no staff member sent. */
const staffFilter = "(:staff IS NULL OR coalesce(m.sender_staff_id, '') = :staff)";
const range = 'm.timestamp >= :from AND m.timestamp < :to';

/** The quarter hour the aggregates count in (migration 0006): every timezone's offset is a whole number of them. */
export const slotMs = 900_000;

export interface RangeParams {
  from: number;
  to: number;
  label: number | null;
  staff: string | null;
}

/** Counts of one slot, label or sender. Outbound counts follow the staff filter; received never does. */
export interface Counts {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  received: number;
}

export interface SlotCounts extends Counts {
  slot: number;
}

export interface GroupCounts extends Counts {
  key: string | number;
}

/** An episode as stored: [conversation, start, start id, last inbound, response at, response id, staff]. */
export type StoredEpisode = [number, number, number, number, number | null, number | null, string | null];

export { type EpisodeColumns } from './episode-blocks';

export interface EpisodeRow {
  conversation: number;
  startAt: number;
  startMessageId: number;
  lastInboundAt: number;
  responseAt: number | null;
  responseMessageId: number | null;
  staffId: string | null;
  staffCode: number;
}

export type OutboundClass = 'sent' | 'delivered' | 'read' | 'failed';

/** The aggregate rows of one filter: label 0 stands for every conversation. */
const slotRange = 's.slot >= :fromSlot AND s.slot < :toSlot';
const staffSums = `
  sum(CASE WHEN :staff IS NULL OR s.staff_key = :staff THEN s.sent ELSE 0 END) AS sent,
  sum(CASE WHEN :staff IS NULL OR s.staff_key = :staff THEN s.delivered ELSE 0 END) AS delivered,
  sum(CASE WHEN :staff IS NULL OR s.staff_key = :staff THEN s.read ELSE 0 END) AS read,
  sum(CASE WHEN :staff IS NULL OR s.staff_key = :staff THEN s.failed ELSE 0 END) AS failed,
  sum(s.received) AS received`;

interface SlotParams {
  fromSlot: number;
  toSlot: number;
  label: number;
  staff: string | null;
}

/** Every query's SQL, by name, for the query-plan test. */
export const statsSql = {
  countsBySlot: `
    SELECT s.slot, ${staffSums}
    FROM stats_counts s
    WHERE s.label_id = :label AND ${slotRange}
    GROUP BY s.slot`,
  countsByStaff: `
    SELECT s.staff_key AS key, ${staffSums}
    FROM stats_counts s
    WHERE s.label_id = :label AND ${slotRange} AND (:staff IS NULL OR s.staff_key = :staff)
    GROUP BY s.staff_key`,
  /** Per label; with a label filter (label > 0) only that label. */
  countsByLabel: `
    SELECT lb.id AS key, ${staffSums}
    FROM labels lb CROSS JOIN stats_counts s
    WHERE (:label = 0 OR lb.id = :label) AND s.label_id = lb.id AND ${slotRange}
    GROUP BY lb.id`,
  failedByCode: `
    SELECT m.error_code AS code, count(*) AS count
    FROM messages m INDEXED BY stats_failed
    WHERE ${outboundWhere} AND ${failed} AND ${range} AND ${labelFilter} AND ${staffFilter}
    GROUP BY m.error_code ORDER BY count DESC, code`,
  episodeBlocks: 'SELECT b.day, b.data FROM stats_episode_blocks b WHERE b.day >= :fromDay AND b.day <= :lastDay ORDER BY b.day',
  /** Episodes in start order, as the blocks hold them: to pack a day, and for the episode list. */
  episodesInRange: `
    SELECT e.conversation_id AS conversation, e.start_at AS startAt, e.start_message_id AS startMessageId,
      e.last_inbound_at AS lastInboundAt, e.response_at AS responseAt, e.response_message_id AS responseMessageId,
      e.staff_id AS staffId, coalesce(c.code, 0) AS staffCode
    FROM stats_episodes e INDEXED BY stats_episodes_by_start LEFT JOIN stats_staff_codes c ON c.staff_id = e.staff_id
    WHERE e.start_at >= :from AND e.start_at < :to
    ORDER BY e.start_at, e.conversation_id, e.start_message_id`,
  dirtyConversations: 'SELECT conversation_id FROM stats_dirty',
  /** One conversation's turns in conversation order: on equal times inbound first, then by id. */
  turns: `
    SELECT m.timestamp, m.id, m.direction, m.sender_staff_id
    FROM messages m INDEXED BY stats_turns
    WHERE m.conversation_id = ? AND ${turnWhere}
    ORDER BY m.timestamp, m.direction, m.id`,
  outboundIds: (cls: OutboundClass, withCode: boolean) => `
    SELECT m.id FROM messages m INDEXED BY ${cls === 'failed' ? 'stats_failed' : 'stats_outbound'}
    WHERE ${outboundWhere} AND ${range} AND ${labelFilter} AND ${staffFilter}
      ${cls === 'delivered' ? `AND ${delivered}` : cls === 'read' ? `AND ${read}` : cls === 'failed' ? `AND ${failed}` : ''}
      ${withCode ? 'AND m.error_code IS :code' : ''}
    ORDER BY m.timestamp, m.id`,
  inboundIds: `
    SELECT m.id FROM messages m INDEXED BY stats_inbound
    WHERE ${inboundWhere} AND ${range} AND ${labelFilter}
    ORDER BY m.timestamp, m.id`,
  unreadConversations: `
    SELECT c.id FROM conversations c
    WHERE (c.unread_count > 0 OR c.manual_unread = 1)
      AND (:label IS NULL OR c.id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = :label))
    ORDER BY c.id`,
  labelConversations: 'SELECT conversation_id FROM conversation_labels WHERE label_id = ?',
  labels: 'SELECT id, name FROM labels ORDER BY position, id',
  staff: 'SELECT id, name FROM staff ORDER BY name, id',
} as const;

export interface StatsRepository {
  /** Rebuilds the episodes of every conversation whose turns changed since the last read. */
  refreshEpisodes(): number;
  countsBySlot(p: RangeParams): SlotCounts[];
  countsByStaff(p: RangeParams): GroupCounts[];
  countsByLabel(p: RangeParams): GroupCounts[];
  failedByCode(p: RangeParams): Array<{ code: number | null; count: number }>;
  /** Every episode starting in [from, to) (no label or staff filter: the caller groups them). */
  episodes(p: RangeParams): EpisodeColumns;
  /** The same episodes with their message ids, in the same order. */
  episodeRows(p: RangeParams): EpisodeRow[];
  outboundIds(p: RangeParams, cls: OutboundClass, code?: number | null): number[];
  inboundIds(p: RangeParams): number[];
  unreadConversations(labelId: number | null): number[];
  labelConversations(labelId: number): number[];
  labels(): Array<{ id: number; name: string }>;
  staff(): Array<{ id: string; name: string }>;
}

/** The aggregates count whole slots: a range must start and end on a quarter hour (local midnights do). */
function slotParams(p: RangeParams): SlotParams {
  if (p.from % slotMs !== 0 || p.to % slotMs !== 0) throw new RangeError('A statistics range starts and ends on a quarter hour');
  return { fromSlot: p.from / slotMs, toSlot: p.to / slotMs, label: p.label ?? 0, staff: p.staff };
}

/**
 * Episodes of one conversation from its turns in order: an episode starts at an inbound turn with no
 * inbound turn open before it (the first ever, or the first after a staff message), and ends at the next staff
 * message — its response — or stays open. The last inbound before the response ends the burst.
 */
export function episodesFromTurns(conversationId: number, turns: Iterable<[number, number, 'in' | 'out', string | null]>): StoredEpisode[] {
  const episodes: StoredEpisode[] = [];
  let open: StoredEpisode | null = null;
  for (const [ts, id, direction, staff] of turns) {
    if (direction === 'in') {
      if (open) open[3] = ts;
      else open = [conversationId, ts, id, ts, null, null, null];
    } else if (open) {
      open[4] = ts;
      open[5] = id;
      open[6] = staff;
      episodes.push(open);
      open = null;
    }
  }
  if (open) episodes.push(open);
  return episodes;
}

export function createStatsRepository(db: Database.Database): StatsRepository {
  const q = <P extends object | unknown[], R>(sql: string) => db.prepare<P, R>(sql);
  const bySlot = q<SlotParams, SlotCounts>(statsSql.countsBySlot);
  const byStaff = q<SlotParams, GroupCounts>(statsSql.countsByStaff);
  const byLabel = q<SlotParams, GroupCounts>(statsSql.countsByLabel);
  const failedByCode = q<RangeParams, { code: number | null; count: number }>(statsSql.failedByCode);
  const blocks = q<{ fromDay: number; lastDay: number }, { day: number; data: Buffer }>(statsSql.episodeBlocks);
  const inRange = q<{ from: number; to: number }, EpisodeRow>(statsSql.episodesInRange);
  const storedOf = q<[number], StoredEpisode>(
    'SELECT conversation_id, start_at, start_message_id, last_inbound_at, response_at, response_message_id, staff_id FROM stats_episodes WHERE conversation_id = ?',
  ).raw();
  const writeBlock = q<[number, Buffer], unknown>('INSERT INTO stats_episode_blocks(day, data) VALUES (?, ?) ON CONFLICT DO UPDATE SET data = excluded.data');
  const dropBlock = q<[number], unknown>('DELETE FROM stats_episode_blocks WHERE day = ?');
  const codeOf = q<[string], number>('SELECT code FROM stats_staff_codes WHERE staff_id = ?').pluck();
  const addCode = q<[string], unknown>('INSERT OR IGNORE INTO stats_staff_codes(staff_id) VALUES (?)');
  const codes = q<[], [number, string]>('SELECT code, staff_id FROM stats_staff_codes').raw();
  const dirty = q<[], number>(statsSql.dirtyConversations).pluck();
  const turns = q<[number], [number, number, 'in' | 'out', string | null]>(statsSql.turns).raw();
  const deleteEpisode = q<[number, number, number], unknown>('DELETE FROM stats_episodes WHERE conversation_id = ? AND start_at = ? AND start_message_id = ?');
  const insertEpisode = q<StoredEpisode, unknown>(
    'INSERT INTO stats_episodes(conversation_id, start_at, start_message_id, last_inbound_at, response_at, response_message_id, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const clean = q<[number], unknown>('DELETE FROM stats_dirty WHERE conversation_id = ?');
  const outIds = new Map<string, Database.Statement<RangeParams & { code?: number | null }, number>>();
  const inIds = q<RangeParams, number>(statsSql.inboundIds).pluck();
  const unread = q<{ label: number | null }, number>(statsSql.unreadConversations).pluck();
  const labelConversations = q<[number], number>(statsSql.labelConversations).pluck();
  const labels = q<[], { id: number; name: string }>(statsSql.labels);
  const staff = q<[], { id: string; name: string }>(statsSql.staff);

  /** Packs the episodes starting on one UTC day into its block. */
  const pack = (day: number) => {
    const rows = inRange.all({ from: day * dayMs, to: (day + 1) * dayMs });
    if (rows.length === 0) dropBlock.run(day);
    else writeBlock.run(day, encodeBlock(day, rows));
  };

  const refresh = db.transaction(() => {
    const conversations = dirty.all();
    const touched = new Set<number>();
    for (const c of conversations) {
      // Only the episodes that changed are rewritten, and only their days repacked: a new message usually
      // changes the conversation's last episode alone, however long its history.
      const stored = new Map(storedOf.all(c).map((e) => [JSON.stringify(e), e]));
      const rewritten = new Set<string>();
      for (const e of episodesFromTurns(c, turns.iterate(c))) {
        if (stored.delete(JSON.stringify(e))) continue;
        rewritten.add(`${e[1]}|${e[2]}`);
        if (e[6] !== null && codeOf.get(e[6]) === undefined) addCode.run(e[6]);
        deleteEpisode.run(c, e[1], e[2]);
        insertEpisode.run(...e);
        touched.add(Math.floor(e[1] / dayMs));
      }
      for (const gone of stored.values()) {
        // Unless rewritten above (same start, new answer), it no longer exists.
        if (rewritten.has(`${gone[1]}|${gone[2]}`)) continue;
        deleteEpisode.run(c, gone[1], gone[2]);
        touched.add(Math.floor(gone[1] / dayMs));
      }
      clean.run(c);
    }
    for (const day of touched) pack(day);
    return conversations.length;
  });

  const readEpisodes = (p: RangeParams): EpisodeColumns =>
    decodeBlocks(blocks.all({ fromDay: Math.floor(p.from / dayMs), lastDay: Math.floor((p.to - 1) / dayMs) }), p.from, p.to, new Map(codes.all()));

  return {
    refreshEpisodes: () => refresh.immediate(),
    countsBySlot: (p) => bySlot.all(slotParams(p)),
    countsByStaff: (p) => byStaff.all(slotParams(p)),
    countsByLabel: (p) => byLabel.all(slotParams(p)),
    failedByCode: (p) => failedByCode.all(p),
    episodes: readEpisodes,
    episodeRows: (p) => inRange.all({ from: p.from, to: p.to }),
    outboundIds(p, cls, code) {
      const withCode = code !== undefined;
      const key = `${cls}:${withCode}`;
      let stmt = outIds.get(key);
      if (!stmt) outIds.set(key, (stmt = db.prepare<RangeParams & { code?: number | null }, number>(statsSql.outboundIds(cls, withCode)).pluck()));
      return stmt.all(withCode ? { ...p, code } : p);
    },
    inboundIds: (p) => inIds.all(p),
    unreadConversations: (label) => unread.all({ label }),
    labelConversations: (labelId) => labelConversations.all(labelId),
    labels: () => labels.all(),
    staff: () => staff.all(),
  };
}
