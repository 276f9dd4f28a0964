import type Database from 'better-sqlite3';
import { AppError } from '../../errors';

/** One schema version: `up` moves a database from `version - 1` to `version`. Never edit a shipped one. */
export interface Migration {
  version: number;
  up(db: Database.Database): void;
}

export interface MigrationResult {
  from: number;
  to: number;
}

export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema to `target` (default: the newest known). Every pending migration runs in ONE transaction,
 * so an archive is always at exactly one known version: a failing step leaves version and schema as before.
 * A database newer than this code is refused before anything is written.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[], target?: number): MigrationResult {
  assertOrdered(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const to = target ?? latest;
  if (to > latest) throw new Error(`No migration to version ${to} (newest is ${latest})`);
  const from = readSchemaVersion(db);
  if (from > latest) throw tooNew(from, latest);
  if (from >= to) return { from, to: from };

  const pending = migrations.filter((m) => m.version > from && m.version <= to);
  // foreign_keys cannot change inside a transaction, and SQLite's recipe for table rebuilds needs it off;
  // the check below restores the guarantee before commit.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`Migration to ${to} left ${broken.length} broken foreign key(s)`);
    }).immediate();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return { from, to };
}

export function tooNew(version: number, latest: number): AppError {
  return new AppError('archive_too_new', `The archive has schema version ${version}; this Frontdesk knows up to ${latest}`);
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list out of order at index ${i} (version ${m.version})`);
  });
}
