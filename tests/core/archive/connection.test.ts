import { createDecipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openArchive, openKeyedDatabase } from '../../../electron/core/archive/connection';
import { latestSchemaVersion } from '../../../electron/core/archive/migrations';
import { AppError } from '../../../electron/core/errors';
import { archiveFiles, createTestArchive, randomKey } from '../../support/archive-helpers';
import { tempDir } from '../helpers';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('Expected a throw');
}

function expectAppError(fn: () => unknown, code: string) {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

const pageSize = 4096;
const reserve = 80; // SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512

/**
 * An independent SQLCipher 4 page reader (node:crypto only, per SQLCipher's published format): AES-256-CBC
 * with the raw key, HMAC-SHA512 over ciphertext + IV + page number with a key from PBKDF2-SHA512(key, salt ^
 * 0x3a, 2 rounds). If this reads our file, the sqlcipher CLI and DB Browser can too.
 */
function readSqlcipherPage(file: Buffer, pageNo: number, key: Uint8Array): Buffer {
  const salt = file.subarray(0, 16);
  const page = file.subarray((pageNo - 1) * pageSize, pageNo * pageSize);
  const offset = pageNo === 1 ? 16 : 0;
  const ivAt = pageSize - reserve;
  const iv = page.subarray(ivAt, ivAt + 16);
  const mac = page.subarray(ivAt + 16, ivAt + 16 + 64);
  const hmacKey = pbkdf2Sync(key, Buffer.from(salt.map((b) => b ^ 0x3a)), 2, 32, 'sha512');
  const pgno = Buffer.alloc(4);
  pgno.writeUInt32LE(pageNo);
  const expected = createHmac('sha512', hmacKey).update(page.subarray(offset, ivAt + 16)).update(pgno).digest();
  expect(expected.equals(mac)).toBe(true);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([decipher.update(page.subarray(offset, ivAt)), decipher.final()]);
}

describe('openArchive', () => {
  it('writes the SQLCipher 4 format with the raw key, readable again with the same settings', () => {
    const { archive, path, key } = createTestArchive();
    archive.settings.set('probe', 'hello');
    archive.close();

    const file = readFileSync(path);
    expect(file.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    const header = readSqlcipherPage(file, 1, key);
    // Bytes 16… of SQLite's header: page size, WAL read/write versions, reserved bytes per page, payload fractions.
    expect(header.readUInt16BE(0)).toBe(pageSize);
    expect([header[2], header[3]]).toEqual([2, 2]);
    expect(header[4]).toBe(reserve);
    expect([header[5], header[6], header[7]]).toEqual([64, 32, 32]);
    readSqlcipherPage(file, 2, key);

    // A plain SQLite3MultipleCiphers connection configured as any SQLCipher client would be.
    const db = new Database(path, { readonly: true });
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${Buffer.from(key).toString('hex')}'"`);
    expect(db.prepare("SELECT value_json FROM settings WHERE key = 'probe'").pluck().get()).toBe('"hello"');
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();

    const reopened = openArchive({ path, key });
    expect(reopened.settings.get('probe')).toBe('hello');
    reopened.close();
  });

  it('configures WAL, foreign keys, secure delete, synchronous NORMAL and in-memory temp storage', () => {
    const { archive } = createTestArchive();
    const pragma = (name: string) => archive.db.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('secure_delete')).toBe(1);
    expect(pragma('synchronous')).toBe(1);
    expect(pragma('temp_store')).toBe(2);
    expect(pragma('busy_timeout')).toBe(5000);
    expect(pragma('cipher')).toBe('sqlcipher');
    expect(Number(pragma('legacy'))).toBe(4);
    expect(archive.schemaVersion).toBe(latestSchemaVersion);
  });

  it('refuses a wrong key with wrong_key and leaves every file untouched', () => {
    const { archive, path } = createTestArchive();
    archive.settings.set('probe', 1);
    archive.close();
    const before = archiveFiles(path);

    expectAppError(() => openArchive({ path, key: randomKey() }), 'wrong_key');
    expectAppError(() => openArchive({ path, key: null }), 'wrong_key');
    expectAppError(() => openArchive({ path, key: randomKey(), readonly: true }), 'wrong_key');

    const after = archiveFiles(path);
    expect([...after.keys()].filter((p) => !p.endsWith('-shm'))).toEqual([...before.keys()].filter((p) => !p.endsWith('-shm')));
    expect(after.get(path)!.equals(before.get(path)!)).toBe(true);
  });

  it('refuses a wrong key while the writer still has a WAL, without touching the database or the WAL', () => {
    const { archive, path } = createTestArchive();
    archive.settings.set('unflushed', 'x'.repeat(10_000));
    const db = readFileSync(path);
    const wal = readFileSync(`${path}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    expectAppError(() => openKeyedDatabase({ path, key: randomKey() }), 'wrong_key');
    expect(readFileSync(path).equals(db)).toBe(true);
    expect(readFileSync(`${path}-wal`).equals(wal)).toBe(true);
    expect(archive.settings.get('unflushed')).toHaveLength(10_000);
  });

  it('refuses a plaintext SQLite file given a key', () => {
    const path = join(tempDir(), 'plain.db');
    const plain = new Database(path);
    plain.exec('CREATE TABLE t(x)');
    plain.close();
    const before = readFileSync(path);
    expectAppError(() => openArchive({ path, key: randomKey() }), 'wrong_key');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses an archive written by a newer Frontdesk and leaves it byte for byte as it was', () => {
    const { archive, path, key } = createTestArchive();
    archive.close();
    const db = openKeyedDatabase({ path, key });
    db.pragma(`user_version = ${latestSchemaVersion + 1}`);
    db.close();
    const before = archiveFiles(path);

    expectAppError(() => openArchive({ path, key }), 'archive_too_new');
    expectAppError(() => openArchive({ path, key, readonly: true }), 'archive_too_new');

    const after = archiveFiles(path);
    expect(after.get(path)!.equals(before.get(path)!)).toBe(true);
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
  });

  it('reports a damaged file as archive_damaged', () => {
    const { archive, path, key } = createTestArchive();
    archive.settings.set('probe', 1);
    archive.close();
    const file = readFileSync(path);
    file.fill(0x41, 100, 4000); // inside page 1's ciphertext
    writeFileSync(path, file);
    const error = thrownBy(() => openArchive({ path, key }));
    expect(error).toBeInstanceOf(AppError);
    // SQLCipher cannot tell a damaged page 1 from a wrong key: both fail the HMAC.
    expect(['wrong_key', 'archive_damaged']).toContain((error as AppError).code);
  });

  it('opens read-only without writing, and refuses writes', () => {
    const { archive, path, key } = createTestArchive();
    archive.settings.set('probe', 'value');
    archive.close();
    const before = readFileSync(path);
    const ro = openArchive({ path, key, readonly: true });
    expect(ro.settings.get('probe')).toBe('value');
    expect(() => ro.settings.set('probe', 'changed')).toThrow(/readonly/i);
    ro.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    expectAppError(() => openArchive({ path: join(tempDir(), 'missing.db'), key, readonly: true }), 'archive_damaged');
  });

  it('needs a 32-byte key', () => {
    const path = join(tempDir(), 'archive.db');
    expect(() => openArchive({ path, key: new Uint8Array(16) })).toThrow(/32 bytes/);
  });

  it('checkpoints on close, leaving everything in the main file', () => {
    const { archive, path, key } = createTestArchive();
    archive.settings.set('probe', 'x'.repeat(50_000));
    expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);
    archive.close();
    archive.close();
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
    const reopened = openArchive({ path, key });
    expect(reopened.settings.get('probe')).toHaveLength(50_000);
    reopened.close();
  });
});
