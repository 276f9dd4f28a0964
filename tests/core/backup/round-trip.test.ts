import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMediaStore, openArchive } from '../../../electron/core/archive';
import { exportBackup, inspectBackup, restoreToNewWorkspace, verifyBackup } from '../../../electron/core/backup';
import type { BackupProgress } from '../../../electron/core/backup';
import { deriveWorkspaceKeys, unwrapWithKeychain, unwrapWithPassphrase, unwrapWithRecoveryKey } from '../../../electron/core/vault/keys';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { readVaultFile } from '../../../electron/core/vault/vault-file';
import { fastArgon2, tempDir } from '../helpers';
import { createWorkspace, dumpTables, filesUnder, marker, passphrase, pathsOf, seed } from './fixture';
import type { WorkspaceFixture } from './fixture';

async function backUp(fx: WorkspaceFixture, dest = tempDir('frontdesk-dest-'), extra: { onProgress?: (p: BackupProgress) => void; chunkBytes?: number } = {}) {
  return exportBackup({ workspace: fx, destinationDir: dest, appVersion: '1.4.2', audit: fx.archive.audit, ...extra });
}

/** Opens a restored workspace the way the workspace manager would: its vault, its key, its files. */
async function openRestored(dir: string, unlock: (vault: ReturnType<typeof readVaultFile>) => Promise<Uint8Array>) {
  const sodium = await loadSodium();
  const vault = readVaultFile(join(dir, 'vault.json'));
  const keys = deriveWorkspaceKeys(sodium, await unlock(vault));
  const paths = pathsOf(dir);
  const archive = openArchive({ path: paths.database, key: keys.database });
  const media = await createMediaStore({ dir, key: keys.media });
  return { vault, keys, archive, media, close: () => (archive.close(), media.close()) };
}

const mediaFiles = (fx: { paths: { media: string } }) => new Map([...filesUnder(fx.paths.media)].filter(([name]) => !name.startsWith('tmp/')));

describe('backup → restore into a new workspace', () => {
  it('gives back identical rows and media bytes, opened with the passphrase', async () => {
    const fx = await createWorkspace();
    const seeded = await seed(fx, { contacts: 4, messages: 25 });
    const events: BackupProgress[] = [];
    const result = await backUp(fx, undefined, { onProgress: (p) => events.push(p), chunkBytes: 16 * 1024 });

    // Only the final file is in the folder, named as this app names backups.
    expect(readdirSync(join(result.path, '..'))).toEqual([result.fileName]);
    expect(result.fileName).toMatch(/^frontdesk-[0-9a-f]{8}-\d{8}T\d{6}Z-[0-9a-f]{8}\.fdbackup$/);
    expect(result.manifest).toMatchObject({ entries: 1 + seeded.mediaHashes.length, mediaFiles: seeded.mediaHashes.length });

    // Progress went up to the whole of it, files included, and ended "done".
    const last = events.at(-1)!;
    expect(last).toMatchObject({ operation: 'export', phase: 'done', etaMs: 0, filesDone: 1 + seeded.mediaHashes.length });
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(events.some((e) => e.phase === 'verifying')).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i]!.bytesDone).toBeGreaterThanOrEqual(events[i - 1]!.bytesDone);

    const expectedRows = dumpTables(fx.archive, { except: ['audit_log'] });
    const expectedAudit = fx.archive.db.prepare('SELECT * FROM audit_log ORDER BY seq').raw().all();
    const expectedMedia = mediaFiles(fx);
    const plaintexts = await Promise.all(seeded.mediaHashes.map((h) => fx.media.read(h)));

    const newRoot = tempDir('frontdesk-newpc-');
    const restored = await restoreToNewWorkspace({
      path: result.path,
      workspacesDir: join(newRoot, 'workspaces'),
      credentials: { method: 'passphrase', passphrase },
      argon2: fastArgon2,
    });
    expect(restored.workspaceId).not.toBe(fx.vault.id);
    expect(restored.dir).toBe(join(newRoot, 'workspaces', restored.workspaceId));
    expect(readdirSync(join(newRoot, 'workspaces'))).toEqual([restored.workspaceId]);
    expect(restored.missingMedia).toBe(0);
    // Only the passphrase was given: a new recovery key was made for the new workspace.
    expect(restored.newRecoveryKey).toMatch(/^(\d{4} ){15}\d{4}$/);

    const opened = await openRestored(restored.dir, (vault) => unwrapWithPassphrase(vault, passphrase));
    try {
      expect(opened.vault).toMatchObject({ id: restored.workspaceId, kind: 'business', name: 'Harbour Dental' });
      expect(dumpTables(opened.archive, { except: ['audit_log'] })).toEqual(expectedRows);
      // The audit log is the backup's, then one entry for this restore.
      const audit = opened.archive.db.prepare('SELECT * FROM audit_log ORDER BY seq').raw().all();
      expect(audit.slice(0, expectedAudit.length - 1)).toEqual(expectedAudit.slice(0, -1));
      expect(opened.archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'backup.restored', subject: result.backupId });
      expect(opened.archive.audit.verify().ok).toBe(true);
      expect(mediaFiles({ paths: pathsOf(restored.dir) })).toEqual(expectedMedia);
      for (const [i, hash] of seeded.mediaHashes.entries()) expect(await opened.media.read(hash)).toEqual(plaintexts[i]);
      expect(opened.archive.search.searchMessages({ text: 'message 7' }).items.length).toBeGreaterThan(0);
      // The new recovery key opens the new workspace too.
      expect(await unwrapWithRecoveryKey(opened.vault, restored.newRecoveryKey!)).toHaveLength(32);
    } finally {
      opened.close();
    }

    // The backup itself is in the workspace's audit log, by opaque id only.
    const created = fx.archive.audit.page({ limit: 5 }).find((e) => e.action === 'backup.created')!;
    expect(created.subject).toBe(result.backupId);
    expect(JSON.stringify(created)).not.toContain('Harbour');
    expect(JSON.stringify(created)).not.toContain(result.fileName);
  });

  it('restores with the recovery key, keeping it and setting the new passphrase', async () => {
    const fx = await createWorkspace();
    await seed(fx);
    const { path } = await backUp(fx);
    const workspacesDir = join(tempDir(), 'workspaces');
    const restored = await restoreToNewWorkspace({
      path,
      workspacesDir,
      credentials: { method: 'recovery', recoveryKey: fx.recoveryKey },
      newPassphrase: 'a brand new passphrase',
      argon2: fastArgon2,
    });
    expect(restored.newRecoveryKey).toBeNull();
    const opened = await openRestored(restored.dir, (vault) => unwrapWithRecoveryKey(vault, fx.recoveryKey));
    try {
      expect(dumpTables(opened.archive, { except: ['audit_log'] })).toEqual(dumpTables(fx.archive, { except: ['audit_log'] }));
      expect(await unwrapWithPassphrase(opened.vault, 'a brand new passphrase')).toEqual(opened.keys.master);
      await expect(unwrapWithPassphrase(opened.vault, passphrase)).rejects.toMatchObject({ code: 'wrong_passphrase' });
    } finally {
      opened.close();
    }
  });

  it('refuses to restore with the recovery key and no new passphrase, before writing anything', async () => {
    const fx = await createWorkspace();
    await seed(fx);
    const { path } = await backUp(fx);
    const workspacesDir = join(tempDir(), 'workspaces');
    await expect(restoreToNewWorkspace({ path, workspacesDir, credentials: { method: 'recovery', recoveryKey: fx.recoveryKey } })).rejects.toMatchObject({
      code: 'passphrase_too_weak',
    });
    expect(existsSync(workspacesDir) ? readdirSync(workspacesDir) : []).toEqual([]);
  });

  it('restores a demo backup (keychain only) on the same computer, and says what opens it', async () => {
    const fx = await createWorkspace({ kind: 'demo' });
    await seed(fx, { mediaSizes: [5000] });
    const { path } = await backUp(fx);
    expect(await inspectBackup(path)).toMatchObject({ unlockMethods: ['keychain'], workspace: { kind: 'demo', id: fx.vault.id } });
    await expect(verifyBackup({ path, credentials: { method: 'passphrase', passphrase } })).rejects.toMatchObject({ reason: 'no_unlock_method' });

    const restored = await restoreToNewWorkspace({ path, workspacesDir: join(tempDir(), 'workspaces'), credentials: { method: 'keychain', keychain: fx.keychain } });
    expect(restored.vault.kind).toBe('demo');
    expect(Object.keys(restored.vault.wraps)).toEqual(['keychain']);
    const opened = await openRestored(restored.dir, (vault) => unwrapWithKeychain(vault, fx.keychain));
    try {
      expect(dumpTables(opened.archive, { except: ['audit_log'] })).toEqual(dumpTables(fx.archive, { except: ['audit_log'] }));
    } finally {
      opened.close();
    }
  });

  it('verifies with the workspace’s own keys; another workspace’s keys are refused as wrong_key', async () => {
    const fx = await createWorkspace();
    await seed(fx);
    const { path, backupId, manifest } = await backUp(fx);
    const verified = await verifyBackup({ path, credentials: { method: 'workspace', keys: fx.keys }, audit: fx.archive.audit });
    expect(verified).toMatchObject({ backupId, manifest, appVersion: '1.4.2', workspace: { id: fx.vault.id, name: 'Harbour Dental' } });
    expect(fx.archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'backup.verified', subject: backupId });

    const other = await createWorkspace();
    await expect(verifyBackup({ path, credentials: { method: 'workspace', keys: other.keys }, audit: fx.archive.audit })).rejects.toMatchObject({
      code: 'wrong_key',
      reason: 'wrong_key',
    });
    expect(fx.archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'backup.verify-failed', subject: backupId, details: { reason: 'wrong_key' } });
  });

  it('keeps nothing readable: no marker text in the backup file', async () => {
    const fx = await createWorkspace();
    await seed(fx);
    const { path } = await backUp(fx);
    const bytes = filesUnder(join(path, '..')).get(path.split('/').at(-1)!)!;
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes('Customer')).toBe(false);
    expect(bytes.includes('SQLite format 3')).toBe(false);
  });
});
