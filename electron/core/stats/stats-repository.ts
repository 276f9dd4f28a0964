import type Database from 'better-sqlite3';

/**
 * The statistics' reads (PRODUCT §10). Every query reads one of the partial covering indexes of migration
 * 0005 (stats_outbound, stats_inbound, stats_turns) over a time range, or looks up one conversation's turns
 * by (conversation_id, timestamp): none visits the messages table row by row (tests/core/stats checks the
 * plans). The predicates below repeat the indexes' WHERE clauses word for word, which is what lets SQLite
 * use them; metrics.ts says what each one means.
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
const staffFilter = '(:staff IS NULL OR m.sender_staff_id = :staff)';
const range = 'm.timestamp >= :from AND m.timestamp < :to';

export interface RangeParams {
  from: number;
  to: number;
  label: number | null;
  staff: string | null;
}

export interface OutboundBucket {
  bucket: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface OutboundGroup {
  key: string | number | null;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface TurnBoundary {
  c: number;
  ts: number;
  id: number;
  pd: 'in' | 'out' | null;
  nd: 'in' | 'out' | null;
  nts: number | null;
  nid: number | null;
  nstaff: string | null;
}

export interface Turn {
  ts: number;
  id: number;
  d: 'in' | 'out';
  staff: string | null;
}

export type OutboundClass = 'sent' | 'delivered' | 'read' | 'failed';

const counts = `count(*) AS sent, sum(${delivered}) AS delivered, sum(${read}) AS read, sum(${failed}) AS failed`;

/** Every query's SQL, by name, for the query-plan test. */
export const statsSql = {
  outboundByHour: `
    SELECT CAST((m.timestamp - :anchor) / 3600000 AS INTEGER) AS bucket, ${counts}
    FROM messages m INDEXED BY stats_outbound
    WHERE ${outboundWhere} AND ${range} AND ${labelFilter} AND ${staffFilter}
    GROUP BY bucket`,
  inboundByHour: `
    SELECT CAST((m.timestamp - :anchor) / 3600000 AS INTEGER) AS bucket, count(*) AS received
    FROM messages m INDEXED BY stats_inbound
    WHERE ${inboundWhere} AND ${range} AND ${labelFilter}
    GROUP BY bucket`,
  failedByCode: `
    SELECT m.error_code AS code, count(*) AS count
    FROM messages m INDEXED BY stats_outbound
    WHERE ${outboundWhere} AND ${range} AND ${labelFilter} AND ${staffFilter} AND ${failed}
    GROUP BY m.error_code ORDER BY count DESC, code`,
  outboundByStaff: `
    SELECT m.sender_staff_id AS key, ${counts}
    FROM messages m INDEXED BY stats_outbound
    WHERE ${outboundWhere} AND ${range} AND ${labelFilter} AND ${staffFilter}
    GROUP BY m.sender_staff_id`,
  outboundByLabel: `
    SELECT cl.label_id AS key, ${counts}
    FROM messages m INDEXED BY stats_outbound
    JOIN conversation_labels cl ON cl.conversation_id = m.conversation_id
    WHERE ${outboundWhere} AND ${range} AND ${labelFilter} AND ${staffFilter}
    GROUP BY cl.label_id`,
  inboundByLabel: `
    SELECT cl.label_id AS key, count(*) AS received
    FROM messages m INDEXED BY stats_inbound
    JOIN conversation_labels cl ON cl.conversation_id = m.conversation_id
    WHERE ${inboundWhere} AND ${range} AND ${labelFilter}
    GROUP BY cl.label_id`,
  /**
   * The turns where an episode may start or a burst ends: inbound turns whose previous turn (in range) is
   * not inbound, or whose next one is not. Ties on time order inbound first, then by id.
   */
  turnBoundaries: `
    WITH t AS (
      SELECT m.conversation_id AS c, m.timestamp AS ts, m.direction AS d, m.id AS id, m.sender_staff_id AS staff
      FROM conversations cv CROSS JOIN messages m INDEXED BY stats_turns
      WHERE m.conversation_id = cv.id AND ${turnWhere} AND ${range} AND ${labelFilter}
    ), w AS (
      SELECT c, ts, d, id, lag(d) OVER win AS pd, lead(d) OVER win AS nd, lead(ts) OVER win AS nts,
        lead(id) OVER win AS nid, lead(staff) OVER win AS nstaff
      FROM t WINDOW win AS (PARTITION BY c ORDER BY ts, d, id)
    )
    SELECT c, ts, id, pd, nd, nts, nid, nstaff FROM w
    WHERE d = 'in' AND (pd IS NULL OR pd = 'out' OR nd IS NULL OR nd = 'out')`,
  previousTurn: `
    SELECT m.timestamp AS ts, m.id, m.direction AS d, m.sender_staff_id AS staff
    FROM messages m INDEXED BY stats_turns
    WHERE m.conversation_id = :c AND ${turnWhere} AND m.timestamp < :before
    ORDER BY m.timestamp DESC, m.direction DESC, m.id DESC LIMIT 1`,
  nextStaffTurn: `
    SELECT m.timestamp AS ts, m.id, m.direction AS d, m.sender_staff_id AS staff
    FROM messages m INDEXED BY stats_turns
    WHERE m.conversation_id = :c AND ${turnWhere} AND m.timestamp >= :from AND m.direction = 'out'
    ORDER BY m.timestamp, m.direction, m.id LIMIT 1`,
  lastInboundUpTo: `
    SELECT max(m.timestamp)
    FROM messages m INDEXED BY stats_turns
    WHERE m.conversation_id = :c AND ${turnWhere} AND m.timestamp <= :at AND m.direction = 'in'`,
  outboundIds: (cls: OutboundClass, withCode: boolean) => `
    SELECT m.id FROM messages m INDEXED BY stats_outbound
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
  outboundByHour(p: RangeParams, anchor: number): OutboundBucket[];
  inboundByHour(p: RangeParams, anchor: number): Array<{ bucket: number; received: number }>;
  failedByCode(p: RangeParams): Array<{ code: number | null; count: number }>;
  outboundByStaff(p: RangeParams): OutboundGroup[];
  outboundByLabel(p: RangeParams): OutboundGroup[];
  inboundByLabel(p: RangeParams): Array<{ key: number; received: number }>;
  turnBoundaries(p: RangeParams): TurnBoundary[];
  previousTurn(conversationId: number, before: number): Turn | undefined;
  nextStaffTurn(conversationId: number, from: number): Turn | undefined;
  lastInboundUpTo(conversationId: number, at: number): number | null;
  outboundIds(p: RangeParams, cls: OutboundClass, code?: number | null): number[];
  inboundIds(p: RangeParams): number[];
  unreadConversations(labelId: number | null): number[];
  labelConversations(labelId: number): number[];
  labels(): Array<{ id: number; name: string }>;
  staff(): Array<{ id: string; name: string }>;
}

export function createStatsRepository(db: Database.Database): StatsRepository {
  const q = <P extends object | unknown[], R>(sql: string) => db.prepare<P, R>(sql);
  const outboundByHour = q<RangeParams & { anchor: number }, OutboundBucket>(statsSql.outboundByHour);
  const inboundByHour = q<RangeParams & { anchor: number }, { bucket: number; received: number }>(statsSql.inboundByHour);
  const failedByCode = q<RangeParams, { code: number | null; count: number }>(statsSql.failedByCode);
  const byStaff = q<RangeParams, OutboundGroup>(statsSql.outboundByStaff);
  const byLabel = q<RangeParams, OutboundGroup>(statsSql.outboundByLabel);
  const inByLabel = q<RangeParams, { key: number; received: number }>(statsSql.inboundByLabel);
  const boundaries = q<RangeParams, TurnBoundary>(statsSql.turnBoundaries);
  const previous = q<{ c: number; before: number }, Turn>(statsSql.previousTurn);
  const nextStaff = q<{ c: number; from: number }, Turn>(statsSql.nextStaffTurn);
  const lastInbound = q<{ c: number; at: number }, number | null>(statsSql.lastInboundUpTo).pluck();
  const outIds = new Map<string, Database.Statement<RangeParams & { code?: number | null }, number>>();
  const inIds = q<RangeParams, number>(statsSql.inboundIds).pluck();
  const unread = q<{ label: number | null }, number>(statsSql.unreadConversations).pluck();
  const labelConversations = q<[number], number>(statsSql.labelConversations).pluck();
  const labels = q<[], { id: number; name: string }>(statsSql.labels);
  const staff = q<[], { id: string; name: string }>(statsSql.staff);

  return {
    outboundByHour: (p, anchor) => outboundByHour.all({ ...p, anchor }),
    inboundByHour: (p, anchor) => inboundByHour.all({ ...p, anchor }),
    failedByCode: (p) => failedByCode.all(p),
    outboundByStaff: (p) => byStaff.all(p),
    outboundByLabel: (p) => byLabel.all(p),
    inboundByLabel: (p) => inByLabel.all(p),
    turnBoundaries: (p) => boundaries.all(p),
    previousTurn: (c, before) => previous.get({ c, before }),
    nextStaffTurn: (c, from) => nextStaff.get({ c, from }),
    lastInboundUpTo: (c, at) => lastInbound.get({ c, at }) ?? null,
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
