import type Database from 'better-sqlite3';
import type { Message, MessageCursor, MessageInsertResult, NewMessage, Page } from '../types';
import type { ConversationsRepository } from './conversations';
import type { SearchIndexRepository } from './search-index';

export interface MessagesRepository {
  /**
   * Stores a message, indexes it for search and updates its conversation's summary, in one transaction.
   * Idempotent: a wamid or client id already stored returns the existing row with `inserted: false`.
   */
  insert(message: NewMessage, options?: { countsAsUnread?: boolean }): MessageInsertResult;
  get(id: number): Message | undefined;
  getByWamid(wamid: string): Message | undefined;
  getByClientId(clientId: string): Message | undefined;
  /** A conversation's history, newest first, before `before` (exclusive); `next` continues further back. */
  pageOfConversation(conversationId: number, options?: { before?: MessageCursor | null; limit?: number }): Page<Message, MessageCursor>;
  /** An edit from the customer (coexistence numbers): new words indexed, old ones gone. */
  applyEdit(id: number, edit: { text: string | null; caption: string | null; editedAt: number }): void;
  setStarred(id: number, starred: boolean): void;
  /**
   * Staff opened the chat: its unread inbound messages get `read_at`. Returns how many, and the newest of
   * them that Meta can be told about (a wamid, not a group message): one read receipt covers every earlier one.
   */
  markConversationRead(conversationId: number, at: number): { count: number; newest: { wamid: string; timestamp: number } | null };
  /** Deletes messages (search entries go with them); returns how many were deleted. */
  delete(ids: readonly number[]): number;
  /**
   * Outbox: Meta accepted the send. Sets the wamid and `sent` over pending/unknown/not_confirmed (or a
   * `failed` with no wamid, which a status webhook proves was accepted after all); later statuses are left
   * alone. Does nothing when the message has another wamid or another message holds this one. True when the
   * message now has this wamid.
   */
  markAccepted(id: number, wamid: string, at: number): boolean;
  /**
   * Outbox: a send state before Meta's statuses take over (pending, failed, unknown, not_confirmed). Only
   * moves a message still in pending/unknown/not_confirmed: a status from Meta always wins.
   */
  setSendState(id: number, status: 'pending' | 'failed' | 'unknown' | 'not_confirmed', at: number, error?: { code: number | null; title: string | null }): boolean;
}

const messageColumns = `
  id, wamid, client_id AS clientId, conversation_id AS conversationId, direction, type, text, caption,
  payload_json AS payloadJson, reply_to_wamid AS replyToWamid, status, status_at AS statusAt,
  error_code AS errorCode, error_title AS errorTitle, sender_staff_id AS senderStaffId, automatic, timestamp,
  received_at AS receivedAt, read_at AS readAt, edited_at AS editedAt, revoked_at AS revokedAt, starred,
  is_group AS isGroup, group_id AS groupId, author_contact_id AS authorContactId, media_id AS mediaId`;

type MessageRow = Omit<Message, 'starred' | 'isGroup'> & { starred: number; isGroup: number };

/** The insert statement's named parameters: a stored row before the columns later events fill in. */
type InsertParams = Omit<MessageRow, 'id' | 'readAt' | 'editedAt' | 'revokedAt' | 'starred'>;

function toMessage(r: MessageRow): Message {
  return { ...r, starred: r.starred === 1, isGroup: r.isGroup === 1 };
}

/** Notices, not conversation: they never make a chat unread. */
const neverUnread = new Set(['system', 'reaction']);

const defaultLimit = 50;
const maxLimit = 500;

export function createMessagesRepository(
  db: Database.Database,
  deps: { now: () => number; conversations: ConversationsRepository; searchIndex: SearchIndexRepository },
): MessagesRepository {
  // ON CONFLICT DO NOTHING (not INSERT OR IGNORE, which would also swallow CHECK and NOT NULL violations).
  const insert = db.prepare<InsertParams>(`
    INSERT INTO messages(wamid, client_id, conversation_id, direction, type, text, caption, payload_json, reply_to_wamid,
      status, status_at, error_code, error_title, sender_staff_id, automatic, timestamp, received_at, is_group, group_id,
      author_contact_id, media_id)
    VALUES (:wamid, :clientId, :conversationId, :direction, :type, :text, :caption, :payloadJson, :replyToWamid,
      :status, :statusAt, :errorCode, :errorTitle, :senderStaffId, :automatic, :timestamp, :receivedAt, :isGroup, :groupId,
      :authorContactId, :mediaId)
    ON CONFLICT DO NOTHING`);
  const byId = db.prepare<[number], MessageRow>(`SELECT ${messageColumns} FROM messages WHERE id = ?`);
  const byWamid = db.prepare<[string], MessageRow>(`SELECT ${messageColumns} FROM messages WHERE wamid = ?`);
  const byClientId = db.prepare<[string], MessageRow>(`SELECT ${messageColumns} FROM messages WHERE client_id = ?`);
  const page = db.prepare<{ conversationId: number; ts: number; id: number; limit: number }, MessageRow>(`
    SELECT ${messageColumns} FROM messages
    WHERE conversation_id = :conversationId AND (timestamp, id) < (:ts, :id)
    ORDER BY timestamp DESC, id DESC
    LIMIT :limit`);
  const edit = db.prepare<[string | null, string | null, number, number]>('UPDATE messages SET text = ?, caption = ?, edited_at = ? WHERE id = ?');
  const star = db.prepare<[number, number]>('UPDATE messages SET starred = ? WHERE id = ?');
  // Both read through messages_unread_inbound (migration 2): only the unread rows.
  const newestUnread = db.prepare<[number], { wamid: string; timestamp: number }>(`
    SELECT wamid, timestamp FROM messages
    WHERE conversation_id = ? AND direction = 'in' AND read_at IS NULL AND wamid IS NOT NULL AND is_group = 0
    ORDER BY timestamp DESC LIMIT 1`);
  const markRead = db.prepare<[number, number]>("UPDATE messages SET read_at = ? WHERE conversation_id = ? AND direction = 'in' AND read_at IS NULL");
  const conversationOf = db.prepare<[number], number>('SELECT conversation_id FROM messages WHERE id = ?').pluck();
  const remove = db.prepare<[number]>('DELETE FROM messages WHERE id = ?');
  // Outbox send states. Every right-hand side sees the old values, so `open` is evaluated before the update.
  // Nothing changes when the wamid belongs to another message, or this one was accepted as another wamid.
  const open = "(status IN ('pending', 'unknown', 'not_confirmed') OR (status = 'failed' AND wamid IS NULL))";
  const accept = db.prepare<{ id: number; wamid: string; at: number }>(`
    UPDATE messages SET
      wamid       = :wamid,
      status_at   = CASE WHEN ${open} THEN :at ELSE status_at END,
      error_code  = CASE WHEN ${open} THEN NULL ELSE error_code END,
      error_title = CASE WHEN ${open} THEN NULL ELSE error_title END,
      status      = CASE WHEN ${open} THEN 'sent' ELSE status END
    WHERE id = :id AND direction = 'out'
      AND (wamid = :wamid OR (wamid IS NULL AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.wamid = :wamid)))`);
  const wamidOf = db.prepare<[number], string | null>('SELECT wamid FROM messages WHERE id = ?').pluck();
  const sendState = db.prepare<{ id: number; status: string; at: number; code: number | null; title: string | null }>(`
    UPDATE messages SET status = :status, status_at = :at, error_code = :code, error_title = :title
    WHERE id = :id AND direction = 'out' AND status IN ('pending', 'unknown', 'not_confirmed')`);

  const insertOne = (m: NewMessage, countsAsUnread: boolean | undefined): MessageInsertResult => {
    const direction = m.direction;
    const result = insert.run({
      wamid: m.wamid ?? null,
      clientId: m.clientId ?? null,
      conversationId: m.conversationId,
      direction,
      type: m.type,
      text: m.text ?? null,
      caption: m.caption ?? null,
      payloadJson: m.payload === undefined ? null : JSON.stringify(m.payload),
      replyToWamid: m.replyToWamid ?? null,
      status: direction === 'out' ? (m.status ?? 'pending') : null,
      statusAt: m.statusAt ?? null,
      errorCode: m.errorCode ?? null,
      errorTitle: m.errorTitle ?? null,
      senderStaffId: m.senderStaffId ?? null,
      automatic: m.automatic ?? null,
      timestamp: m.timestamp,
      receivedAt: m.receivedAt ?? deps.now(),
      isGroup: m.groupId ? 1 : 0,
      groupId: m.groupId ?? null,
      authorContactId: m.authorContactId ?? null,
      mediaId: m.mediaId ?? null,
    });
    if (result.changes === 0) {
      const existing = (m.wamid ? byWamid.get(m.wamid) : undefined) ?? (m.clientId ? byClientId.get(m.clientId) : undefined);
      if (!existing) throw new Error('Message insert was ignored but no duplicate was found');
      return { id: existing.id, inserted: false };
    }
    const id = Number(result.lastInsertRowid);
    deps.searchIndex.indexMessage(id, m.text, m.caption);
    deps.conversations.noteMessage(m.conversationId, {
      id,
      direction,
      timestamp: m.timestamp,
      byStaff: direction === 'out' && !m.automatic,
      unread: countsAsUnread ?? (direction === 'in' && !neverUnread.has(m.type)),
    });
    return { id, inserted: true };
  };
  const insertTx = db.transaction(insertOne);

  return {
    // Inside a caller's transaction no savepoint is opened: FTS5 flushes its pending terms at every
    // savepoint, which made bulk inserts four times slower. Atomicity holds without it: the INSERT comes
    // first and is the only step that can fail on data (constraints); the index and summary writes after
    // it can only fail on I/O, which aborts the caller's whole transaction anyway.
    insert: (message, options) => (db.inTransaction ? insertOne(message, options?.countsAsUnread) : insertTx.immediate(message, options?.countsAsUnread)),

    get: (id) => {
      const row = byId.get(id);
      return row && toMessage(row);
    },
    getByWamid: (wamid) => {
      const row = byWamid.get(wamid);
      return row && toMessage(row);
    },
    getByClientId: (clientId) => {
      const row = byClientId.get(clientId);
      return row && toMessage(row);
    },

    pageOfConversation(conversationId, options = {}) {
      const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? defaultLimit)), maxLimit);
      const before = options.before ?? { timestamp: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
      const rows = page.all({ conversationId, ts: before.timestamp, id: before.id, limit: limit + 1 });
      const more = rows.length > limit;
      if (more) rows.length = limit;
      const last = rows.at(-1);
      return { items: rows.map(toMessage), next: more && last ? { timestamp: last.timestamp, id: last.id } : null };
    },

    applyEdit(id, e) {
      db.transaction(() => {
        if (edit.run(e.text, e.caption, e.editedAt, id).changes === 0) return;
        deps.searchIndex.reindexMessage(id, e.text, e.caption);
      }).immediate();
    },

    setStarred: (id, starred) => void star.run(starred ? 1 : 0, id),

    markConversationRead(conversationId, at) {
      return db.transaction(() => {
        const newest = newestUnread.get(conversationId) ?? null;
        return { count: markRead.run(at, conversationId).changes, newest };
      }).immediate();
    },

    delete(ids) {
      return db.transaction(() => {
        const touched = new Set<number>();
        let deleted = 0;
        for (const id of ids) {
          const conversationId = conversationOf.get(id);
          if (conversationId === undefined) continue;
          touched.add(conversationId);
          // The messages_fts_remove trigger drops the search entry in the same statement.
          deleted += remove.run(id).changes;
        }
        for (const conversationId of touched) deps.conversations.refreshLastMessage(conversationId);
        return deleted;
      }).immediate();
    },

    markAccepted(id, wamid, at) {
      accept.run({ id, wamid, at });
      return wamidOf.get(id) === wamid;
    },

    setSendState: (id, status, at, error) =>
      sendState.run({ id, status, at, code: error?.code ?? null, title: error?.title ?? null }).changes > 0,
  };
}
