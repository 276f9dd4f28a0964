import type Database from 'better-sqlite3';
import type { TombstoneKind } from '../../archive/repositories/tombstones';

/**
 * The SQL of applying erasures to a restored archive (erasures.ts): reading the tombstones of one archive,
 * and in the other finding and deleting the contacts and messages they name. Deletes go through the schema's
 * cascades and triggers (conversations, messages, search entries, labels, reactions, outbox rows).
 */
export interface TombstoneRow {
  kind: TombstoneKind;
  keyHash: string;
  createdAt: number;
}

export interface IdentityRow {
  contactId: number;
  kind: TombstoneKind;
  value: string;
}

export function createRestoreErasureStore(db: Database.Database) {
  const salt = db.prepare<[], string>("SELECT json_extract(value_json, '$') FROM settings WHERE key = 'archive.tombstoneSalt'").pluck();
  const setSalt = db.prepare<[string, number]>("UPDATE settings SET value_json = json_quote(?), updated_at = ? WHERE key = 'archive.tombstoneSalt'");
  const tombstones = db.prepare<[], TombstoneRow>('SELECT kind, key_hash AS keyHash, created_at AS createdAt FROM tombstones');
  const insertTombstone = db.prepare<[TombstoneKind, string, number]>('INSERT OR IGNORE INTO tombstones(kind, key_hash, created_at) VALUES (?, ?, ?)');
  // Current identities and every identity a contact had before (number changes, merges).
  const identities = db.prepare<[], IdentityRow>(`
    SELECT id AS contactId, 'user_id' AS kind, user_id AS value FROM contacts WHERE user_id IS NOT NULL
    UNION ALL SELECT id, 'wa_id', wa_id FROM contacts WHERE wa_id IS NOT NULL
    UNION ALL SELECT id, 'phone', phone FROM contacts WHERE phone IS NOT NULL
    UNION ALL SELECT contact_id, kind, old_value FROM contact_identity_history WHERE old_value IS NOT NULL AND kind IN ('user_id', 'wa_id', 'phone')
    UNION ALL SELECT contact_id, kind, new_value FROM contact_identity_history WHERE new_value IS NOT NULL AND kind IN ('user_id', 'wa_id', 'phone')`);
  const wamids = db.prepare<[], { id: number; wamid: string }>('SELECT id, wamid FROM messages WHERE wamid IS NOT NULL');
  const wamidsOfContact = db.prepare<[number], string>(
    'SELECT m.wamid FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ? AND m.wamid IS NOT NULL',
  ).pluck();
  const mediaOfContact = db.prepare<[number], number>(
    'SELECT DISTINCT m.media_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ? AND m.media_id IS NOT NULL',
  ).pluck();
  const messageCountOfContact = db.prepare<[number], number>(
    'SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ?',
  ).pluck();
  const mediaOfMessage = db.prepare<[number], number | null>('SELECT media_id FROM messages WHERE id = ?').pluck();
  const wamidOfMessage = db.prepare<[number], string | null>('SELECT wamid FROM messages WHERE id = ?').pluck();
  const deleteContact = db.prepare<[number]>('DELETE FROM contacts WHERE id = ?');
  const deleteReactions = db.prepare<[string, string]>('DELETE FROM reactions WHERE message_wamid = ? OR wamid = ?');
  const deleteStatusEvents = db.prepare<[string]>('DELETE FROM status_events WHERE wamid = ?');
  const deleteUnusedMedia = db.prepare<[number], string | null>(`
    DELETE FROM media WHERE id = ?
      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.media_id = media.id)
      AND NOT EXISTS (SELECT 1 FROM quick_replies q WHERE q.attachment_media_id = media.id)
      AND NOT EXISTS (SELECT 1 FROM business_profile b WHERE b.photo_media_id = media.id)
    RETURNING content_hash`).pluck();
  const hashInUse = db.prepare<[string], number>('SELECT 1 FROM media WHERE content_hash = ? LIMIT 1').pluck();

  return {
    tombstoneSalt: (): string | null => salt.get() ?? null,
    setTombstoneSalt: (hex: string, now: number) => void setSalt.run(hex, now),
    tombstones: (): TombstoneRow[] => tombstones.all(),
    addTombstones(rows: readonly TombstoneRow[]): number {
      let added = 0;
      for (const row of rows) added += insertTombstone.run(row.kind, row.keyHash, row.createdAt).changes;
      return added;
    },
    identities: () => identities.iterate(),
    wamids: () => wamids.iterate(),
    /** Deletes a contact with everything that cascades from it; returns its message count, media ids and wamids. */
    deleteContact(contactId: number): { messages: number; mediaIds: number[]; wamids: string[] } {
      const messages = messageCountOfContact.get(contactId) ?? 0;
      const mediaIds = mediaOfContact.all(contactId);
      const gone = wamidsOfContact.all(contactId);
      deleteContact.run(contactId);
      return { messages, mediaIds, wamids: gone };
    },
    /** The media id and wamid of a message about to be deleted. */
    messageRefs: (id: number) => ({ mediaId: mediaOfMessage.get(id) ?? null, wamid: wamidOfMessage.get(id) ?? null }),
    /** Reactions to and status events of a message that is gone. */
    deleteTracesOfWamid(wamid: string): void {
      deleteReactions.run(wamid, wamid);
      deleteStatusEvents.run(wamid);
    },
    /** Deletes the media row if nothing refers to it any more; returns its file's hash when no other row names that file. */
    deleteMediaIfUnused(mediaId: number): string | null {
      const hash = deleteUnusedMedia.get(mediaId) ?? null;
      return hash !== null && hashInUse.get(hash) !== 1 ? hash : null;
    },
    /** Purges deleted tokens from the full-text indexes, so no erased word stays in the index pages. */
    optimizeSearch(): void {
      db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('optimize'); INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize');");
    },
  };
}

export type RestoreErasureStore = ReturnType<typeof createRestoreErasureStore>;
