import type Database from 'better-sqlite3';
import type { MediaRecord, MediaState, NewMedia } from '../types';

/** Rows describing media files; the bytes are in the media store, named by `contentHash`. */
export interface MediaRepository {
  create(media: NewMedia): MediaRecord;
  get(id: number): MediaRecord | undefined;
  byMetaMediaId(metaMediaId: string): MediaRecord | undefined;
  setState(id: number, state: Exclude<MediaState, 'stored'>, error?: string | null): void;
  markStored(id: number, stored: { contentHash: string; size: number; mime?: string | null }): void;
  /**
   * Deletes media rows nothing refers to (no message, quick reply or business profile) and created before
   * `olderThan` (a grace period for a file being attached right now); returns how many went.
   */
  deleteUnreferenced(olderThan: number): number;
  /** Every content hash a media row still names: the media store keeps exactly these files. */
  liveContentHashes(): Set<string>;
}

const mediaColumns = `
  id, state, mime, size, file_name AS fileName, sha256, meta_media_id AS metaMediaId, content_hash AS contentHash,
  error, created_at AS createdAt, updated_at AS updatedAt`;

export function createMediaRepository(db: Database.Database, now: () => number): MediaRepository {
  const insert = db.prepare<{ state: MediaState; mime: string | null; size: number | null; fileName: string | null; sha256: string | null; metaMediaId: string | null; contentHash: string | null; now: number }>(`
    INSERT INTO media(state, mime, size, file_name, sha256, meta_media_id, content_hash, created_at, updated_at)
    VALUES (:state, :mime, :size, :fileName, :sha256, :metaMediaId, :contentHash, :now, :now)`);
  const byId = db.prepare<[number], MediaRecord>(`SELECT ${mediaColumns} FROM media WHERE id = ?`);
  const byMetaId = db.prepare<[string], MediaRecord>(`SELECT ${mediaColumns} FROM media WHERE meta_media_id = ? ORDER BY id DESC LIMIT 1`);
  const setState = db.prepare<[MediaState, string | null, number, number]>('UPDATE media SET state = ?, error = ?, updated_at = ? WHERE id = ?');
  const markStored = db.prepare<{ id: number; contentHash: string; size: number; mime: string | null; now: number }>(`
    UPDATE media SET state = 'stored', content_hash = :contentHash, size = :size, mime = coalesce(:mime, mime), error = NULL,
      updated_at = :now
    WHERE id = :id`);
  const deleteUnreferenced = db.prepare<[number]>(`
    DELETE FROM media WHERE created_at < ?
      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.media_id = media.id)
      AND NOT EXISTS (SELECT 1 FROM quick_replies q WHERE q.attachment_media_id = media.id)
      AND NOT EXISTS (SELECT 1 FROM business_profile b WHERE b.photo_media_id = media.id)`);
  const liveHashes = db.prepare<[], string>('SELECT DISTINCT content_hash FROM media WHERE content_hash IS NOT NULL').pluck();

  return {
    create(m) {
      const id = Number(
        insert.run({
          state: m.state,
          mime: m.mime ?? null,
          size: m.size ?? null,
          fileName: m.fileName ?? null,
          sha256: m.sha256 ?? null,
          metaMediaId: m.metaMediaId ?? null,
          contentHash: m.contentHash ?? null,
          now: now(),
        }).lastInsertRowid,
      );
      return byId.get(id)!;
    },
    get: (id) => byId.get(id),
    byMetaMediaId: (metaMediaId) => byMetaId.get(metaMediaId),
    setState: (id, state, error = null) => void setState.run(state, error, now(), id),
    markStored: (id, s) => void markStored.run({ id, contentHash: s.contentHash, size: s.size, mime: s.mime ?? null, now: now() }),
    deleteUnreferenced: (olderThan) => deleteUnreferenced.run(olderThan).changes,
    liveContentHashes: () => new Set(liveHashes.all()),
  };
}
