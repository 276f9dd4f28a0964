/**
 * Verify and restore through core's channels on real archives: the file chosen through the dialogs port
 * (`chooseOpenFile`), the open workspace's own backups verified without a passphrase, another workspace's
 * only with its passphrase or recovery key, every damaged kind refused with its reason (wrong key, flipped
 * byte, cut short, future format, not a backup); a restore into a new workspace that the workspace manager
 * lists and that opens and finds the message by search — for a business (passphrase or recovery key) and for
 * the demo (this computer's keychain); and replacing the current data, pending until confirmed or rolled back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupFileChoice, BackupFileView, BackupRestoreResult, BackupRunResult, BackupVerifyResult, BackupView, SearchPage, WorkspaceSummary } from '../../../shared/ipc';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { auditActions, call, createBusiness, fails, passphrase, reasonOf, startBackupCore, tempDir, writeMessages } from './backup-ipc-support';
import type { BackupCore } from './backup-ipc-support';

async function backUp(bc: BackupCore, dest = tempDir('frontdesk-dest-')): Promise<{ path: string; result: BackupRunResult; dest: string }> {
  bc.ports.dialogs.preset('chooseFolder', dest);
  await call(bc.core, 'backup:choose-destination');
  const result = await call<BackupRunResult>(bc.core, 'backup:run');
  return { path: join(dest, result.fileName), result, dest };
}

async function choose(bc: BackupCore, path: string): Promise<BackupFileView> {
  bc.ports.dialogs.preset('chooseOpenFile', path);
  const choice = await call<BackupFileChoice>(bc.core, 'backup:choose-file');
  if (!choice.chosen) throw new Error('not chosen');
  return choice.file;
}

async function variant(path: string, name: string, change: (bytes: Buffer) => Buffer): Promise<string> {
  const target = join(tempDir('frontdesk-variants-'), name);
  writeFileSync(target, change(readFileSync(path)));
  return target;
}

/** The header rewritten with a newer format number and a checksum that matches it: a future Frontdesk's file. */
async function futureFormat(bytes: Buffer): Promise<Buffer> {
  const sodium = await loadSodium();
  const length = bytes.readUInt32LE(10);
  const header = JSON.parse(bytes.subarray(46, 46 + length).toString('utf8')) as { format: number };
  header.format = 2;
  const json = Buffer.from(JSON.stringify(header));
  const fixed = Buffer.from(bytes.subarray(0, 14));
  fixed.writeUInt16LE(2, 8);
  fixed.writeUInt32LE(json.length, 10);
  const checksum = sodium.crypto_generichash(32, Buffer.concat([fixed, json]), null);
  return Buffer.concat([fixed, checksum, json, bytes.subarray(46 + length)]);
}

describe('verify a backup', () => {
  it('verifies the open workspace’s own backup without asking, and refuses each damage with its reason', async () => {
    const bc = startBackupCore();
    await createBusiness(bc);
    await writeMessages(bc, 'rambutan');
    const { path, result } = await backUp(bc);

    // Cancelled dialog: nothing chosen.
    bc.ports.dialogs.preset('chooseOpenFile', null);
    expect(await call(bc.core, 'backup:choose-file')).toEqual({ chosen: false });

    const file = await choose(bc, path);
    expect(file).toMatchObject({ fileName: result.fileName, fileBytes: result.fileBytes, createdAt: result.createdAt, workspaceKind: 'business', ownWorkspace: true, unlockMethods: ['passphrase', 'recovery'] });
    expect(file.workspaceName).toBe('Harbour Dental 港湾牙科');
    const verified = await call<BackupVerifyResult>(bc.core, 'backup:verify', { fileId: file.fileId });
    expect(verified).toMatchObject({ fileName: result.fileName, createdAt: result.createdAt, fileBytes: result.fileBytes, entries: 2, mediaFiles: 1 });
    expect(bc.of('backup:progress').some((p) => p.operation === 'verify' && p.phase === 'done')).toBe(true);
    expect(auditActions(bc).find((e) => e.action === 'backup.verified')).toBeTruthy();

    const size = readFileSync(path).length;
    const flipped = await variant(path, 'flipped.fdbackup', (b) => {
      b[Math.floor(size * 0.6)]! ^= 0x01;
      return b;
    });
    const cut = await variant(path, 'cut.fdbackup', (b) => b.subarray(0, size - 100));
    const future = await variant(path, 'future.fdbackup', (b) => Buffer.from(b));
    writeFileSync(future, await futureFormat(readFileSync(path)));

    const refusal = async (target: string) => {
      const chosen = await choose(bc, target);
      const error = await fails(bc, 'backup:verify', { fileId: chosen.fileId });
      return { code: error.code, reason: reasonOf(error) };
    };
    expect(await refusal(flipped)).toEqual({ code: 'backup_tampered', reason: 'tampered' });
    expect(await refusal(cut)).toEqual({ code: 'backup_truncated', reason: 'truncated' });
    // A future format or a file that is not a backup is refused already when chosen (its header says so).
    bc.ports.dialogs.preset('chooseOpenFile', future);
    const tooNew = await fails(bc, 'backup:choose-file');
    expect({ code: tooNew.code, reason: reasonOf(tooNew) }).toEqual({ code: 'backup_too_new', reason: 'too_new' });
    const notBackup = await variant(path, 'notes.fdbackup', () => Buffer.from('Dear diary, today I backed up nothing.'));
    bc.ports.dialogs.preset('chooseOpenFile', notBackup);
    const notOne = await fails(bc, 'backup:choose-file');
    expect({ code: notOne.code, reason: reasonOf(notOne) }).toEqual({ code: 'not_a_backup', reason: 'not_a_backup' });
    expect(auditActions(bc).filter((e) => e.action === 'backup.verify-failed').map((e) => e.details.reason)).toEqual(['truncated', 'tampered']);
  });

  it('asks for the passphrase or recovery key for another workspace’s backup, and refuses a wrong one', async () => {
    const other = startBackupCore();
    const made = await createBusiness(other, 'Lotus Clinic');
    await writeMessages(other, 'longan');
    const { path } = await backUp(other);

    const bc = startBackupCore();
    await createBusiness(bc);
    const file = await choose(bc, path);
    expect(file).toMatchObject({ ownWorkspace: false, workspaceName: 'Lotus Clinic' });
    expect((await fails(bc, 'backup:verify', { fileId: file.fileId })).fields).toEqual([{ path: 'credentials', message: 'required' }]);
    const wrong = await fails(bc, 'backup:verify', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase: 'not the passphrase at all' } });
    expect({ code: wrong.code, reason: reasonOf(wrong) }).toEqual({ code: 'wrong_passphrase', reason: 'wrong_passphrase' });
    const keychain = await fails(bc, 'backup:verify', { fileId: file.fileId, credentials: { method: 'keychain' } });
    expect({ code: keychain.code, reason: reasonOf(keychain) }).toEqual({ code: 'backup_no_unlock_method', reason: 'no_unlock_method' });
    expect(await call(bc.core, 'backup:verify', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase } })).toMatchObject({ workspaceName: 'Lotus Clinic' });
    expect(await call(bc.core, 'backup:verify', { fileId: file.fileId, credentials: { method: 'recovery', recoveryKey: made.recoveryKey } })).toMatchObject({ entries: 2 });

    // Replacing this workspace by another's backup: refused, wrong key, nothing changed.
    const replace = await fails(bc, 'backup:replace', { fileId: file.fileId });
    expect({ code: replace.code, reason: reasonOf(replace) }).toEqual({ code: 'wrong_key', reason: 'wrong_key' });
    expect((await call<BackupView>(bc.core, 'backup:get')).pendingReplacement).toBeNull();
  });
});

describe('restore', () => {
  it('restores a business backup into a new workspace the manager lists, which opens and finds the message', async () => {
    const bc = startBackupCore();
    const original = await createBusiness(bc);
    await writeMessages(bc, 'mangosteen');
    const { path } = await backUp(bc);
    const file = await choose(bc, path);

    const wrong = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase: 'nope nope nope nope' }, name: 'Copy' });
    expect(wrong.code).toBe('wrong_passphrase');
    // With the recovery key, the copy needs a passphrase of its own.
    const weak = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'recovery', recoveryKey: original.recoveryKey }, name: 'Copy' });
    expect(weak.code).toBe('passphrase_too_weak');
    expect((await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).length).toBe(1);

    bc.clock.advance(60_000);
    const restored = await call<BackupRestoreResult>(bc.core, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase }, name: 'Harbour Dental (restored)' });
    expect(restored).toMatchObject({ workspace: { name: 'Harbour Dental (restored)', kind: 'business', keychainUnlock: false }, entries: 2, missingMedia: 0 });
    expect(restored.newRecoveryKey).toMatch(/^(\d{4} ){15}\d{4}$/);
    expect(bc.of('backup:progress').some((p) => p.operation === 'restore' && p.phase === 'done')).toBe(true);
    expect(auditActions(bc).find((e) => e.action === 'backup.restored')?.details).toMatchObject({ mode: 'new-workspace' });

    const list = await call<WorkspaceSummary[]>(bc.core, 'workspace:list');
    expect(list.map((w) => w.id)).toEqual([original.id, restored.workspace.id]);
    await call(bc.core, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'passphrase', passphrase });
    expect((await call<{ open: { id: string } }>(bc.core, 'workspace:state')).open.id).toBe(restored.workspace.id);
    const found = await call<SearchPage>(bc.core, 'search:messages', { query: 'mangosteen' });
    expect(found.hits.length).toBe(6);
    // The new recovery key opens it too.
    await call(bc.core, 'workspace:close');
    await call(bc.core, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'recovery', recoveryKey: restored.newRecoveryKey! });
  });

  it('restores the demo’s backup (no passphrase) with this computer’s keychain into a second demo workspace', async () => {
    const bc = startBackupCore();
    await call(bc.core, 'workspace:open-demo');
    await writeMessages(bc, 'durian');
    const { path } = await backUp(bc);
    const file = await choose(bc, path);
    expect(file).toMatchObject({ workspaceKind: 'demo', ownWorkspace: true, unlockMethods: ['keychain'] });
    const passphraseTry = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase }, name: 'Demo copy' });
    expect(reasonOf(passphraseTry)).toBe('no_unlock_method');
    bc.clock.advance(60_000);
    const restored = await call<BackupRestoreResult>(bc.core, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'keychain' }, name: 'Demo (restored)' });
    expect(restored).toMatchObject({ workspace: { kind: 'demo', keychainUnlock: true, name: 'Demo (restored)' }, newRecoveryKey: null });
    expect((await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).map((w) => w.name)).toEqual(['Demo', 'Demo (restored)']);
    await call(bc.core, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'keychain' });
    expect((await call<SearchPage>(bc.core, 'search:messages', { query: 'durian' })).hits.length).toBe(6);
  });

  it('replaces this workspace’s data by its backup, keeps the old data until confirmed, and rolls back', async () => {
    const bc = startBackupCore();
    await createBusiness(bc);
    const { conversationId } = await writeMessages(bc, 'jackfruit');
    const { path } = await backUp(bc);
    bc.archive().messages.insert({ conversationId, wamid: 'wamid.after', direction: 'in', type: 'text', text: 'written after the backup tamarind', timestamp: bc.clock.now() });
    const search = async (q: string) => (await call<SearchPage>(bc.core, 'search:messages', { query: q })).hits.length;
    expect(await search('tamarind')).toBe(1);

    // Roll back: the data from before is back.
    let file = await choose(bc, path);
    const replaced = await call<BackupView>(bc.core, 'backup:replace', { fileId: file.fileId });
    expect(replaced.pendingReplacement).toMatchObject({ backupCreatedAt: file.createdAt });
    expect(await search('tamarind')).toBe(0);
    expect(await search('jackfruit')).toBe(6);
    expect((await fails(bc, 'backup:replace', { fileId: file.fileId })).code).toBe('backup_replace_state');
    expect((await call<BackupView>(bc.core, 'backup:rollback-replace')).pendingReplacement).toBeNull();
    expect(await search('tamarind')).toBe(1);
    expect(auditActions(bc).some((e) => e.action === 'backup.replace-rolled-back')).toBe(true);
    expect((await fails(bc, 'backup:confirm-replace')).code).toBe('backup_replace_state');

    // Confirm: the restored data stays.
    file = await choose(bc, path);
    await call(bc.core, 'backup:replace', { fileId: file.fileId });
    expect((await call<BackupView>(bc.core, 'backup:confirm-replace')).pendingReplacement).toBeNull();
    expect(await search('tamarind')).toBe(0);
    expect(auditActions(bc).some((e) => e.action === 'backup.replace-confirmed')).toBe(true);
    expect((await call<{ locked: boolean }>(bc.core, 'workspace:state')).locked).toBe(false);
  });
});
