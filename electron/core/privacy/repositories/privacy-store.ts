import type Database from 'better-sqlite3';
import type { AutomaticKind, Direction, MediaState, MessageStatus } from '../../archive/types';

/**
 * The privacy module's reads and writes over the archive's tables (PRODUCT §13): everything about one contact
 * (export), its removal (erasure), old messages (retention) and raw webhook bodies. Lists of ids go in as one
 * JSON array (json_each) rather than one statement per row; every lookup is keyed by an index of the schema
 * (migration 0001 indexes every child's foreign key "so deletes never scan a table") except the few scans
 * noted below, which an erasure or a daily run can afford.
 */

export interface ExportMessageRow {
  id: number;
  wamid: string | null;
  clientId: string | null;
  conversationId: number;
  groupId: string | null;
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
  receivedAt: number;
  readAt: number | null;
  editedAt: number | null;
  revokedAt: number | null;
  starred: number;
  mediaId: number | null;
  mediaState: MediaState | null;
  mediaMime: string | null;
  mediaSize: number | null;
  mediaFileName: string | null;
  mediaSha256: string | null;
  mediaHash: string | null;
}

export interface IdentityHistoryRow {
  kind: 'user_id' | 'wa_id' | 'phone' | 'username';
  oldValue: string | null;
  newValue: string | null;
  reason: string;
  at: number;
}

export interface StatusEventRow {
  wamid: string;
  status: string;
  timestamp: number;
  errorCode: number | null;
  errorTitle: string | null;
}

export interface ReactionRow {
  messageWamid: string;
  reactorContactId: number | null;
  emoji: string | null;
  timestamp: number;
  senderStaffId: string | null;
}

export interface ErasureTarget {
  messageIds: number[];
  wamids: string[];
  clientIds: string[];
  mediaIds: number[];
  /** Conversations whose messages go but which stay (groups the contact wrote in). */
  otherConversationIds: number[];
}

export interface OldMessage {
  id: number;
  wamid: string | null;
  clientId: string | null;
  conversationId: number;
  mediaId: number | null;
}

export interface InboxRowRef {
  id: number;
  body: Buffer;
  processed: boolean;
  verified: boolean;
}

type Ids = string;
const ids = (values: readonly (number | string)[]): Ids => JSON.stringify(values);

/** Media rows still in use: by a message, a quick reply or the business profile photo. */
const mediaInUse = (alias: string) => `(
  EXISTS (SELECT 1 FROM messages m WHERE m.media_id = ${alias}.id)
  OR EXISTS (SELECT 1 FROM quick_replies q WHERE q.attachment_media_id = ${alias}.id)
  OR EXISTS (SELECT 1 FROM business_profile b WHERE b.photo_media_id = ${alias}.id))`;

export function createPrivacyStore(db: Database.Database) {
  const exportColumns = `
    m.id, m.wamid, m.client_id AS clientId, m.conversation_id AS conversationId, cv.group_id AS groupId, m.direction, m.type,
    m.text, m.caption, m.payload_json AS payloadJson, m.reply_to_wamid AS replyToWamid, m.status, m.status_at AS statusAt,
    m.error_code AS errorCode, m.error_title AS errorTitle, m.sender_staff_id AS senderStaffId, s.name AS staffName,
    m.automatic, m.timestamp, m.received_at AS receivedAt, m.read_at AS readAt, m.edited_at AS editedAt,
    m.revoked_at AS revokedAt, m.starred, m.media_id AS mediaId, md.state AS mediaState, md.mime AS mediaMime,
    md.size AS mediaSize, md.file_name AS mediaFileName, md.sha256 AS mediaSha256, md.content_hash AS mediaHash`;

  // --- export --------------------------------------------------------------------------------------------
  // The contact's own conversation, and what they wrote in groups (OR over two indexes: messages_by_conversation
  // and messages_by_author), oldest first, by keyset.
  const contactMessages = db.prepare<{ conversationId: number; contactId: number; ts: number; id: number; limit: number }, ExportMessageRow>(`
    SELECT ${exportColumns}
    FROM messages m
    JOIN conversations cv ON cv.id = m.conversation_id
    LEFT JOIN staff s ON s.id = m.sender_staff_id
    LEFT JOIN media md ON md.id = m.media_id
    WHERE (m.conversation_id = :conversationId OR m.author_contact_id = :contactId) AND (m.timestamp, m.id) > (:ts, :id)
    ORDER BY m.timestamp, m.id
    LIMIT :limit`);
  const identityHistory = db.prepare<[number], IdentityHistoryRow>(`
    SELECT kind, old_value AS oldValue, new_value AS newValue, reason, at FROM contact_identity_history WHERE contact_id = ? ORDER BY id`);
  const conversationLabels = db.prepare<[number], { name: string; colour: number; assignedAt: number }>(`
    SELECT l.name, l.colour, cl.assigned_at AS assignedAt
    FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id
    WHERE cl.conversation_id = ? ORDER BY l.position, l.id`);
  const messageLabels = db.prepare<[Ids], { messageId: number; name: string; assignedAt: number }>(`
    SELECT ml.message_id AS messageId, l.name, ml.assigned_at AS assignedAt
    FROM message_labels ml JOIN labels l ON l.id = ml.label_id
    WHERE ml.message_id IN (SELECT value FROM json_each(?)) ORDER BY l.position, l.id`);
  const statusEvents = db.prepare<[Ids], StatusEventRow>(`
    SELECT wamid, status, timestamp, error_code AS errorCode, error_title AS errorTitle
    FROM status_events WHERE wamid IN (SELECT value FROM json_each(?)) ORDER BY timestamp, id`);
  const reactionsOn = db.prepare<[Ids], ReactionRow>(`
    SELECT message_wamid AS messageWamid, reactor_contact_id AS reactorContactId, emoji, timestamp, sender_staff_id AS senderStaffId
    FROM reactions WHERE message_wamid IN (SELECT value FROM json_each(?)) AND emoji IS NOT NULL ORDER BY timestamp, id`);
  const reactionsBy = db.prepare<[number], ReactionRow>(`
    SELECT message_wamid AS messageWamid, reactor_contact_id AS reactorContactId, emoji, timestamp, sender_staff_id AS senderStaffId
    FROM reactions WHERE reactor_contact_id = ? AND emoji IS NOT NULL ORDER BY timestamp, id`);
  const autoReplies = db.prepare<[number], { kind: AutomaticKind; inboundWamid: string; periodKey: string | null; at: number; messageId: number | null }>(`
    SELECT kind, inbound_wamid AS inboundWamid, period_key AS periodKey, created_at AS at, message_id AS messageId
    FROM auto_reply_log WHERE contact_id = ? ORDER BY id`);
  // A scan of the inbox (an export is rare): bodies about marketing preferences that name one of the identities.
  const preferenceBodies = db.prepare<[Ids], { id: number; receivedAt: number; body: Buffer }>(`
    SELECT id, received_at AS receivedAt, body FROM webhook_inbox
    WHERE instr(body, CAST('user_preferences' AS BLOB)) > 0
      AND EXISTS (SELECT 1 FROM json_each(?) WHERE instr(body, CAST(value AS BLOB)) > 0)
    ORDER BY id`);

  // --- erasure -------------------------------------------------------------------------------------------
  const ownConversations = db.prepare<[number], number>('SELECT id FROM conversations WHERE contact_id = ?').pluck();
  const targetMessages = db.prepare<{ contactId: number; conversations: Ids }, { id: number; wamid: string | null; clientId: string | null; mediaId: number | null; conversationId: number }>(`
    SELECT id, wamid, client_id AS clientId, media_id AS mediaId, conversation_id AS conversationId FROM messages
    WHERE conversation_id IN (SELECT value FROM json_each(:conversations))
    UNION
    SELECT id, wamid, client_id AS clientId, media_id AS mediaId, conversation_id AS conversationId FROM messages WHERE author_contact_id = :contactId`);
  const outboxClientIds = db.prepare<[Ids], string>('SELECT client_id FROM outbox WHERE conversation_id IN (SELECT value FROM json_each(?))').pluck();
  // Orphan statuses (their message never stored, or already gone) name the person only inside the raw event:
  // a scan of status_events, acceptable for an erasure.
  const deleteStatusEvents = db.prepare<{ wamids: Ids; clientIds: Ids; identities: Ids }>(`
    DELETE FROM status_events
    WHERE wamid IN (SELECT value FROM json_each(:wamids))
       OR client_id IN (SELECT value FROM json_each(:clientIds))
       OR json_extract(raw_json, '$.recipient_id') IN (SELECT value FROM json_each(:identities))
       OR json_extract(raw_json, '$.recipient_user_id') IN (SELECT value FROM json_each(:identities))
       OR json_extract(raw_json, '$.from') IN (SELECT value FROM json_each(:identities))
       OR json_extract(raw_json, '$.from_user_id') IN (SELECT value FROM json_each(:identities))`);
  const deleteReactions = db.prepare<{ wamids: Ids; contactId: number }>(`
    DELETE FROM reactions WHERE message_wamid IN (SELECT value FROM json_each(:wamids)) OR reactor_contact_id = :contactId`);
  const deleteOutbox = db.prepare<{ conversations: Ids; messages: Ids }>(`
    DELETE FROM outbox WHERE conversation_id IN (SELECT value FROM json_each(:conversations)) OR message_id IN (SELECT value FROM json_each(:messages))`);
  const countLabelAssignments = db.prepare<{ conversations: Ids; messages: Ids }, number>(`
    SELECT (SELECT count(*) FROM conversation_labels WHERE conversation_id IN (SELECT value FROM json_each(:conversations)))
         + (SELECT count(*) FROM message_labels WHERE message_id IN (SELECT value FROM json_each(:messages)))`).pluck();
  const deleteMessages = db.prepare<[Ids]>('DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))');
  const deleteConversations = db.prepare<[Ids]>('DELETE FROM conversations WHERE id IN (SELECT value FROM json_each(?))');
  const deleteAutoReplies = db.prepare<[number]>('DELETE FROM auto_reply_log WHERE contact_id = ?');
  const deleteContact = db.prepare<[number]>('DELETE FROM contacts WHERE id = ?');
  // Media rows of the deleted messages that nothing uses any more; their files are released when no other row names them.
  const deleteDeadMedia = db.prepare<[Ids], { contentHash: string | null }>(`
    DELETE FROM media WHERE id IN (SELECT value FROM json_each(?)) AND NOT ${mediaInUse('media')}
    RETURNING content_hash AS contentHash`);
  const unnamedHashes = db.prepare<[Ids], string>(`
    SELECT DISTINCT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM media WHERE content_hash = value)`).pluck();
  // Another scan: raw bodies that name one of the identities (short needles would match too much: skipped by the caller).
  const inboxMentioning = db.prepare<[Ids], { id: number; body: Buffer; processed: number; verified: number }>(`
    SELECT id, body, processed_at IS NOT NULL AS processed, verified FROM webhook_inbox
    WHERE EXISTS (SELECT 1 FROM json_each(?) WHERE instr(body, CAST(value AS BLOB)) > 0)
    ORDER BY id`);
  const deleteInboxRows = db.prepare<[Ids]>('DELETE FROM webhook_inbox WHERE id IN (SELECT value FROM json_each(?))');
  const replaceInboxBody = db.prepare<[Buffer, number]>('UPDATE webhook_inbox SET body = ? WHERE id = ? AND processed_at IS NULL');

  // --- retention -----------------------------------------------------------------------------------------
  // messages_by_time (timestamp): the old messages are one index range.
  const countOld = db.prepare<[number], number>('SELECT count(*) FROM messages WHERE timestamp < ?').pluck();
  const oldBatch = db.prepare<[number, number], OldMessage>(`
    SELECT id, wamid, client_id AS clientId, conversation_id AS conversationId, media_id AS mediaId
    FROM messages WHERE timestamp < ? ORDER BY timestamp, id LIMIT ?`);
  // Files a run would release: of the media rows the old messages use, those no newer message, quick reply or
  // profile photo uses ("dead"), whose content no other row names. Mirrors what run() does step by step.
  const countReleasedFiles = db.prepare<{ cutoff: number }, number>(`
    WITH candidates AS (SELECT DISTINCT media_id AS id FROM messages WHERE timestamp < :cutoff AND media_id IS NOT NULL),
    dead AS (
      SELECT md.id, md.content_hash FROM media md JOIN candidates c ON c.id = md.id
      WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.media_id = md.id AND m.timestamp >= :cutoff)
        AND NOT EXISTS (SELECT 1 FROM quick_replies q WHERE q.attachment_media_id = md.id)
        AND NOT EXISTS (SELECT 1 FROM business_profile b WHERE b.photo_media_id = md.id))
    SELECT count(DISTINCT d.content_hash) FROM dead d
    WHERE d.content_hash IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM media o WHERE o.content_hash = d.content_hash AND o.id NOT IN (SELECT id FROM dead))`).pluck();
  const deleteStatusEventsOf = db.prepare<{ wamids: Ids; clientIds: Ids }>(`
    DELETE FROM status_events WHERE wamid IN (SELECT value FROM json_each(:wamids)) OR client_id IN (SELECT value FROM json_each(:clientIds))`);
  const deleteReactionsOn = db.prepare<[Ids]>('DELETE FROM reactions WHERE message_wamid IN (SELECT value FROM json_each(?))');
  // Statuses that never found their message and are as old as the cutoff.
  const deleteOldOrphanStatuses = db.prepare<[number]>(`
    DELETE FROM status_events WHERE applied = 0 AND timestamp < ? AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.wamid = status_events.wamid)`);
  // Processed (or given-up) bodies received before the cutoff: the raw copies of the messages being deleted.
  const countOldBodies = db.prepare<[number], number>('SELECT count(*) FROM webhook_inbox WHERE processed_at IS NOT NULL AND received_at < ?').pluck();
  const deleteOldBodies = db.prepare<[number]>('DELETE FROM webhook_inbox WHERE processed_at IS NOT NULL AND received_at < ?');

  // --- inbox scrub ---------------------------------------------------------------------------------------
  const inboxAfter = db.prepare<[number, number], { id: number; body: Buffer; processed: number; verified: number }>(`
    SELECT id, body, processed_at IS NOT NULL AS processed, verified FROM webhook_inbox WHERE id > ? ORDER BY id LIMIT ?`);
  const inboxByIds = db.prepare<[Ids], { id: number; body: Buffer; processed: number; verified: number }>(`
    SELECT id, body, processed_at IS NOT NULL AS processed, verified FROM webhook_inbox WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`);

  return {
    // export
    contactMessages: (conversationId: number, contactId: number, after: { timestamp: number; id: number } | null, limit: number) =>
      contactMessages.all({ conversationId, contactId, ts: after?.timestamp ?? Number.MIN_SAFE_INTEGER, id: after?.id ?? Number.MIN_SAFE_INTEGER, limit }),
    identityHistory: (contactId: number) => identityHistory.all(contactId),
    conversationLabels: (conversationId: number) => conversationLabels.all(conversationId),
    messageLabels: (messageIds: readonly number[]) => (messageIds.length === 0 ? [] : messageLabels.all(ids(messageIds))),
    statusEvents: (wamids: readonly string[]) => (wamids.length === 0 ? [] : statusEvents.all(ids(wamids))),
    reactionsOn: (wamids: readonly string[]) => (wamids.length === 0 ? [] : reactionsOn.all(ids(wamids))),
    reactionsBy: (contactId: number) => reactionsBy.all(contactId),
    autoReplies: (contactId: number) => autoReplies.all(contactId),
    preferenceBodies: (identities: readonly string[]) => (identities.length === 0 ? [] : preferenceBodies.all(ids(identities))),

    // erasure
    ownConversations: (contactId: number) => ownConversations.all(contactId),
    erasureTarget(contactId: number, conversationIds: readonly number[]): ErasureTarget & { outboxClientIds: string[] } {
      const rows = targetMessages.all({ contactId, conversations: ids(conversationIds) });
      const own = new Set(conversationIds);
      return {
        messageIds: rows.map((r) => r.id),
        wamids: rows.map((r) => r.wamid).filter((w): w is string => w !== null),
        clientIds: rows.map((r) => r.clientId).filter((c): c is string => c !== null),
        mediaIds: [...new Set(rows.map((r) => r.mediaId).filter((m): m is number => m !== null))],
        otherConversationIds: [...new Set(rows.map((r) => r.conversationId).filter((c) => !own.has(c)))],
        outboxClientIds: conversationIds.length === 0 ? [] : outboxClientIds.all(ids(conversationIds)),
      };
    },
    countLabelAssignments: (conversationIds: readonly number[], messageIds: readonly number[]) =>
      countLabelAssignments.get({ conversations: ids(conversationIds), messages: ids(messageIds) }) ?? 0,
    deleteStatusEvents: (wamids: readonly string[], clientIds: readonly string[], identities: readonly string[]) =>
      deleteStatusEvents.run({ wamids: ids(wamids), clientIds: ids(clientIds), identities: ids(identities) }).changes,
    deleteReactions: (wamids: readonly string[], contactId: number) => deleteReactions.run({ wamids: ids(wamids), contactId }).changes,
    deleteOutbox: (conversationIds: readonly number[], messageIds: readonly number[]) =>
      deleteOutbox.run({ conversations: ids(conversationIds), messages: ids(messageIds) }).changes,
    deleteMessages(messageIds: readonly number[]): number {
      let deleted = 0;
      // In slices: one statement per slice keeps the JSON argument small.
      for (let i = 0; i < messageIds.length; i += 5000) deleted += deleteMessages.run(ids(messageIds.slice(i, i + 5000))).changes;
      return deleted;
    },
    deleteConversations: (conversationIds: readonly number[]) => (conversationIds.length === 0 ? 0 : deleteConversations.run(ids(conversationIds)).changes),
    deleteAutoReplies: (contactId: number) => deleteAutoReplies.run(contactId).changes,
    deleteContact: (contactId: number) => deleteContact.run(contactId).changes,
    /** Deletes the media rows among `mediaIds` nothing uses now; returns the content hashes no row names any more. */
    releaseMedia(mediaIds: readonly number[]): { rows: number; hashes: string[] } {
      let rows = 0;
      const hashes = new Set<string>();
      for (let i = 0; i < mediaIds.length; i += 5000) {
        for (const r of deleteDeadMedia.all(ids(mediaIds.slice(i, i + 5000)))) {
          rows++;
          if (r.contentHash) hashes.add(r.contentHash);
        }
      }
      return { rows, hashes: hashes.size === 0 ? [] : unnamedHashes.all(ids([...hashes])) };
    },
    /** Whether any media row names this content (checked again right before a file is removed). */
    hashUnreferenced: (hash: string) => unnamedHashes.all(ids([hash])).length === 1,
    inboxMentioning: (needles: readonly string[]): InboxRowRef[] =>
      needles.length === 0 ? [] : inboxMentioning.all(ids(needles)).map((r) => ({ id: r.id, body: r.body, processed: r.processed === 1, verified: r.verified === 1 })),
    deleteInboxRows: (rowIds: readonly number[]) => (rowIds.length === 0 ? 0 : deleteInboxRows.run(ids(rowIds)).changes),
    replaceInboxBody: (id: number, body: Buffer) => replaceInboxBody.run(body, id).changes > 0,

    // retention
    countOld: (cutoff: number) => countOld.get(cutoff) ?? 0,
    oldBatch: (cutoff: number, limit: number) => oldBatch.all(cutoff, limit),
    countReleasedFiles: (cutoff: number) => countReleasedFiles.get({ cutoff }) ?? 0,
    deleteStatusEventsOf: (wamids: readonly string[], clientIds: readonly string[]) => deleteStatusEventsOf.run({ wamids: ids(wamids), clientIds: ids(clientIds) }).changes,
    deleteReactionsOn: (wamids: readonly string[]) => (wamids.length === 0 ? 0 : deleteReactionsOn.run(ids(wamids)).changes),
    deleteOldOrphanStatuses: (cutoff: number) => deleteOldOrphanStatuses.run(cutoff).changes,
    countOldBodies: (cutoff: number) => countOldBodies.get(cutoff) ?? 0,
    deleteOldBodies: (cutoff: number) => deleteOldBodies.run(cutoff).changes,

    /**
     * Moves every WAL frame into the database file and truncates the WAL to zero bytes, so no old version of
     * a page (an erased row, a deleted index segment) stays in it. False when a reader elsewhere (a statistics
     * worker) held the WAL; the next checkpoint finishes the job.
     */
    truncateWal(): boolean {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      return result !== undefined && result.busy === 0;
    },

    // inbox scrub
    /** Rows after `afterId`, processed or not, oldest first. */
    inboxAfter: (afterId: number, limit: number): InboxRowRef[] =>
      inboxAfter.all(afterId, limit).map((r) => ({ id: r.id, body: r.body, processed: r.processed === 1, verified: r.verified === 1 })),
    inboxByIds: (rowIds: readonly number[]): InboxRowRef[] =>
      rowIds.length === 0 ? [] : inboxByIds.all(ids(rowIds)).map((r) => ({ id: r.id, body: r.body, processed: r.processed === 1, verified: r.verified === 1 })),
  };
}

export type PrivacyStore = ReturnType<typeof createPrivacyStore>;

const cache = new WeakMap<Database.Database, PrivacyStore>();

/** Statements prepared once per open archive. */
export function privacyStore(db: Database.Database): PrivacyStore {
  let store = cache.get(db);
  if (!store) cache.set(db, (store = createPrivacyStore(db)));
  return store;
}
