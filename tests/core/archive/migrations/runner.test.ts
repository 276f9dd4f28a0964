import { describe, expect, it } from 'vitest';
import { migrations, readSchemaVersion, runMigrations } from '../../../../electron/core/archive/migrations';
import type { Migration } from '../../../../electron/core/archive/migrations';
import { AppError } from '../../../../electron/core/errors';
import { createDB, schemaOf, updateToVersion } from '../../../support/archive-helpers';

const failing: Migration = {
  version: migrations.length + 1,
  up(db) {
    db.exec('CREATE TABLE half_done (x INTEGER)');
    db.exec("INSERT INTO settings(key, value_json, updated_at) VALUES ('half', '1', 0)");
    throw new Error('boom');
  },
};

describe('runMigrations', () => {
  it('brings an empty database to the newest version', () => {
    const { db } = createDB();
    expect(runMigrations(db, migrations)).toEqual({ from: 0, to: migrations.length });
    expect(readSchemaVersion(db)).toBe(migrations.length);
    expect(runMigrations(db, migrations)).toEqual({ from: migrations.length, to: migrations.length });
  });

  it('runs every pending migration in one transaction: a failure leaves version and schema as before', () => {
    const { db } = createDB();
    expect(() => runMigrations(db, [...migrations, failing])).toThrow('boom');
    // Not even the migrations before the failing one were kept.
    expect(readSchemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual([]);

    updateToVersion(db, migrations.length);
    const before = schemaOf(db);
    expect(() => runMigrations(db, [...migrations, failing])).toThrow('boom');
    expect(readSchemaVersion(db)).toBe(migrations.length);
    expect(schemaOf(db)).toEqual(before);
    expect(db.prepare("SELECT count(*) FROM settings WHERE key = 'half'").pluck().get()).toBe(0);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a database newer than the code, changing nothing', () => {
    const { db } = createDB();
    updateToVersion(db, migrations.length);
    db.pragma(`user_version = ${migrations.length + 3}`);
    const before = schemaOf(db);
    let error: unknown;
    try {
      runMigrations(db, migrations);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('archive_too_new');
    expect(schemaOf(db)).toEqual(before);
    expect(readSchemaVersion(db)).toBe(migrations.length + 3);
  });

  it('rolls back a migration that leaves a broken foreign key', () => {
    const { db } = createDB();
    updateToVersion(db, migrations.length);
    const breaking: Migration = {
      version: migrations.length + 1,
      up(d) {
        d.exec("INSERT INTO conversations(contact_id, last_activity_at, created_at) VALUES (424242, 0, 0)");
      },
    };
    expect(() => runMigrations(db, [...migrations, breaking])).toThrow(/foreign key/);
    expect(readSchemaVersion(db)).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) FROM conversations').pluck().get()).toBe(0);
  });

  it('refuses a migration list with a gap', () => {
    const { db } = createDB();
    expect(() => runMigrations(db, [{ ...failing, version: 7 }])).toThrow(/out of order/);
  });
});
