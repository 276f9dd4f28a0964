/**
 * vitest helpers for archive tests: real encrypted SQLite files in temp folders, closed and removed when the
 * test ends. Migration helpers follow Signal-Desktop's `createDB` / `updateToVersion`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { openArchive, openKeyedDatabase } from '../../electron/core/archive/connection';
import type { Archive, OpenArchiveOptions } from '../../electron/core/archive/connection';
import { migrations, runMigrations } from '../../electron/core/archive/migrations';
import { tempDir } from '../core/helpers';

export function randomKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

export interface TestArchive {
  archive: Archive;
  dir: string;
  path: string;
  key: Uint8Array;
}

/** A fresh encrypted archive, closed when the test ends. */
export function createTestArchive(options: Partial<OpenArchiveOptions> = {}): TestArchive {
  const dir = tempDir('frontdesk-archive-');
  const path = join(dir, 'archive.db');
  const key = options.key ?? randomKey();
  const archive = openArchive({ ...options, path, key });
  onTestFinished(() => archive.close());
  return { archive, dir, path, key };
}

/** An empty keyed database with no schema (user_version 0), closed when the test ends. */
export function createDB(key: Uint8Array | null = randomKey()): { db: Database.Database; path: string; key: Uint8Array | null } {
  const path = join(tempDir('frontdesk-migration-'), 'archive.db');
  const db = openKeyedDatabase({ path, key });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  onTestFinished(() => {
    if (db.open) db.close();
  });
  return { db, path, key };
}

/** Runs the real migrations up to `version` (not beyond), as the app would on an older archive. */
export function updateToVersion(db: Database.Database, version: number): void {
  runMigrations(db, migrations, version);
}

/** The bytes of the archive file and, when present, its -wal and -shm files. */
export function archiveFiles(path: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) files.set(path + suffix, readFileSync(path + suffix));
  return files;
}

/** Names of tables, indexes, triggers and views, for comparing schemas. */
export function schemaOf(db: Database.Database): Array<{ type: string; name: string; sql: string | null }> {
  return db.prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
}
