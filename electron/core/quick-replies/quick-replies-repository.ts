/** The quick_replies table (PRODUCT §7): rows in staff's order, the attachment's media row, usage count and last use. */
import type Database from 'better-sqlite3';
import type { Archive } from '../archive';

export interface QuickReplyRow {
  id: number;
  shortcut: string;
  text: string;
  attachmentMediaId: number | null;
  keywords: string[];
  usageCount: number;
  lastUsedAt: number | null;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface QuickReplyFields {
  shortcut: string;
  text: string;
  keywords: string[];
  attachmentMediaId: number | null;
}

export interface QuickRepliesRepository {
  list(): QuickReplyRow[];
  get(id: number): QuickReplyRow | undefined;
  /** Case-insensitive, as the UNIQUE constraint (COLLATE NOCASE). */
  byShortcut(shortcut: string): QuickReplyRow | undefined;
  insert(fields: QuickReplyFields, now: number): number;
  update(id: number, fields: QuickReplyFields, now: number): void;
  delete(id: number): boolean;
  /** Positions 0..n-1 in the order given. */
  reorder(ids: readonly number[]): void;
  recordUse(id: number, now: number): void;
}

interface RawRow extends Omit<QuickReplyRow, 'keywords'> {
  keywordsJson: string;
}

const columns = `id, shortcut, text, attachment_media_id AS attachmentMediaId, keywords_json AS keywordsJson, usage_count AS usageCount,
  last_used_at AS lastUsedAt, position, created_at AS createdAt, updated_at AS updatedAt`;

function toRow({ keywordsJson, ...rest }: RawRow): QuickReplyRow {
  const parsed = JSON.parse(keywordsJson) as unknown;
  return { ...rest, keywords: Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [] };
}

function createRepository(archive: Archive): QuickRepliesRepository {
  const db: Database.Database = archive.db;
  const all = db.prepare<[], RawRow>(`SELECT ${columns} FROM quick_replies ORDER BY position, id`);
  const byId = db.prepare<[number], RawRow>(`SELECT ${columns} FROM quick_replies WHERE id = ?`);
  const byShortcut = db.prepare<[string], RawRow>(`SELECT ${columns} FROM quick_replies WHERE shortcut = ? COLLATE NOCASE`);
  const nextPosition = db.prepare<[], number>('SELECT coalesce(max(position) + 1, 0) FROM quick_replies').pluck();
  const insert = db.prepare<{ shortcut: string; text: string; media: number | null; keywords: string; position: number; now: number }>(`
    INSERT INTO quick_replies(shortcut, text, attachment_media_id, keywords_json, usage_count, position, created_at, updated_at)
    VALUES (:shortcut, :text, :media, :keywords, 0, :position, :now, :now)`);
  const update = db.prepare<{ id: number; shortcut: string; text: string; media: number | null; keywords: string; now: number }>(`
    UPDATE quick_replies SET shortcut = :shortcut, text = :text, attachment_media_id = :media, keywords_json = :keywords, updated_at = :now
    WHERE id = :id`);
  const remove = db.prepare<[number]>('DELETE FROM quick_replies WHERE id = ?');
  const setPosition = db.prepare<[number, number]>('UPDATE quick_replies SET position = ? WHERE id = ?');
  const used = db.prepare<[number, number]>('UPDATE quick_replies SET usage_count = usage_count + 1, last_used_at = ? WHERE id = ?');

  return {
    list: () => all.all().map(toRow),
    get: (id) => {
      const row = byId.get(id);
      return row ? toRow(row) : undefined;
    },
    byShortcut: (shortcut) => {
      const row = byShortcut.get(shortcut);
      return row ? toRow(row) : undefined;
    },
    insert: (f, now) =>
      Number(insert.run({ shortcut: f.shortcut, text: f.text, media: f.attachmentMediaId, keywords: JSON.stringify(f.keywords), position: nextPosition.get()!, now }).lastInsertRowid),
    update: (id, f, now) => void update.run({ id, shortcut: f.shortcut, text: f.text, media: f.attachmentMediaId, keywords: JSON.stringify(f.keywords), now }),
    delete: (id) => remove.run(id).changes > 0,
    reorder: (ids) => archive.transaction(() => ids.forEach((id, index) => setPosition.run(index, id))),
    recordUse: (id, now) => void used.run(now, id),
  };
}

// Statements are prepared once per open archive (a workspace switch opens another).
const cache = new WeakMap<Archive, QuickRepliesRepository>();

export function quickRepliesRepository(archive: Archive): QuickRepliesRepository {
  let repository = cache.get(archive);
  if (!repository) {
    repository = createRepository(archive);
    cache.set(archive, repository);
  }
  return repository;
}
