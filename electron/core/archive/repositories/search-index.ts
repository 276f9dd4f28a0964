import type Database from 'better-sqlite3';
import { contactDisplayName } from '../display-name';
import { indexableText, makeSnippet, parseSearchQuery } from '../search';
import type { ContactSearchHit, Direction, MessageSearchHit, MessageSearchQuery, MessageStatus, Page } from '../types';

/** The full-text indexes (messages_fts, contacts_fts) and the queries over them. */
export interface SearchIndexRepository {
  /** Indexes a stored message; inside `archive.transaction` the write waits for the end of the batch. */
  indexMessage(id: number, text: string | null | undefined, caption: string | null | undefined): void;
  /** After an edit: the old words go, the new ones come. */
  reindexMessage(id: number, text: string | null | undefined, caption: string | null | undefined): void;
  indexContact(contact: IndexableContact): void;
  /** Newest first (by arrival), `limit` per page (default 30, at most 100). */
  searchMessages(query: MessageSearchQuery): Page<MessageSearchHit, number>;
  searchContacts(text: string, limit?: number): ContactSearchHit[];
  /** Merges the index into one segment, dropping every deleted entry (run after an erasure). */
  optimize(): void;
  /** Re-segments every message and contact (after an ICU change), in batches, reporting progress. */
  rebuild(onProgress?: (done: number, total: number) => void): void;
  /** Writes the deferred entries (archive.transaction calls it before commit). */
  flushPending(): void;
  /** Forgets the deferred entries (their transaction rolled back). */
  discardPending(): void;
}

export interface IndexableContact {
  id: number;
  savedName: string | null;
  profileName: string | null;
  username: string | null;
  phone: string | null;
  notes: string;
}

interface HitRow {
  id: number;
  conversationId: number;
  contactId: number | null;
  timestamp: number;
  direction: Direction;
  type: string;
  status: MessageStatus | null;
  text: string | null;
  caption: string | null;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId: string | null;
  groupId: string | null;
}

interface ContactRow extends IndexableContact {
  waId: string | null;
}

const hitColumns = `
  m.id, m.conversation_id AS conversationId, cv.contact_id AS contactId, m.timestamp, m.direction, m.type, m.status,
  m.text, m.caption, c.saved_name AS savedName, c.profile_name AS profileName, c.phone, c.username, c.wa_id AS waId,
  cv.group_id AS groupId`;

const defaultLimit = 30;
const maxLimit = 100;
const rebuildBatch = 5000;

/**
 * Why index writes are deferred inside a batch: FTS5 flushes its in-memory pending terms to a new segment
 * at every savepoint, and SQLite opens a statement savepoint for most writes that can fail a constraint
 * (the very next message INSERT). Interleaving made every message its own segment and bulk writes four
 * times slower. So within `archive.transaction` entries wait in memory and go in together at the end;
 * the flush skips messages deleted (or rolled back) meanwhile, so nothing erased is ever indexed.
 */
export function createSearchIndexRepository(db: Database.Database, options: { deferWrites: () => boolean }): SearchIndexRepository {
  const insertMessage = db.prepare<[number, string]>('INSERT INTO messages_fts(rowid, body) VALUES (?, ?)');
  const insertIfStored = db.prepare<[number, string, number]>(
    'INSERT INTO messages_fts(rowid, body) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?)',
  );
  const pending = new Map<number, string>();
  const deleteMessage = db.prepare<[number]>('DELETE FROM messages_fts WHERE rowid = ?');
  const insertContact = db.prepare<[number, string, string]>('INSERT INTO contacts_fts(rowid, names, notes) VALUES (?, ?, ?)');
  const deleteContact = db.prepare<[number]>('DELETE FROM contacts_fts WHERE rowid = ?');
  const contactsMatching = db.prepare<{ match: string; limit: number }, ContactRow>(`
    SELECT c.id, c.saved_name AS savedName, c.profile_name AS profileName, c.username, c.phone, c.notes, c.wa_id AS waId
    FROM contacts_fts JOIN contacts c ON c.id = contacts_fts.rowid
    WHERE contacts_fts MATCH :match
    ORDER BY contacts_fts.rank
    LIMIT :limit`);
  // Statements differ only by which filters are present: a few hundred shapes at most, prepared on first use.
  const searchStatements = new Map<string, Database.Statement<Record<string, unknown>, HitRow>>();

  function indexMessage(id: number, text: string | null | undefined, caption: string | null | undefined) {
    const body = indexableText(text, caption);
    if (!body) return;
    if (options.deferWrites()) pending.set(id, body);
    else insertMessage.run(id, body);
  }

  function flushPending() {
    if (pending.size === 0) return;
    // A message can be deleted, or its savepoint rolled back, before the flush: only stored ones go in.
    for (const [id, body] of pending) insertIfStored.run(id, body, id);
    pending.clear();
  }

  function searchSql(q: MessageSearchQuery): string {
    const where = ['messages_fts MATCH :match'];
    if (q.before !== undefined && q.before !== null) where.push('messages_fts.rowid < :before');
    if (q.contactId !== undefined) where.push('cv.contact_id = :contactId');
    if (q.labelId !== undefined) {
      where.push(`(EXISTS (SELECT 1 FROM message_labels ml WHERE ml.message_id = m.id AND ml.label_id = :labelId)
        OR EXISTS (SELECT 1 FROM conversation_labels cl WHERE cl.conversation_id = m.conversation_id AND cl.label_id = :labelId))`);
    }
    if (q.from !== undefined) where.push('m.timestamp >= :from');
    if (q.to !== undefined) where.push('m.timestamp < :to');
    if (q.direction !== undefined) where.push('m.direction = :direction');
    if (q.type !== undefined) where.push('m.type = :type');
    if (q.status !== undefined) where.push('m.status = :status');
    if (q.staffId !== undefined) where.push('m.sender_staff_id = :staffId');
    // ORDER BY rowid DESC is consumed by FTS5 itself: it streams matches newest-first and stops at LIMIT.
    return `SELECT ${hitColumns}
      FROM messages_fts
      JOIN messages m ON m.id = messages_fts.rowid
      JOIN conversations cv ON cv.id = m.conversation_id
      LEFT JOIN contacts c ON c.id = cv.contact_id
      WHERE ${where.join(' AND ')}
      ORDER BY messages_fts.rowid DESC
      LIMIT :limit`;
  }

  return {
    indexMessage,

    reindexMessage(id, text, caption) {
      if (!pending.delete(id)) deleteMessage.run(id);
      indexMessage(id, text, caption);
    },

    flushPending,
    discardPending: () => pending.clear(),

    indexContact(contact) {
      deleteContact.run(contact.id);
      const names = indexableText(contact.savedName, contact.profileName, contact.username, contact.phone);
      const notes = indexableText(contact.notes);
      if (names || notes) insertContact.run(contact.id, names, notes);
    },

    searchMessages(q) {
      // A search inside a batch sees what the batch wrote.
      flushPending();
      const parsed = parseSearchQuery(q.text);
      if (!parsed) return { items: [], next: null };
      const limit = Math.min(Math.max(1, Math.trunc(q.limit ?? defaultLimit)), maxLimit);
      const sql = searchSql(q);
      let statement = searchStatements.get(sql);
      if (!statement) {
        statement = db.prepare<Record<string, unknown>, HitRow>(sql);
        searchStatements.set(sql, statement);
      }
      const params: Record<string, unknown> = { match: parsed.match, limit: limit + 1 };
      for (const key of ['before', 'contactId', 'labelId', 'from', 'to', 'direction', 'type', 'status', 'staffId'] as const) {
        const value = q[key];
        if (value !== undefined && value !== null) params[key] = value;
      }
      const rows = statement.all(params);
      const more = rows.length > limit;
      if (more) rows.length = limit;
      const items = rows.map((r): MessageSearchHit => ({
        messageId: r.id,
        conversationId: r.conversationId,
        contactId: r.contactId,
        contactDisplayName: r.contactId === null ? (r.groupId ?? '') : contactDisplayName(r),
        timestamp: r.timestamp,
        direction: r.direction,
        type: r.type,
        status: r.status,
        snippet: makeSnippet([r.text, r.caption].filter(Boolean).join(' · '), parsed.words),
      }));
      return { items, next: more ? rows.at(-1)!.id : null };
    },

    searchContacts(text, limit = 20) {
      // A number typed with spaces, dashes or a + is one token in the index: search its digits as a prefix.
      const digits = /^[+\d\s().-]+$/u.test(text) ? text.replace(/\D/gu, '') : '';
      const match = digits.length >= 2 ? `"${digits}" *` : parseSearchQuery(text)?.match;
      if (!match) return [];
      return contactsMatching.all({ match, limit: Math.min(Math.max(1, limit), maxLimit) }).map((r) => ({
        contactId: r.id,
        displayName: contactDisplayName(r),
        phone: r.phone,
        username: r.username,
      }));
    },

    optimize() {
      db.exec(`INSERT INTO messages_fts(messages_fts) VALUES ('optimize');
               INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize');`);
    },

    rebuild(onProgress) {
      const total = (db.prepare('SELECT count(*) FROM messages').pluck().get() as number) + (db.prepare('SELECT count(*) FROM contacts').pluck().get() as number);
      const messagePage = db.prepare<[number, number], { id: number; text: string | null; caption: string | null }>(
        'SELECT id, text, caption FROM messages WHERE id > ? ORDER BY id LIMIT ?',
      );
      const contactPage = db.prepare<[number, number], IndexableContact>(`
        SELECT id, saved_name AS savedName, profile_name AS profileName, username, phone, notes
        FROM contacts WHERE id > ? ORDER BY id LIMIT ?`);
      let done = 0;
      pending.clear();
      db.transaction(() => {
        db.exec(`INSERT INTO messages_fts(messages_fts) VALUES ('delete-all');
                 INSERT INTO contacts_fts(contacts_fts) VALUES ('delete-all');`);
        // Pages by id, not an open iterator: better-sqlite3 refuses writes while a read cursor is open.
        for (let after = 0; ; ) {
          const rows = messagePage.all(after, rebuildBatch);
          if (rows.length === 0) break;
          for (const r of rows) indexMessage(r.id, r.text, r.caption);
          after = rows.at(-1)!.id;
          done += rows.length;
          onProgress?.(done, total);
        }
        for (let after = 0; ; ) {
          const rows = contactPage.all(after, rebuildBatch);
          if (rows.length === 0) break;
          for (const r of rows) {
            const names = indexableText(r.savedName, r.profileName, r.username, r.phone);
            const notes = indexableText(r.notes);
            if (names || notes) insertContact.run(r.id, names, notes);
          }
          after = rows.at(-1)!.id;
          done += rows.length;
          onProgress?.(done, total);
        }
      }).immediate();
    },
  };
}
