import type Database from 'better-sqlite3';

/**
 * Business settings and secrets kept inside the encrypted archive (access token, app secret, automation
 * rules). Not for window size or theme: those live in the settings port, outside the archive.
 */
export interface SettingsRepository {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export function createSettingsRepository(db: Database.Database, now: () => number): SettingsRepository {
  const get = db.prepare<[string], string>('SELECT value_json FROM settings WHERE key = ?').pluck();
  const set = db.prepare<[string, string, number]>(`
    INSERT INTO settings(key, value_json, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`);
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');

  return {
    get(key) {
      const json = get.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as unknown);
    },
    set(key, value) {
      if (value === undefined) throw new Error(`Setting ${key}: undefined is not storable; delete it instead`);
      set.run(key, JSON.stringify(value), now());
    },
    delete: (key) => void remove.run(key),
  };
}
