import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';

export type TombstoneKind = 'user_id' | 'wa_id' | 'phone' | 'wamid';

/**
 * Marks of erased data, so a replayed webhook or a restored backup does not bring an erased contact back.
 * Only a keyed hash of each identity is kept (the salt is random per archive): the tombstone must not
 * itself retain the number it stands for.
 */
export interface TombstonesRepository {
  add(kind: TombstoneKind, value: string): void;
  has(kind: TombstoneKind, value: string): boolean;
}

/** The stored form of a tombstone: HMAC-SHA256 keyed by the archive's salt (also used to apply them to a restored copy). */
export function tombstoneKeyHash(salt: Uint8Array, kind: TombstoneKind, value: string): string {
  return createHmac('sha256', salt).update(`${kind}\u0000${value}`).digest('hex');
}

export function createTombstonesRepository(db: Database.Database, now: () => number): TombstonesRepository {
  const salt = db.prepare<[], string>("SELECT json_extract(value_json, '$') FROM settings WHERE key = 'archive.tombstoneSalt'").pluck();
  const insert = db.prepare<[TombstoneKind, string, number]>('INSERT OR IGNORE INTO tombstones(kind, key_hash, created_at) VALUES (?, ?, ?)');
  const exists = db.prepare<[TombstoneKind, string], number>('SELECT 1 FROM tombstones WHERE kind = ? AND key_hash = ?').pluck();
  let key: Buffer | undefined;
  const hash = (kind: TombstoneKind, value: string) => {
    key ??= Buffer.from(salt.get()!, 'hex');
    return tombstoneKeyHash(key, kind, value);
  };
  return {
    add: (kind, value) => void insert.run(kind, hash(kind, value), now()),
    has: (kind, value) => exists.get(kind, hash(kind, value)) === 1,
  };
}
