import type Database from 'better-sqlite3';
import type { Direction, MessageStatus } from '../archive/types';

/**
 * The read model of the statistics' drill-down lists: what a list row shows for given message ids (the chat's
 * name, a preview, status, error, sender), and the newest-first order of a set of ids. The ids come from the
 * stats module (electron/core/stats), which owns which messages are behind a figure; this only reads them out,
 * by primary key, for one page at a time.
 */

export interface DrillMessageRow {
  id: number;
  conversationId: number;
  groupId: string | null;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  waId: string | null;
  username: string | null;
  userId: string | null;
  direction: Direction;
  type: string;
  text: string | null;
  caption: string | null;
  fileName: string | null;
  status: MessageStatus | null;
  errorCode: number | null;
  errorTitle: string | null;
  automatic: 'greeting' | 'away' | null;
  staffName: string | null;
  timestamp: number;
  revokedAt: number | null;
}

export interface DrillDownRows {
  /** The rows of these messages, in the order of `ids` (ids that no longer exist are left out). */
  messages(ids: readonly number[]): DrillMessageRow[];
  /** The same messages, newest first (timestamp, then id). */
  newestFirst(ids: readonly number[]): number[];
  /** Conversations by latest activity, newest first. */
  conversationsByActivity(ids: readonly number[]): number[];
}

const cache = new WeakMap<Database.Database, DrillDownRows>();

/** Statements prepared once per open archive. */
export function drillDownRows(db: Database.Database): DrillDownRows {
  let rows = cache.get(db);
  if (!rows) {
    rows = createDrillDownRows(db);
    cache.set(db, rows);
  }
  return rows;
}

function createDrillDownRows(db: Database.Database): DrillDownRows {
  const messages = db.prepare<{ ids: string }, DrillMessageRow>(`
    SELECT m.id, m.conversation_id AS conversationId, cv.group_id AS groupId, c.saved_name AS savedName,
      c.profile_name AS profileName, c.phone, c.wa_id AS waId, c.username, c.user_id AS userId, m.direction, m.type,
      m.text, m.caption, md.file_name AS fileName, m.status, m.error_code AS errorCode, m.error_title AS errorTitle,
      m.automatic, s.name AS staffName, m.timestamp, m.revoked_at AS revokedAt
    FROM messages m
    JOIN conversations cv ON cv.id = m.conversation_id
    LEFT JOIN contacts c ON c.id = cv.contact_id
    LEFT JOIN media md ON md.id = m.media_id
    LEFT JOIN staff s ON s.id = m.sender_staff_id
    WHERE m.id IN (SELECT value FROM json_each(:ids))`);
  const newest = db
    .prepare<{ ids: string }, number>('SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(:ids)) ORDER BY timestamp DESC, id DESC')
    .pluck();
  const byActivity = db
    .prepare<{ ids: string }, number>('SELECT id FROM conversations WHERE id IN (SELECT value FROM json_each(:ids)) ORDER BY last_activity_at DESC, id DESC')
    .pluck();
  return {
    messages(ids) {
      if (ids.length === 0) return [];
      const found = new Map(messages.all({ ids: JSON.stringify(ids) }).map((r) => [r.id, r]));
      return ids.map((id) => found.get(id)).filter((r): r is DrillMessageRow => r !== undefined);
    },
    newestFirst: (ids) => (ids.length === 0 ? [] : newest.all({ ids: JSON.stringify(ids) })),
    conversationsByActivity: (ids) => (ids.length === 0 ? [] : byActivity.all({ ids: JSON.stringify(ids) })),
  };
}
