/**
 * Restore into a new workspace (for a new computer, or to look at an old state beside the current one).
 *
 * The credential is checked first (nothing is written for a wrong passphrase). The files are written into a
 * staging folder `<workspaces>/.restore-<id>`, the database opened with the key from the backup, migrated if
 * it is older, and checked (`PRAGMA integrity_check`, schema version) — only then is the folder renamed to
 * the new workspace id and its vault.json written, last, so no half-restored folder is ever a workspace.
 *
 * The master key stays the one of the backup (the archive pages and media files are encrypted with keys
 * derived from it), but the new workspace has a new id, and the vault's wraps are bound to the id: they are
 * made again — the passphrase wrap from the passphrase given (or a new one), the recovery wrap from the
 * recovery key given (with a passphrase only, a new recovery key is made and returned: show it like at
 * set-up), the keychain wrap when a keychain is given (a demo backup has only that one).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { passphraseLongEnough, minPassphraseLength } from '../../../shared/rules/passphrase';
import { openArchive } from '../archive/connection';
import type { Archive } from '../archive/connection';
import { latestSchemaVersion } from '../archive/migrations';
import { AppError } from '../errors';
import type { KeychainPort } from '../ports';
import { moderateArgon2 } from '../vault/argon2';
import type { Argon2Params } from '../vault/argon2';
import { deriveWorkspaceKeys, unwrapWithRecoveryKey, wrapWithKeychain, wrapWithPassphrase, wrapWithRecoveryKey } from '../vault/keys';
import { formatRecoveryKey, generateRecoveryKey, normaliseRecoveryKey } from '../vault/recovery-key';
import { loadSodium } from '../vault/sodium';
import type { Sodium } from '../vault/sodium';
import { writeVaultFile } from '../vault/vault-file';
import type { VaultFile } from '../vault/vault-file';
import type { WorkspaceKeys } from '../vault/keys';
import { backupAuditActions } from './audit';
import { openBackupKeys, vaultFromHeader, wipeKeys } from './backup-keys';
import type { BackupCredentials } from './backup-keys';
import { BackupError } from './errors';
import { databaseEntryName } from './format';
import type { BackupHeader, BackupManifest, DecodedPrefix, EntryHeader } from './format';
import { fsyncDir, removeQuietly, writeAllAt } from './fs-utils';
import { createProgress } from './progress';
import type { ProgressListener, ProgressTracker } from './progress';
import { readBody, readPrefix } from './stream-reader';
import { openBackupFile, summaryOf } from './verify';
import type { BackupSummary } from './verify';

export interface WriteEntriesOptions {
  sodium: Sodium;
  handle: FileHandle;
  prefix: DecodedPrefix;
  fileKey: Uint8Array;
  /** The folder receiving `archive.db` and `media/…`. */
  dir: string;
  progress: ProgressTracker;
  signal?: AbortSignal;
}

/** Writes every entry of the backup under `dir`, each file created new (0600) and synced when complete. */
export async function writeEntriesInto(options: WriteEntriesOptions): Promise<BackupManifest> {
  const { dir, progress } = options;
  await mkdir(join(dir, 'media'), { recursive: true });
  let file: { handle: FileHandle; position: number } | null = null;
  const pathOf = (entry: EntryHeader) => (entry.kind === 'database' ? join(dir, databaseEntryName) : join(dir, ...entry.name.split('/')));
  try {
    return await readBody({
      sodium: options.sodium,
      handle: options.handle,
      prefix: options.prefix,
      fileKey: options.fileKey,
      signal: options.signal,
      onData: (n) => progress.addBytes(n),
      visitor: {
        async entry(entry) {
          if (entry.kind === 'media') await mkdir(join(dir, 'media', entry.name.split('/')[1]!), { recursive: true });
          let handle: FileHandle;
          try {
            handle = await open(pathOf(entry), 'wx', 0o600);
          } catch (error) {
            // Names are authenticated: the same file twice means the file was made to repeat it.
            if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError('tampered', 'The backup names the same file twice');
            throw error;
          }
          file = { handle, position: 0 };
        },
        async data(_entry, chunk) {
          await writeAllAt(file!.handle, [chunk], file!.position);
          file!.position += chunk.length;
        },
        async entryEnd() {
          const done = file!;
          file = null;
          await done.handle.sync();
          await done.handle.close();
          progress.addFile();
        },
      },
    });
  } finally {
    await (file as { handle: FileHandle } | null)?.handle.close().catch(() => undefined);
  }
}

/**
 * Opens a restored database with its key, brings an older schema up to date, and checks it page by page.
 * Returns it open; refuses with `too_new` (a newer Frontdesk's database) or `restore_check_failed`.
 */
export function openRestoredArchive(path: string, databaseKey: Uint8Array, now?: () => number): Archive {
  let archive: Archive;
  try {
    archive = openArchive({ path, key: databaseKey, ...(now ? { clock: { now } } : {}) });
  } catch (error) {
    if (error instanceof AppError && error.code === 'archive_too_new') throw new BackupError('too_new', 'The backup’s archive was written by a newer Frontdesk');
    throw new BackupError('restore_check_failed', `The restored archive does not open (${error instanceof AppError ? error.code : 'error'})`);
  }
  try {
    const integrity = archive.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError('restore_check_failed', 'The restored archive failed its integrity check');
    if (archive.schemaVersion !== latestSchemaVersion) throw new BackupError('restore_check_failed', `The restored archive has schema ${archive.schemaVersion}, not ${latestSchemaVersion}`);
    return archive;
  } catch (error) {
    archive.close();
    throw error;
  }
}

/** How many media rows name a file the restored folder does not have (a file deleted while the backup ran). */
export function countMissingMedia(archive: Archive, mediaDir: string): number {
  let missing = 0;
  for (const hash of archive.media.liveContentHashes()) if (!existsSync(join(mediaDir, hash.slice(0, 2), hash))) missing++;
  return missing;
}

export type PersonCredentials = Exclude<BackupCredentials, { method: 'workspace' }>;

export interface RestoreToNewWorkspaceOptions {
  path: string;
  /** `<dataDir>/workspaces`: where the workspace manager finds workspaces. */
  workspacesDir: string;
  credentials: PersonCredentials;
  /** The new workspace's passphrase; required when the credential is not the passphrase (business workspaces). */
  newPassphrase?: string;
  /** With a passphrase: the recovery key to keep (checked against the backup); without it a new one is made. */
  recoveryKey?: string;
  /** Adds a keychain wrap (the demo's only wrap; optional for a business workspace). */
  keychain?: KeychainPort;
  argon2?: Argon2Params;
  /** The new workspace's name (default: the backup's). */
  name?: string;
  now?: () => number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface RestoreToNewWorkspaceResult {
  workspaceId: string;
  dir: string;
  vault: VaultFile;
  /** A new recovery key (formatted in groups) when none was given: the person must write it down. */
  newRecoveryKey: string | null;
  backup: BackupSummary;
  manifest: BackupManifest;
  missingMedia: number;
}

/** Checks what the new vault needs before any heavy work, so a too-short passphrase fails at once. */
function checkNewWrapsInput(header: BackupHeader, options: RestoreToNewWorkspaceOptions): void {
  if (header.workspace.kind === 'demo') {
    if (!options.keychain && options.credentials.method !== 'keychain') throw new AppError('keychain_unavailable', 'A demo workspace is restored with this computer’s keychain');
    return;
  }
  const passphrase = options.newPassphrase ?? (options.credentials.method === 'passphrase' ? options.credentials.passphrase : undefined);
  if (passphrase === undefined || !passphraseLongEnough(passphrase)) {
    throw new AppError('passphrase_too_weak', `The restored workspace needs a passphrase of at least ${minPassphraseLength} characters`, [{ path: 'newPassphrase', message: 'required' }]);
  }
}

async function newVaultFor(header: BackupHeader, master: Uint8Array, id: string, options: RestoreToNewWorkspaceOptions, createdAt: number) {
  const sodium = await loadSodium();
  const keys = deriveWorkspaceKeys(sodium, master);
  const vault: VaultFile = {
    format: 1,
    id,
    kind: header.workspace.kind,
    name: options.name ?? header.workspace.name,
    createdAt,
    publicKey: sodium.to_base64(keys.boxPublicKey),
    wraps: {},
  };
  wipeKeys(keys, { keepMaster: true });
  const keychain = options.keychain ?? (options.credentials.method === 'keychain' ? options.credentials.keychain : undefined);
  let newRecoveryKey: string | null = null;
  if (header.workspace.kind === 'business') {
    const { credentials } = options;
    const passphrase = options.newPassphrase ?? (credentials.method === 'passphrase' ? credentials.passphrase : '');
    vault.wraps.passphrase = await wrapWithPassphrase(vault, master, passphrase, options.argon2 ?? moderateArgon2);
    let digits: string | null = null;
    if (credentials.method === 'recovery') digits = normaliseRecoveryKey(credentials.recoveryKey);
    else if (options.recoveryKey !== undefined) {
      // Kept only if it really is this backup's recovery key.
      const opened = await unwrapWithRecoveryKey(vaultFromHeader(header), options.recoveryKey).catch(() => null);
      if (!opened || !sodium.memcmp(opened, master)) throw new BackupError('wrong_recovery_key', 'The recovery key is not the one of this backup');
      digits = normaliseRecoveryKey(options.recoveryKey);
    }
    if (!digits) {
      digits = generateRecoveryKey();
      newRecoveryKey = formatRecoveryKey(digits);
    }
    vault.wraps.recovery = await wrapWithRecoveryKey(vault, master, digits);
  }
  if (keychain) vault.wraps.keychain = await wrapWithKeychain(keychain, master);
  return { vault, newRecoveryKey };
}

export async function restoreToNewWorkspace(options: RestoreToNewWorkspaceOptions): Promise<RestoreToNewWorkspaceResult> {
  const sodium = await loadSodium();
  const now = options.now ?? Date.now;
  const handle = await openBackupFile(options.path);
  const id = randomUUID();
  const staging = join(options.workspacesDir, `.restore-${id}`);
  const finalDir = join(options.workspacesDir, id);
  let master: Uint8Array | null = null;
  let fileKey: Uint8Array | null = null;
  let keys: WorkspaceKeys | null = null;
  try {
    const prefix = await readPrefix(sodium, handle);
    const fileBytes = (await handle.stat()).size;
    checkNewWrapsInput(prefix.header, options);
    ({ master, fileKey } = await openBackupKeys(sodium, prefix.header, options.credentials));
    keys = deriveWorkspaceKeys(sodium, master!);
    const { vault, newRecoveryKey } = await newVaultFor(prefix.header, master!, id, options, now());

    const progress = createProgress('restore', 'restoring', options.onProgress);
    progress.setTotals({ bytes: fileBytes - prefix.bodyOffset });
    await mkdir(staging, { recursive: true });
    const manifest = await writeEntriesInto({ sodium, handle, prefix, fileKey: fileKey!, dir: staging, progress, signal: options.signal });

    progress.phase('checking');
    const archive = openRestoredArchive(join(staging, databaseEntryName), keys.database, now);
    let missingMedia: number;
    try {
      missingMedia = countMissingMedia(archive, join(staging, 'media'));
      archive.audit.append(backupAuditActions.restored, prefix.header.backupId, { mode: 'new', fromWorkspace: prefix.header.workspace.id, entries: manifest.entries, missingMedia });
    } finally {
      archive.close();
    }
    await fsyncDir(staging);

    // Only a complete, checked copy becomes a workspace: the folder gets its name, then its vault, last.
    await rename(staging, finalDir);
    writeVaultFile(join(finalDir, 'vault.json'), vault);
    await fsyncDir(finalDir);
    await fsyncDir(options.workspacesDir);
    progress.phase('done');
    return { workspaceId: id, dir: finalDir, vault, newRecoveryKey, backup: summaryOf(options.path, fileBytes, prefix), manifest, missingMedia };
  } catch (error) {
    await removeQuietly(staging);
    throw error;
  } finally {
    if (keys) wipeKeys(keys);
    if (master) sodium.memzero(master);
    if (fileKey) sodium.memzero(fileKey);
    await handle.close();
  }
}
