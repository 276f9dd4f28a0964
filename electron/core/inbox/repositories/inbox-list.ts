/**
 * The inbox list's read model (PRODUCT §2): which conversations a filter matches, in list order (pinned
 * first, then newest activity), a page of them by offset, the total, the unread summary and label counts.
 *
 * Paging reads only the conversations_by_activity index (or conversations_unread for the unread filter) up to
 * the page; the rows' details (contact, last message, labels) are then read for the page's ids alone.
 */
import type Database from 'better-sqlite3';
import type { Direction, MessageStatus } from '../../archive/types';

export interface InboxListFilter {
  archived: boolean;
  unread?: boolean;
  labelIds?: readonly number[];
  labelMode?: 'any' | 'all';
  window?: 'open' | 'closed';
  needsReply?: boolean;
  /** Last activity in [from, to). */
  from?: number;
  to?: number;
  /** FTS5 expressions for the search box (contacts_fts, messages_fts); a conversation matching either is in. */
  search?: { contacts: string | null; messages: string | null };
}

export interface InboxListRow {
  id: number;
  contactId: number | null;
  groupId: string | null;
  pinnedAt: number | null;
  archived: number;
  mutedUntil: number | null;
  unreadCount: number;
  manualUnread: number;
  lastActivityAt: number;
  lastInboundAt: number | null;
  lastStaffAt: number | null;
  draft: string | null;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  waId: string | null;
  username: string | null;
  userId: string | null;
  lmId: number | null;
  lmType: string | null;
  lmDirection: Direction | null;
  lmText: string | null;
  lmCaption: string | null;
  lmStatus: MessageStatus | null;
  lmAutomatic: string | null;
  lmRevokedAt: number | null;
  lmFileName: string | null;
  lmEmoji: string | null;
  /** Comma-separated label ids. */
  labelIds: string | null;
}

export interface LabelRow {
  id: number;
  name: string;
  colour: number;
  position: number;
}

export interface LabelCountRow extends LabelRow {
  conversations: number;
}

export interface InboxListRepository {
  /** Ids of one page of the filtered list, in list order, and how many match in all. */
  page(filter: InboxListFilter, at: { windowStart: number; offset: number; limit: number }): { ids: number[]; total: number };
  /** The rows for these ids (any order; missing ids are left out). */
  rows(ids: readonly number[]): InboxListRow[];
  /** Unread conversations (not archived) and unread messages over those not muted at `now`. */
  unread(now: number): { conversations: number; messages: number };
  /** When the next timed mute of an unread conversation ends (its unread then counts again), or null. */
  nextMuteExpiry(now: number): number | null;
  labels(): LabelRow[];
  /** Labels in display order with how many conversations (not archived) carry each. */
  labelCounts(): LabelCountRow[];
}

const rowColumns = `
  cv.id, cv.contact_id AS contactId, cv.group_id AS groupId, cv.pinned_at AS pinnedAt, cv.archived, cv.muted_until AS mutedUntil,
  cv.unread_count AS unreadCount, cv.manual_unread AS manualUnread, cv.last_activity_at AS lastActivityAt,
  cv.last_inbound_at AS lastInboundAt, cv.last_staff_at AS lastStaffAt, cv.draft,
  c.saved_name AS savedName, c.profile_name AS profileName, c.phone, c.wa_id AS waId, c.username, c.user_id AS userId,
  lm.id AS lmId, lm.type AS lmType, lm.direction AS lmDirection, lm.text AS lmText, lm.caption AS lmCaption,
  lm.status AS lmStatus, lm.automatic AS lmAutomatic, lm.revoked_at AS lmRevokedAt, md.file_name AS lmFileName,
  CASE WHEN lm.type = 'reaction' THEN json_extract(lm.payload_json, '$.reaction.emoji') END AS lmEmoji,
  (SELECT group_concat(cl.label_id) FROM conversation_labels cl WHERE cl.conversation_id = cv.id) AS labelIds`;

/** The WHERE terms of a filter; the same for the page and the total. Exported for the query-plan test. */
export function filterSql(f: InboxListFilter): { where: string; params: Record<string, unknown> } {
  const where = ['cv.archived = :archived'];
  const params: Record<string, unknown> = { archived: f.archived ? 1 : 0 };
  // Written exactly as conversations_unread's WHERE, so the planner can use that partial index.
  if (f.unread) where.push('(cv.unread_count > 0 OR cv.manual_unread = 1)');
  const labelIds = [...new Set(f.labelIds ?? [])];
  if (labelIds.length > 0) {
    params.labels = JSON.stringify(labelIds);
    const carried = 'FROM conversation_labels cl WHERE cl.conversation_id = cv.id AND cl.label_id IN (SELECT value FROM json_each(:labels))';
    if (f.labelMode === 'all') {
      where.push(`(SELECT count(*) ${carried}) = :labelCount`);
      params.labelCount = labelIds.length;
    } else {
      where.push(`EXISTS (SELECT 1 ${carried})`);
    }
  }
  // Groups have no service window and are never answered from here: these filters leave them out. The unary
  // + keeps the planner off the group_id index, where IS NULL matches nearly every conversation.
  const notGroup = '+cv.group_id IS NULL';
  if (f.window === 'open') where.push(`cv.last_inbound_at > :windowStart AND ${notGroup}`);
  if (f.window === 'closed') where.push(`(cv.last_inbound_at IS NULL OR cv.last_inbound_at <= :windowStart) AND ${notGroup}`);
  // Written exactly as conversations_needs_reply's WHERE.
  if (f.needsReply) where.push(`cv.last_inbound_at > ifnull(cv.last_staff_at, 0) AND ${notGroup}`);
  if (f.from !== undefined) {
    where.push('cv.last_activity_at >= :from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    where.push('cv.last_activity_at < :to');
    params.to = f.to;
  }
  if (f.search) {
    const either: string[] = [];
    if (f.search.contacts) {
      either.push('cv.contact_id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :contactMatch)');
      params.contactMatch = f.search.contacts;
    }
    if (f.search.messages) {
      either.push('cv.id IN (SELECT m.conversation_id FROM messages m WHERE m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH :messageMatch))');
      params.messageMatch = f.search.messages;
    }
    where.push(either.length > 0 ? `(${either.join(' OR ')})` : '0');
  }
  return { where: where.join(' AND '), params };
}

/** The page's SQL (ids only, in list order). Exported for the query-plan test. */
export function pageSql(where: string): string {
  return `SELECT cv.id FROM conversations cv WHERE ${where}
    ORDER BY cv.pinned DESC, cv.last_activity_at DESC, cv.id DESC LIMIT :limit OFFSET :offset`;
}

export function countSql(where: string): string {
  return `SELECT count(*) FROM conversations cv WHERE ${where}`;
}

/**
 * The badge: unread conversations and, over those not muted, unread messages (a conversation marked unread
 * counts as one). Named index: the badge is recounted after every change, and must never read more than
 * the unread conversations, whatever statistics the planner has. Exported for the query-plan test.
 */
export const unreadSql = `
  SELECT count(*) AS conversations,
    sum(CASE WHEN cv.muted_until IS NULL OR cv.muted_until <= :now THEN max(cv.unread_count, cv.manual_unread) ELSE 0 END) AS messages
  FROM conversations cv INDEXED BY conversations_unread
  WHERE cv.archived = 0 AND (cv.unread_count > 0 OR cv.manual_unread = 1)`;

export function createInboxListRepository(db: Database.Database): InboxListRepository {
  // Statements differ only by which filters are present: a few dozen shapes, prepared on first use.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const rows = db.prepare<{ ids: string }, InboxListRow>(`
    SELECT ${rowColumns}
    FROM conversations cv
    LEFT JOIN contacts c ON c.id = cv.contact_id
    LEFT JOIN messages lm ON lm.id = cv.last_message_id
    LEFT JOIN media md ON md.id = lm.media_id
    WHERE cv.id IN (SELECT value FROM json_each(:ids))`);
  const unread = db.prepare<{ now: number }, { conversations: number; messages: number | null }>(unreadSql);
  const nextMuteExpiry = db
    .prepare<{ now: number; always: number }, number | null>(
      // Only the few muted conversations are read (migration 0003), never the whole list.
      'SELECT min(muted_until) FROM conversations INDEXED BY conversations_muted WHERE muted_until > :now AND muted_until < :always AND archived = 0 AND (unread_count > 0 OR manual_unread = 1)',
    )
    .pluck();
  const labels = db.prepare<[], LabelRow>('SELECT id, name, colour, position FROM labels ORDER BY position, id');
  const labelCounts = db.prepare<[], LabelCountRow>(`
    SELECT l.id, l.name, l.colour, l.position,
      (SELECT count(*) FROM conversation_labels cl JOIN conversations cv ON cv.id = cl.conversation_id
        WHERE cl.label_id = l.id AND cv.archived = 0) AS conversations
    FROM labels l ORDER BY l.position, l.id`);

  return {
    page(filter, at) {
      const { where, params } = filterSql(filter);
      if (where.includes(':windowStart')) params.windowStart = at.windowStart;
      const total = prepared(countSql(where)).pluck().get(params) as number;
      const ids = total > at.offset ? (prepared(pageSql(where)).pluck().all({ ...params, limit: at.limit, offset: at.offset }) as number[]) : [];
      return { ids, total };
    },
    rows: (ids) => (ids.length === 0 ? [] : rows.all({ ids: JSON.stringify(ids) })),
    unread(now) {
      const r = unread.get({ now })!;
      return { conversations: r.conversations, messages: r.messages ?? 0 };
    },
    nextMuteExpiry: (now) => nextMuteExpiry.get({ now, always: Number.MAX_SAFE_INTEGER }) ?? null,
    labels: () => labels.all(),
    labelCounts: () => labelCounts.all(),
  };
}
