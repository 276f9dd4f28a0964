/**
 * The chat view's read model (PRODUCT §2): a conversation's messages in pages by (timestamp, id), each with
 * what a bubble shows — the quoted message, media, the staff sender's name, the outbox state, the author of
 * a group message — plus reactions and labels for a page at once. Outbound reactions are stored as messages
 * (the outbox sends them) but shown on their target, so pages leave them out.
 */
import type Database from 'better-sqlite3';
import type { Direction, MessageStatus } from '../../archive/types';
import type { OutboxState } from '../../archive/repositories/outbox';
import type { LabelRow } from './inbox-list';

export interface ChatRow {
  id: number;
  conversationId: number;
  wamid: string | null;
  clientId: string | null;
  direction: Direction;
  type: string;
  text: string | null;
  caption: string | null;
  payloadJson: string | null;
  status: MessageStatus | null;
  statusAt: number | null;
  errorCode: number | null;
  errorTitle: string | null;
  senderStaffId: string | null;
  senderName: string | null;
  automatic: 'greeting' | 'away' | null;
  timestamp: number;
  editedAt: number | null;
  revokedAt: number | null;
  starred: number;
  isGroup: number;
  authorContactId: number | null;
  authorSavedName: string | null;
  authorProfileName: string | null;
  authorPhone: string | null;
  authorUsername: string | null;
  authorWaId: string | null;
  replyToWamid: string | null;
  quotedId: number | null;
  quotedDirection: Direction | null;
  quotedType: string | null;
  quotedText: string | null;
  quotedCaption: string | null;
  quotedRevokedAt: number | null;
  mediaId: number | null;
  mediaState: 'pending' | 'downloading' | 'stored' | 'failed' | 'expired' | null;
  mediaMime: string | null;
  mediaSize: number | null;
  mediaFileName: string | null;
  mediaError: string | null;
  outboxState: OutboxState | null;
}

export interface Position {
  timestamp: number;
  id: number;
}

export interface ChatPageRepository {
  /** Where a message sits, and in which conversation (a cursor for paging). */
  position(messageId: number): (Position & { conversationId: number; type: string }) | undefined;
  /** Up to `limit` messages before `before` (exclusive), newest first. */
  older(conversationId: number, before: Position, limit: number): ChatRow[];
  /** Up to `limit` messages after `after` (exclusive), oldest first. */
  newer(conversationId: number, after: Position, limit: number): ChatRow[];
  hasOlder(conversationId: number, before: Position): boolean;
  hasNewer(conversationId: number, after: Position): boolean;
  reactions(wamids: readonly string[]): Array<{ messageWamid: string; reactorContactId: number | null; emoji: string }>;
  labels(messageIds: readonly number[]): Array<LabelRow & { messageId: number }>;
}

const columns = `
  m.id, m.conversation_id AS conversationId, m.wamid, m.client_id AS clientId, m.direction, m.type, m.text, m.caption,
  m.payload_json AS payloadJson, m.status, m.status_at AS statusAt, m.error_code AS errorCode, m.error_title AS errorTitle,
  m.sender_staff_id AS senderStaffId, s.name AS senderName, m.automatic, m.timestamp, m.edited_at AS editedAt,
  m.revoked_at AS revokedAt, m.starred, m.is_group AS isGroup, m.author_contact_id AS authorContactId,
  a.saved_name AS authorSavedName, a.profile_name AS authorProfileName, a.phone AS authorPhone, a.username AS authorUsername,
  a.wa_id AS authorWaId, m.reply_to_wamid AS replyToWamid, q.id AS quotedId, q.direction AS quotedDirection, q.type AS quotedType,
  q.text AS quotedText, q.caption AS quotedCaption, q.revoked_at AS quotedRevokedAt,
  md.id AS mediaId, md.state AS mediaState, md.mime AS mediaMime, md.size AS mediaSize, md.file_name AS mediaFileName,
  md.error AS mediaError,
  (SELECT o.state FROM outbox o WHERE o.message_id = m.id ORDER BY o.id DESC LIMIT 1) AS outboxState`;

const joins = `
  FROM messages m
  LEFT JOIN staff s ON s.id = m.sender_staff_id
  LEFT JOIN contacts a ON a.id = m.author_contact_id
  LEFT JOIN messages q ON q.wamid = m.reply_to_wamid
  LEFT JOIN media md ON md.id = m.media_id`;

const shown = "m.conversation_id = :cid AND m.type <> 'reaction'";

/** Exported for the query-plan test. */
export const olderSql = `SELECT ${columns} ${joins} WHERE ${shown} AND (m.timestamp, m.id) < (:ts, :id) ORDER BY m.timestamp DESC, m.id DESC LIMIT :limit`;
export const newerSql = `SELECT ${columns} ${joins} WHERE ${shown} AND (m.timestamp, m.id) > (:ts, :id) ORDER BY m.timestamp, m.id LIMIT :limit`;

type Cursor = { cid: number; ts: number; id: number };

export function createChatPageRepository(db: Database.Database): ChatPageRepository {
  const position = db.prepare<[number], Position & { conversationId: number; type: string }>(
    'SELECT timestamp, id, conversation_id AS conversationId, type FROM messages WHERE id = ?',
  );
  const older = db.prepare<Cursor & { limit: number }, ChatRow>(olderSql);
  const newer = db.prepare<Cursor & { limit: number }, ChatRow>(newerSql);
  const anyOlder = db.prepare<Cursor>(`SELECT 1 FROM messages m WHERE ${shown} AND (m.timestamp, m.id) < (:ts, :id) LIMIT 1`).pluck();
  const anyNewer = db.prepare<Cursor>(`SELECT 1 FROM messages m WHERE ${shown} AND (m.timestamp, m.id) > (:ts, :id) LIMIT 1`).pluck();
  const reactions = db.prepare<{ wamids: string }, { messageWamid: string; reactorContactId: number | null; emoji: string }>(`
    SELECT message_wamid AS messageWamid, reactor_contact_id AS reactorContactId, emoji FROM reactions
    WHERE message_wamid IN (SELECT value FROM json_each(:wamids)) AND emoji IS NOT NULL
    ORDER BY timestamp, id`);
  const labels = db.prepare<{ ids: string }, LabelRow & { messageId: number }>(`
    SELECT ml.message_id AS messageId, l.id, l.name, l.colour, l.position
    FROM message_labels ml JOIN labels l ON l.id = ml.label_id
    WHERE ml.message_id IN (SELECT value FROM json_each(:ids))
    ORDER BY l.position, l.id`);
  const cursor = (cid: number, p: Position): Cursor => ({ cid, ts: p.timestamp, id: p.id });

  return {
    position: (messageId) => position.get(messageId),
    older: (cid, before, limit) => older.all({ ...cursor(cid, before), limit }),
    newer: (cid, after, limit) => newer.all({ ...cursor(cid, after), limit }),
    hasOlder: (cid, before) => anyOlder.get(cursor(cid, before)) !== undefined,
    hasNewer: (cid, after) => anyNewer.get(cursor(cid, after)) !== undefined,
    reactions: (wamids) => (wamids.length === 0 ? [] : reactions.all({ wamids: JSON.stringify(wamids) })),
    labels: (ids) => (ids.length === 0 ? [] : labels.all({ ids: JSON.stringify(ids) })),
  };
}
