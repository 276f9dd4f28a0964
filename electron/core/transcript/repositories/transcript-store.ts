import type Database from 'better-sqlite3';
import type { AutomaticKind, Direction, MediaState, MessageStatus } from '../../archive/types';

/**
 * The transcript's reads (PRODUCT §11): one conversation's messages in time order, a page at a time (keyset
 * on messages_by_conversation), with what each bubble names — the staff member, a group post's author, the
 * media file — and the reactions and quoted messages of a page, fetched by wamid in one query each.
 */

export interface TranscriptConversationRow {
  conversationId: number;
  contactId: number | null;
  groupId: string | null;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId: string | null;
}

export interface TranscriptMessageRow {
  id: number;
  wamid: string | null;
  direction: Direction;
  type: string;
  text: string | null;
  caption: string | null;
  payloadJson: string | null;
  replyToWamid: string | null;
  status: MessageStatus | null;
  statusAt: number | null;
  errorCode: number | null;
  errorTitle: string | null;
  senderStaffId: string | null;
  staffName: string | null;
  automatic: AutomaticKind | null;
  timestamp: number;
  editedAt: number | null;
  revokedAt: number | null;
  isGroup: number;
  authorSavedName: string | null;
  authorProfileName: string | null;
  authorPhone: string | null;
  authorUsername: string | null;
  authorWaId: string | null;
  mediaId: number | null;
  mediaState: MediaState | null;
  mediaMime: string | null;
  mediaSize: number | null;
  mediaFileName: string | null;
  mediaHash: string | null;
}

export interface TranscriptReactionRow {
  messageWamid: string;
  emoji: string;
  timestamp: number;
  reactorContactId: number | null;
  senderStaffId: string | null;
  staffName: string | null;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId: string | null;
}

export interface TranscriptQuotedRow {
  wamid: string;
  direction: Direction;
  type: string;
  text: string | null;
  caption: string | null;
  revokedAt: number | null;
  senderStaffId: string | null;
  staffName: string | null;
  automatic: AutomaticKind | null;
  timestamp: number;
}

export interface TranscriptCursor {
  timestamp: number;
  id: number;
}

export interface TranscriptStore {
  conversation(id: number): TranscriptConversationRow | undefined;
  /**
   * Messages with from ≤ timestamp < to. Reactions the business sent are stored as messages too; a transcript
   * shows them on the message they react to (reactionsFor), so they are left out here.
   */
  count(conversationId: number, from: number, to: number): number;
  /** Oldest first, after the cursor (exclusive). */
  page(conversationId: number, from: number, to: number, after: TranscriptCursor | null, limit: number): TranscriptMessageRow[];
  /** Reactions shown on these messages (removals left out). */
  reactionsFor(wamids: readonly string[]): TranscriptReactionRow[];
  /** The messages these replies quote, wherever they are. */
  quoted(wamids: readonly string[]): TranscriptQuotedRow[];
}

const messageColumns = `
  m.id, m.wamid, m.direction, m.type, m.text, m.caption, m.payload_json AS payloadJson, m.reply_to_wamid AS replyToWamid,
  m.status, m.status_at AS statusAt, m.error_code AS errorCode, m.error_title AS errorTitle,
  m.sender_staff_id AS senderStaffId, s.name AS staffName, m.automatic, m.timestamp, m.edited_at AS editedAt,
  m.revoked_at AS revokedAt, m.is_group AS isGroup,
  a.saved_name AS authorSavedName, a.profile_name AS authorProfileName, a.phone AS authorPhone, a.username AS authorUsername,
  a.wa_id AS authorWaId,
  m.media_id AS mediaId, md.state AS mediaState, md.mime AS mediaMime, md.size AS mediaSize, md.file_name AS mediaFileName,
  md.content_hash AS mediaHash`;

export function createTranscriptStore(db: Database.Database): TranscriptStore {
  const conversation = db.prepare<[number], TranscriptConversationRow>(`
    SELECT cv.id AS conversationId, cv.contact_id AS contactId, cv.group_id AS groupId, c.saved_name AS savedName,
      c.profile_name AS profileName, c.phone, c.username, c.wa_id AS waId
    FROM conversations cv LEFT JOIN contacts c ON c.id = cv.contact_id
    WHERE cv.id = ?`);
  const count = db.prepare<[number, number, number], number>(
    "SELECT count(*) FROM messages WHERE conversation_id = ? AND timestamp >= ? AND timestamp < ? AND type <> 'reaction'",
  ).pluck();
  // Row values against messages_by_conversation (conversation_id, timestamp, id): one index range per page.
  const page = db.prepare<{ conversationId: number; from: number; to: number; ts: number; id: number; limit: number }, TranscriptMessageRow>(`
    SELECT ${messageColumns}
    FROM messages m
    LEFT JOIN staff s ON s.id = m.sender_staff_id
    LEFT JOIN contacts a ON a.id = m.author_contact_id
    LEFT JOIN media md ON md.id = m.media_id
    WHERE m.conversation_id = :conversationId AND m.timestamp >= :from AND m.timestamp < :to AND (m.timestamp, m.id) > (:ts, :id)
      AND m.type <> 'reaction'
    ORDER BY m.timestamp, m.id
    LIMIT :limit`);
  const reactions = db.prepare<[string], TranscriptReactionRow>(`
    SELECT r.message_wamid AS messageWamid, r.emoji, r.timestamp, r.reactor_contact_id AS reactorContactId,
      r.sender_staff_id AS senderStaffId, s.name AS staffName, c.saved_name AS savedName, c.profile_name AS profileName,
      c.phone, c.username, c.wa_id AS waId
    FROM reactions r
    LEFT JOIN contacts c ON c.id = r.reactor_contact_id
    LEFT JOIN staff s ON s.id = r.sender_staff_id
    WHERE r.message_wamid IN (SELECT value FROM json_each(?)) AND r.emoji IS NOT NULL
    ORDER BY r.timestamp, r.id`);
  const quoted = db.prepare<[string], TranscriptQuotedRow>(`
    SELECT m.wamid, m.direction, m.type, m.text, m.caption, m.revoked_at AS revokedAt, m.sender_staff_id AS senderStaffId,
      s.name AS staffName, m.automatic, m.timestamp
    FROM messages m LEFT JOIN staff s ON s.id = m.sender_staff_id
    WHERE m.wamid IN (SELECT value FROM json_each(?))`);

  return {
    conversation: (id) => conversation.get(id),
    count: (conversationId, from, to) => count.get(conversationId, from, to) ?? 0,
    page: (conversationId, from, to, after, limit) =>
      page.all({ conversationId, from, to, ts: after?.timestamp ?? Number.MIN_SAFE_INTEGER, id: after?.id ?? Number.MIN_SAFE_INTEGER, limit }),
    reactionsFor: (wamids) => (wamids.length === 0 ? [] : reactions.all(JSON.stringify(wamids))),
    quoted: (wamids) => (wamids.length === 0 ? [] : quoted.all(JSON.stringify(wamids))),
  };
}

const cache = new WeakMap<Database.Database, TranscriptStore>();

/** Statements prepared once per open archive. */
export function transcriptStore(db: Database.Database): TranscriptStore {
  let store = cache.get(db);
  if (!store) cache.set(db, (store = createTranscriptStore(db)));
  return store;
}
