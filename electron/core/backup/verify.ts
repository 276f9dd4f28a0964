/**
 * Looking at a backup without restoring it: `inspectBackup` reads only the checked header (what the file is,
 * which workspace, how it can be unlocked); `verifyBackup` opens the keys and reads every message, so a wrong
 * key, a changed byte anywhere, a file cut short or a newer format is refused with its reason.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../errors';
import { loadSodium } from '../vault/sodium';
import { backupAuditActions } from './audit';
import type { AuditSink } from './audit';
import { openBackupKeys } from './backup-keys';
import type { BackupCredentials } from './backup-keys';
import { BackupError } from './errors';
import type { BackupHeader, BackupManifest, DecodedPrefix } from './format';
import { createProgress } from './progress';
import type { ProgressListener } from './progress';
import { readBody, readPrefix } from './stream-reader';

export type UnlockMethod = 'passphrase' | 'recovery' | 'keychain';

export interface BackupSummary {
  path: string;
  fileBytes: number;
  formatVersion: number;
  backupId: string;
  createdAt: number;
  appVersion: string;
  workspace: BackupHeader['workspace'];
  /** What a person can open it with on another computer (a demo backup: the keychain only). */
  unlockMethods: UnlockMethod[];
}

export interface VerifyBackupResult extends BackupSummary {
  manifest: BackupManifest;
}

export async function openBackupFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new BackupError('not_a_backup', 'This is a folder, not a Frontdesk backup');
    throw new AppError('not_found', `The backup file cannot be opened (${code ?? 'unknown error'})`);
  }
}

export function summaryOf(path: string, fileBytes: number, prefix: DecodedPrefix): BackupSummary {
  const { header } = prefix;
  const unlockMethods = (['passphrase', 'recovery', 'keychain'] as const).filter((m) => header.keys[m] !== undefined);
  return {
    path,
    fileBytes,
    formatVersion: header.format,
    backupId: header.backupId,
    createdAt: header.createdAt,
    appVersion: header.app.version,
    workspace: header.workspace,
    unlockMethods,
  };
}

/** The header only: no key needed, nothing decrypted. */
export async function inspectBackup(path: string): Promise<BackupSummary> {
  const sodium = await loadSodium();
  const handle = await openBackupFile(path);
  try {
    const prefix = await readPrefix(sodium, handle);
    return summaryOf(path, (await handle.stat()).size, prefix);
  } finally {
    await handle.close();
  }
}

export interface VerifyBackupOptions {
  path: string;
  credentials: BackupCredentials;
  /** The open workspace's audit log, if one is open. */
  audit?: AuditSink;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** Reads the whole file and checks it; writes nothing but an audit entry. */
export async function verifyBackup(options: VerifyBackupOptions): Promise<VerifyBackupResult> {
  const sodium = await loadSodium();
  const progress = createProgress('verify', 'verifying', options.onProgress);
  let backupId: string | null = null;
  const handle = await openBackupFile(options.path);
  try {
    const prefix = await readPrefix(sodium, handle);
    backupId = prefix.header.backupId;
    const fileBytes = (await handle.stat()).size;
    progress.setTotals({ bytes: fileBytes - prefix.bodyOffset });
    const { fileKey, master } = await openBackupKeys(sodium, prefix.header, options.credentials);
    if (master) sodium.memzero(master);
    try {
      const manifest = await readBody({
        sodium,
        handle,
        prefix,
        fileKey,
        signal: options.signal,
        visitor: { entryEnd: () => progress.addFile() },
        onData: (n) => progress.addBytes(n),
      });
      progress.phase('done');
      options.audit?.append(backupAuditActions.verified, backupId, { fileBytes, entries: manifest.entries });
      return { ...summaryOf(options.path, fileBytes, prefix), manifest };
    } finally {
      sodium.memzero(fileKey);
    }
  } catch (error) {
    if (error instanceof BackupError && error.reason !== 'cancelled') {
      options.audit?.append(backupAuditActions.verifyFailed, backupId, { reason: error.reason });
    }
    throw error;
  } finally {
    await handle.close();
  }
}
