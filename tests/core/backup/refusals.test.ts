import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackup, inspectBackup, restoreToNewWorkspace, verifyBackup } from '../../../electron/core/backup';
import type { BackupCredentials } from '../../../electron/core/backup';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { formatRecoveryKey, generateRecoveryKey } from '../../../electron/core/vault/recovery-key';
import { fastArgon2, tempDir } from '../helpers';
import { createWorkspace, passphrase, seed } from './fixture';

/**
 * One real backup (several media files, small chunks so there are many messages), then copies of it damaged
 * in every way a disk, a sync client or a person could: each must be refused with its own reason.
 */
let original: Buffer;
let recoveryKey: string;
let bodyOffset: number;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-refusals-'));
  const fx = await createWorkspace({ root: dir, manual: true });
  await seed(fx, { contacts: 3, messages: 40, mediaSizes: [300_000, 90_000, 2_000] });
  const { path } = await exportBackup({ workspace: fx, destinationDir: dir, appVersion: '1.0.0', chunkBytes: 8192 });
  original = readFileSync(path);
  recoveryKey = fx.recoveryKey;
  bodyOffset = 46 + original.readUInt32LE(10);
  fx.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const byPassphrase: BackupCredentials = { method: 'passphrase', passphrase };

function variant(name: string, bytes: Buffer): string {
  const path = join(dir, `${name}.fdbackup`);
  writeFileSync(path, bytes);
  return path;
}

function flipped(at: number): Buffer {
  const copy = Buffer.from(original);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** A copy whose header was edited and given a correct checksum again: only the key can tell. */
async function reChecksummed(edit: (header: Record<string, unknown>) => void, version = 1): Promise<Buffer> {
  const sodium = await loadSodium();
  const header = JSON.parse(original.subarray(46, bodyOffset).toString('utf8')) as Record<string, unknown>;
  edit(header);
  const json = Buffer.from(JSON.stringify(header));
  const fixed = Buffer.from(original.subarray(0, 14));
  fixed.writeUInt16LE(version, 8);
  fixed.writeUInt32LE(json.length, 10);
  const checksum = sodium.crypto_generichash(32, Buffer.concat([fixed, json]), null);
  return Buffer.concat([fixed, checksum, json, original.subarray(bodyOffset)]);
}

async function refusal(path: string, credentials: BackupCredentials = byPassphrase) {
  try {
    await verifyBackup({ path, credentials });
  } catch (error) {
    return { code: (error as { code: string }).code, reason: (error as { reason: string }).reason };
  }
  throw new Error('verify accepted it');
}

describe('verify refuses a damaged, altered or foreign backup with the reason', () => {
  it('accepts the untouched file', async () => {
    const result = await verifyBackup({ path: variant('good', original), credentials: byPassphrase });
    expect(result.manifest.mediaFiles).toBe(3);
  });

  it.each([
    ['the magic', 2, 'not_a_backup', 'not_a_backup'],
    ['the format version', 8, 'tampered', 'backup_tampered'],
    ['the header length', 11, 'tampered', 'backup_tampered'],
    ['the checksum', 20, 'tampered', 'backup_tampered'],
    ['the header JSON (workspace id, wraps)', 46 + 40, 'tampered', 'backup_tampered'],
    ['the last header byte', -1, 'tampered', 'backup_tampered'],
  ])('a flipped byte in %s', async (_what, at, reason, code) => {
    const position = at === -1 ? bodyOffset - 1 : at;
    expect(await refusal(variant(`flip-${position}`, flipped(position)))).toEqual({ code, reason });
  });

  it.each([
    ['the first message’s length', () => bodyOffset + 1],
    ['the first message (the first entry header)', () => bodyOffset + 10],
    ['the first data chunk', () => bodyOffset + 300],
    ['the middle', () => Math.floor(original.length / 2)],
    ['the last message', () => original.length - 5],
    ['the very last byte', () => original.length - 1],
  ])('a flipped byte in %s of the body', async (_what, at) => {
    const position = at();
    expect(await refusal(variant(`flip-body-${position}`, flipped(position)))).toEqual({ code: 'backup_tampered', reason: 'tampered' });
  });

  it('a header edited with a recomputed checksum is refused by authentication (the header is the data of every message)', async () => {
    const edited = await reChecksummed((h) => (h.createdAt = (h.createdAt as number) + 1));
    expect(await refusal(variant('rechecksummed', edited))).toEqual({ code: 'backup_tampered', reason: 'tampered' });
  });

  it.each([
    ['inside the header', () => 30],
    ['inside the first message', () => bodyOffset + 20],
    ['in the middle', () => Math.floor(original.length / 2)],
    ['exactly before the final message', () => finalMessageOffset()],
    ['one byte short', () => original.length - 1],
  ])('a file cut %s is truncated', async (_what, at) => {
    const cut = at();
    expect(await refusal(variant(`cut-${cut}`, original.subarray(0, cut)))).toEqual({ code: 'backup_truncated', reason: 'truncated' });
  });

  it('bytes appended after the final message are refused', async () => {
    expect(await refusal(variant('appended', Buffer.concat([original, Buffer.from('extra')])))).toEqual({ code: 'backup_tampered', reason: 'tampered' });
  });

  it('a wrong passphrase and a wrong recovery key are told apart', async () => {
    const path = variant('keys', original);
    expect(await refusal(path, { method: 'passphrase', passphrase: 'not the passphrase at all' })).toEqual({ code: 'wrong_passphrase', reason: 'wrong_passphrase' });
    expect(await refusal(path, { method: 'recovery', recoveryKey: formatRecoveryKey(generateRecoveryKey()) })).toEqual({
      code: 'wrong_recovery_key',
      reason: 'wrong_recovery_key',
    });
    expect(await refusal(path, { method: 'recovery', recoveryKey: 'not even digits' })).toEqual({ code: 'wrong_recovery_key', reason: 'wrong_recovery_key' });
    expect((await verifyBackup({ path, credentials: { method: 'recovery', recoveryKey } })).manifest.mediaFiles).toBe(3);
  });

  it('a newer format is refused as too new, by inspect and verify alike', async () => {
    const future = variant('future', await reChecksummed((h) => (h.format = 2), 2));
    expect(await refusal(future)).toEqual({ code: 'backup_too_new', reason: 'too_new' });
    await expect(inspectBackup(future)).rejects.toMatchObject({ reason: 'too_new' });
  });

  it('a file that is not a backup is refused as such', async () => {
    expect(await refusal(variant('text', Buffer.from('Dear diary, today I backed up nothing.')))).toEqual({ code: 'not_a_backup', reason: 'not_a_backup' });
    expect(await refusal(variant('empty', Buffer.alloc(0)))).toEqual({ code: 'not_a_backup', reason: 'not_a_backup' });
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);
    await expect(inspectBackup(variant('photo', jpeg))).rejects.toMatchObject({ reason: 'not_a_backup' });
  });

  it('restore refuses a damaged file and leaves no workspace behind', async () => {
    const workspacesDir = join(tempDir(), 'workspaces');
    const damaged = variant('restore-damaged', flipped(Math.floor(original.length / 2)));
    await expect(
      restoreToNewWorkspace({ path: damaged, workspacesDir, credentials: byPassphrase, argon2: fastArgon2 }),
    ).rejects.toMatchObject({ reason: 'tampered' });
    expect(readdirSync(workspacesDir)).toEqual([]);
  });

  it('inspect reads who and when without any key', async () => {
    const path = join(dir, 'inspect.fdbackup');
    copyFileSync(variant('inspect-src', original), path);
    expect(await inspectBackup(path)).toMatchObject({ formatVersion: 1, appVersion: '1.0.0', unlockMethods: ['passphrase', 'recovery'], workspace: { name: 'Harbour Dental' } });
  });
});

/** Where the final (end) message starts: walk the frames. */
function finalMessageOffset(): number {
  let position = bodyOffset;
  let last = position;
  while (position < original.length) {
    last = position;
    position += 4 + original.readUInt32LE(position);
  }
  return last;
}
