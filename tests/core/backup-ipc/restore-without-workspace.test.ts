/**
 * Restoring on a new computer (PRODUCT §12) through core's channels: a backup made on one computer (its own
 * data folder and keychain) is chosen on another with no workspace open — the header read (workspace name, made
 * at, unlock methods) — and restored into a new workspace with its passphrase, or with its recovery key and a
 * new passphrase; each appears in `workspace:list`, unlocks, and finds the message. A wrong passphrase is
 * refused with its code; a demo backup (keychain only) is refused on another computer; the file chosen with
 * no workspace is not usable once one is open; a locked window cannot choose; every other backup channel still
 * needs an open, unlocked workspace.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupFileChoice, BackupFileView, BackupRestoreResult, BackupRunResult, SearchPage, WorkspaceSummary } from '../../../shared/ipc';
import { call, createBusiness, fails, passphrase, reasonOf, startBackupCore, tempDir, writeMessages } from './backup-ipc-support';
import type { BackupCore } from './backup-ipc-support';

async function backUp(bc: BackupCore): Promise<{ path: string; result: BackupRunResult }> {
  const dest = tempDir('frontdesk-dest-');
  bc.ports.dialogs.preset('chooseFolder', dest);
  await call(bc.core, 'backup:choose-destination');
  const result = await call<BackupRunResult>(bc.core, 'backup:run');
  return { path: join(dest, result.fileName), result };
}

async function choose(bc: BackupCore, path: string): Promise<BackupFileView> {
  bc.ports.dialogs.preset('chooseOpenFile', path);
  const choice = await call<BackupFileChoice>(bc.core, 'backup:choose-file');
  if (!choice.chosen) throw new Error('not chosen');
  return choice.file;
}

/** A business backup made on "the old computer". */
async function madeElsewhere(word: string) {
  const old = startBackupCore();
  const made = await createBusiness(old, 'Lotus Clinic 莲花诊所');
  await writeMessages(old, word);
  const { path, result } = await backUp(old);
  return { path, result, recoveryKey: made.recoveryKey };
}

const newPassphrase = 'a brand new passphrase for this computer';

describe('restore on a new computer, with no workspace open', () => {
  it('restores a business backup with its passphrase: listed, unlocks, finds the message', async () => {
    const backup = await madeElsewhere('mangosteen');
    const bc = startBackupCore();
    expect(await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).toEqual([]);

    // Cancelled dialog: nothing chosen.
    bc.ports.dialogs.preset('chooseOpenFile', null);
    expect(await call(bc.core, 'backup:choose-file')).toEqual({ chosen: false });

    const file = await choose(bc, backup.path);
    expect(file).toMatchObject({
      fileName: backup.result.fileName,
      createdAt: backup.result.createdAt,
      workspaceName: 'Lotus Clinic 莲花诊所',
      workspaceKind: 'business',
      ownWorkspace: false,
      unlockMethods: ['passphrase', 'recovery'],
    });

    const wrong = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase: 'not the passphrase at all' }, name: 'Lotus' });
    expect({ code: wrong.code, reason: reasonOf(wrong) }).toEqual({ code: 'wrong_passphrase', reason: 'wrong_passphrase' });
    const wrongKey = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'recovery', recoveryKey: '1234 '.repeat(15) + '1234' }, name: 'Lotus', newPassphrase });
    expect(wrongKey.code).toBe('wrong_recovery_key');
    expect(await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).toEqual([]);

    const restored = await call<BackupRestoreResult>(bc.core, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase }, name: 'Lotus Clinic (restored)' });
    expect(restored).toMatchObject({ workspace: { name: 'Lotus Clinic (restored)', kind: 'business', keychainUnlock: false }, entries: 2, missingMedia: 0 });
    expect(restored.newRecoveryKey).toMatch(/^(\d{4} ){15}\d{4}$/);
    // Still nothing open: the picker lists it, and it opens at the unlock screen.
    expect((await call<{ open: unknown }>(bc.core, 'workspace:state')).open).toBeNull();
    expect(await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).toEqual([restored.workspace]);

    await call(bc.core, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'passphrase', passphrase });
    expect((await call<{ open: { id: string } }>(bc.core, 'workspace:state')).open.id).toBe(restored.workspace.id);
    expect((await call<SearchPage>(bc.core, 'search:messages', { query: 'mangosteen' })).hits.length).toBe(6);
    // The file chosen with no workspace open is not used from the workspace opened since.
    expect((await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase }, name: 'Again' })).code).toBe('not_found');
  });

  it('restores it with the recovery key and a new passphrase, which then unlocks it', async () => {
    const backup = await madeElsewhere('rambutan');
    const bc = startBackupCore();
    const file = await choose(bc, backup.path);

    const weak = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'recovery', recoveryKey: backup.recoveryKey }, name: 'Lotus' });
    expect(weak.code).toBe('passphrase_too_weak');

    const restored = await call<BackupRestoreResult>(bc.core, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'recovery', recoveryKey: backup.recoveryKey }, newPassphrase, name: 'Lotus Clinic' });
    expect(restored.workspace).toMatchObject({ name: 'Lotus Clinic', kind: 'business' });
    // The recovery key it was opened with stays the workspace's recovery key: no new one to write down.
    expect(restored.newRecoveryKey).toBeNull();
    expect((await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).map((w) => w.id)).toEqual([restored.workspace.id]);

    expect((await fails(bc, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'passphrase', passphrase })).code).toBe('wrong_passphrase');
    bc.clock.advance(5_000); // past the wait after a wrong try
    await call(bc.core, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'passphrase', passphrase: newPassphrase });
    expect((await call<SearchPage>(bc.core, 'search:messages', { query: 'rambutan' })).hits.length).toBe(6);
    // The recovery key it was restored with opens it too.
    await call(bc.core, 'workspace:close');
    await call(bc.core, 'vault:unlock', { workspaceId: restored.workspace.id, method: 'recovery', recoveryKey: backup.recoveryKey });
  });

  it('refuses a demo (keychain-only) backup on another computer, saying the keychain cannot open it', async () => {
    const old = startBackupCore();
    await call(old.core, 'workspace:open-demo');
    const { path } = await backUp(old);

    const bc = startBackupCore();
    const file = await choose(bc, path);
    expect(file).toMatchObject({ workspaceKind: 'demo', unlockMethods: ['keychain'] });
    const refused = await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'keychain' }, name: 'Demo' });
    expect({ code: refused.code, reason: reasonOf(refused) }).toEqual({ code: 'keychain_unavailable', reason: 'keychain_unavailable' });
    expect(await call<WorkspaceSummary[]>(bc.core, 'workspace:list')).toEqual([]);
  });

  it('keeps every other backup channel closed without a workspace, and choosing closed while locked', async () => {
    const backup = await madeElsewhere('durian');
    const bc = startBackupCore();
    const file = await choose(bc, backup.path);
    const closed: Array<[string, unknown]> = [
      ['backup:get', undefined],
      ['backup:save-settings', { schedule: { frequency: 'daily', time: '21:00', weekday: 1 }, keep: 3 }],
      ['backup:choose-destination', undefined],
      ['backup:use-cloud-folder', { path: '/tmp' }],
      ['backup:run', undefined],
      ['backup:cancel', undefined],
      ['backup:verify', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase } }],
      ['backup:replace', { fileId: file.fileId }],
      ['backup:confirm-replace', undefined],
      ['backup:rollback-replace', undefined],
    ];
    for (const [channel, payload] of closed) expect((await fails(bc, channel, payload)).code, channel).toBe('no_workspace_open');

    // A locked window gets nothing: neither the file dialog nor a restore.
    await createBusiness(bc, 'Tea House');
    await call(bc.core, 'vault:lock');
    bc.ports.dialogs.preset('chooseOpenFile', backup.path);
    expect((await fails(bc, 'backup:choose-file')).code).toBe('locked');
    expect((await fails(bc, 'backup:restore-new', { fileId: file.fileId, credentials: { method: 'passphrase', passphrase }, name: 'Lotus' })).code).toBe('locked');
  });
});
