import type Database from 'better-sqlite3';
import { contactDisplayName } from '../display-name';
import type { Conversation, ConversationCursor, ConversationListItem, ConversationPageQuery, Direction, MessageStatus, Page } from '../types';

export interface ConversationsRepository {
  get(id: number): Conversation | undefined;
  forContact(contactId: number): Conversation | undefined;
  /** The contact's conversation, created on first need (one per contact). */
  getOrCreateForContact(contactId: number): { conversation: Conversation; created: boolean };
  getOrCreateForGroup(groupId: string): { conversation: Conversation; created: boolean };
  /** Inbox list: pinned first, then newest activity; cursor paging, never OFFSET. */
  page(query?: ConversationPageQuery): Page<ConversationListItem, ConversationCursor>;
  /** Keeps the list's summary (activity, preview, 24-hour window, unread) in step with a stored message. */
  noteMessage(conversationId: number, message: NotedMessage): void;
  /** Recomputes the preview after messages were deleted. */
  refreshLastMessage(conversationId: number): void;
  setPinned(id: number, pinned: boolean): void;
  setArchived(id: number, archived: boolean): void;
  setMutedUntil(id: number, until: number | null): void;
  markRead(id: number): void;
  markUnread(id: number): void;
  setDraft(id: number, draft: string | null): void;
  /** Moves everything of `goneId` into `keepId` and deletes `goneId` (two records of one person merged). */
  absorb(keepId: number, goneId: number): void;
  /** Hands a conversation to another contact (the merged one had none). */
  reassignContact(id: number, contactId: number): void;
}

export interface NotedMessage {
  id: number;
  direction: Direction;
  timestamp: number;
  /** A person on the staff wrote it (outbound and not automatic): "needs reply" and statistics count it. */
  byStaff: boolean;
  /** Adds one to the unread count (inbound, not a system notice). */
  unread: boolean;
}

const conversationColumns = `
  cv.id, cv.contact_id AS contactId, cv.group_id AS groupId, cv.pinned_at AS pinnedAt, cv.archived,
  cv.muted_until AS mutedUntil, cv.unread_count AS unreadCount, cv.manual_unread AS manualUnread,
  cv.last_activity_at AS lastActivityAt, cv.last_inbound_at AS lastInboundAt, cv.last_staff_at AS lastStaffAt,
  cv.last_message_id AS lastMessageId, cv.draft, cv.created_at AS createdAt`;

type ConversationRow = Omit<Conversation, 'archived' | 'manualUnread'> & { archived: number; manualUnread: number };

interface ListRow extends ConversationRow {
  pinned: number;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId: string | null;
  lmDirection: Direction | null;
  lmType: string | null;
  lmText: string | null;
  lmCaption: string | null;
  lmStatus: MessageStatus | null;
  lmTimestamp: number | null;
  labelIds: string | null;
}

function toConversation(r: ConversationRow): Conversation {
  return { ...r, archived: r.archived === 1, manualUnread: r.manualUnread === 1 };
}

const defaultLimit = 50;
const maxLimit = 200;
// Above any real (pinned, time, id): the first page's "after".
const top = { pinned: 2, lastActivityAt: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };

export function createConversationsRepository(db: Database.Database, now: () => number): ConversationsRepository {
  const byId = db.prepare<[number], ConversationRow>(`SELECT ${conversationColumns} FROM conversations cv WHERE cv.id = ?`);
  const byContact = db.prepare<[number], ConversationRow>(`SELECT ${conversationColumns} FROM conversations cv WHERE cv.contact_id = ?`);
  const byGroup = db.prepare<[string], ConversationRow>(`SELECT ${conversationColumns} FROM conversations cv WHERE cv.group_id = ?`);
  const insertForContact = db.prepare<[number, number, number]>(
    'INSERT INTO conversations(contact_id, last_activity_at, created_at) VALUES (?, ?, ?)',
  );
  const insertForGroup = db.prepare<[string, number, number]>(
    'INSERT INTO conversations(group_id, last_activity_at, created_at) VALUES (?, ?, ?)',
  );
  // Every right-hand side sees the row's old values. The first message sets the activity time (the row's
  // creation time is only a placeholder); later ones only move it forward, since webhooks arrive out of order.
  const note = db.prepare<{ cid: number; id: number; dir: Direction; ts: number; staff: number; unread: number }>(`
    UPDATE conversations SET
      last_activity_at = CASE WHEN last_message_id IS NULL THEN :ts ELSE max(last_activity_at, :ts) END,
      last_message_id  = CASE WHEN last_message_id IS NULL OR :ts >= last_activity_at THEN :id ELSE last_message_id END,
      last_inbound_at  = CASE WHEN :dir = 'in' THEN max(ifnull(last_inbound_at, :ts), :ts) ELSE last_inbound_at END,
      last_staff_at    = CASE WHEN :staff = 1 THEN max(ifnull(last_staff_at, :ts), :ts) ELSE last_staff_at END,
      unread_count     = unread_count + :unread
    WHERE id = :cid`);
  const refreshLast = db.prepare<[number]>(`
    UPDATE conversations SET last_message_id = (
      SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id ORDER BY m.timestamp DESC, m.id DESC LIMIT 1
    ) WHERE id = ?`);
  const setPinned = db.prepare<[number | null, number]>('UPDATE conversations SET pinned_at = ? WHERE id = ?');
  const setArchived = db.prepare<[number, number]>('UPDATE conversations SET archived = ? WHERE id = ?');
  const setMuted = db.prepare<[number | null, number]>('UPDATE conversations SET muted_until = ? WHERE id = ?');
  const markRead = db.prepare<[number]>('UPDATE conversations SET unread_count = 0, manual_unread = 0 WHERE id = ?');
  const markUnread = db.prepare<[number]>('UPDATE conversations SET manual_unread = 1 WHERE id = ?');
  const setDraft = db.prepare<[string | null, number]>('UPDATE conversations SET draft = ? WHERE id = ?');
  const reassign = db.prepare<[number, number]>('UPDATE conversations SET contact_id = ? WHERE id = ?');
  const moveMessages = db.prepare<[number, number]>('UPDATE messages SET conversation_id = ? WHERE conversation_id = ?');
  const moveOutbox = db.prepare<[number, number]>('UPDATE outbox SET conversation_id = ? WHERE conversation_id = ?');
  const copyLabels = db.prepare<[number, number]>(`
    INSERT OR IGNORE INTO conversation_labels(conversation_id, label_id, assigned_at)
    SELECT ?, label_id, assigned_at FROM conversation_labels WHERE conversation_id = ?`);
  const combine = db.prepare<{ keep: number; gone: number }>(`
    UPDATE conversations AS k SET
      pinned_at        = coalesce(k.pinned_at, g.pinned_at),
      unread_count     = k.unread_count + g.unread_count,
      manual_unread    = max(k.manual_unread, g.manual_unread),
      last_activity_at = max(k.last_activity_at, g.last_activity_at),
      last_inbound_at  = CASE WHEN k.last_inbound_at IS NULL THEN g.last_inbound_at
                              WHEN g.last_inbound_at IS NULL THEN k.last_inbound_at
                              ELSE max(k.last_inbound_at, g.last_inbound_at) END,
      last_staff_at    = CASE WHEN k.last_staff_at IS NULL THEN g.last_staff_at
                              WHEN g.last_staff_at IS NULL THEN k.last_staff_at
                              ELSE max(k.last_staff_at, g.last_staff_at) END,
      draft            = coalesce(k.draft, g.draft)
    FROM (SELECT * FROM conversations WHERE id = :gone) AS g
    WHERE k.id = :keep`);
  const remove = db.prepare<[number]>('DELETE FROM conversations WHERE id = ?');

  const listStatements = new Map<string, Database.Statement<Record<string, unknown>, ListRow>>();
  function listSql(q: ConversationPageQuery): string {
    const where = ['cv.archived = :archived', '(cv.pinned, cv.last_activity_at, cv.id) < (:pinned, :activity, :id)'];
    if (q.unreadOnly) where.push('(cv.unread_count > 0 OR cv.manual_unread = 1)');
    if (q.labelIds && q.labelIds.length > 0) {
      const assigned = 'SELECT count(*) FROM conversation_labels cl WHERE cl.conversation_id = cv.id AND cl.label_id IN (SELECT value FROM json_each(:labels))';
      where.push(q.labelMode === 'all' ? `(${assigned}) = :labelCount` : `(${assigned}) > 0`);
    }
    return `
      SELECT ${conversationColumns}, cv.pinned,
        c.saved_name AS savedName, c.profile_name AS profileName, c.phone, c.username, c.wa_id AS waId,
        lm.direction AS lmDirection, lm.type AS lmType, lm.text AS lmText, lm.caption AS lmCaption,
        lm.status AS lmStatus, lm.timestamp AS lmTimestamp,
        (SELECT group_concat(label_id) FROM conversation_labels WHERE conversation_id = cv.id) AS labelIds
      FROM conversations cv
      LEFT JOIN contacts c ON c.id = cv.contact_id
      LEFT JOIN messages lm ON lm.id = cv.last_message_id
      WHERE ${where.join(' AND ')}
      ORDER BY cv.pinned DESC, cv.last_activity_at DESC, cv.id DESC
      LIMIT :limit`;
  }

  function getOrCreate(existing: ConversationRow | undefined, create: () => number) {
    if (existing) return { conversation: toConversation(existing), created: false };
    const id = create();
    return { conversation: toConversation(byId.get(id)!), created: true };
  }

  return {
    get: (id) => {
      const row = byId.get(id);
      return row && toConversation(row);
    },

    forContact: (contactId) => {
      const row = byContact.get(contactId);
      return row && toConversation(row);
    },

    getOrCreateForContact(contactId) {
      const t = now();
      return getOrCreate(byContact.get(contactId), () => Number(insertForContact.run(contactId, t, t).lastInsertRowid));
    },

    getOrCreateForGroup(groupId) {
      const t = now();
      return getOrCreate(byGroup.get(groupId), () => Number(insertForGroup.run(groupId, t, t).lastInsertRowid));
    },

    page(query = {}) {
      const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? defaultLimit)), maxLimit);
      const sql = listSql(query);
      let statement = listStatements.get(sql);
      if (!statement) {
        statement = db.prepare<Record<string, unknown>, ListRow>(sql);
        listStatements.set(sql, statement);
      }
      const after = query.after ? { ...query.after, pinned: query.after.pinned ? 1 : 0 } : top;
      const params: Record<string, unknown> = {
        archived: query.archived ? 1 : 0,
        pinned: after.pinned,
        activity: after.lastActivityAt,
        id: after.id,
        limit: limit + 1,
      };
      if (query.labelIds && query.labelIds.length > 0) {
        params.labels = JSON.stringify(query.labelIds);
        if (query.labelMode === 'all') params.labelCount = new Set(query.labelIds).size;
      }
      const rows = statement.all(params);
      const more = rows.length > limit;
      if (more) rows.length = limit;
      const items = rows.map((r): ConversationListItem => ({
        ...toConversation(r),
        contactDisplayName: r.contactId === null ? (r.groupId ?? '') : contactDisplayName(r),
        contactPhone: r.phone,
        contactUsername: r.username,
        lastMessage:
          r.lastMessageId !== null && r.lmDirection !== null
            ? {
                id: r.lastMessageId,
                direction: r.lmDirection,
                type: r.lmType!,
                text: r.lmText,
                caption: r.lmCaption,
                status: r.lmStatus,
                timestamp: r.lmTimestamp!,
              }
            : null,
        labelIds: r.labelIds ? r.labelIds.split(',').map(Number) : [],
      }));
      const last = rows.at(-1);
      return { items, next: more && last ? { pinned: last.pinned === 1, lastActivityAt: last.lastActivityAt, id: last.id } : null };
    },

    noteMessage(conversationId, m) {
      note.run({ cid: conversationId, id: m.id, dir: m.direction, ts: m.timestamp, staff: m.byStaff ? 1 : 0, unread: m.unread ? 1 : 0 });
    },

    refreshLastMessage: (id) => void refreshLast.run(id),
    setPinned: (id, pinned) => void setPinned.run(pinned ? now() : null, id),
    setArchived: (id, archived) => void setArchived.run(archived ? 1 : 0, id),
    setMutedUntil: (id, until) => void setMuted.run(until, id),
    markRead: (id) => void markRead.run(id),
    markUnread: (id) => void markUnread.run(id),
    setDraft: (id, draft) => void setDraft.run(draft, id),
    reassignContact: (id, contactId) => void reassign.run(contactId, id),

    absorb(keepId, goneId) {
      db.transaction(() => {
        moveMessages.run(keepId, goneId);
        moveOutbox.run(keepId, goneId);
        copyLabels.run(keepId, goneId);
        combine.run({ keep: keepId, gone: goneId });
        remove.run(goneId);
        refreshLast.run(keepId);
      })();
    },
  };
}
