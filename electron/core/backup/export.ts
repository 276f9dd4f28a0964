/**
 * Export: the whole workspace (archive and media) to one encrypted file in a folder of the user's choice,
 * while core keeps receiving and writing.
 *
 * 1. `<name>.fdbackup.partial-<random>` is created in the destination (never a final name for a file that
 *    is not complete and verified), and the read-back worker starts beside it (read-back.ts).
 * 2. The archive file is pinned at one commit (pinned-database.ts) and streamed as it is; then the media
 *    files, listed after the pin: a media file is on disk before the row naming it commits, so every file
 *    the pinned archive names is in the backup.
 * 3. The final message, fsync; the read-back catches up with the end of the file, the prefix is read back
 *    and compared, and only then is the file renamed to its final name and the folder fsynced.
 * Any failure or a cancel removes the partial file; a good backup already in the folder is never touched.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { open, rename, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSodium } from '../vault/sodium';
import type { WorkspaceKeys } from '../vault/keys';
import type { VaultFile } from '../vault/vault-file';
import type { WorkspacePaths } from '../workspace/workspace-manager';
import { backupAuditActions } from './audit';
import type { AuditSink } from './audit';
import { headerKeys } from './backup-keys';
import { BackupError, asDestinationError, throwIfAborted } from './errors';
import { backupFileName, backupFormatVersion, databaseEntryName, defaultChunkBytes, encodePrefix } from './format';
import type { BackupHeader, BackupManifest } from './format';
import { fsyncDir, readBytes, removeQuietly, writeAllAt } from './fs-utils';
import { listMediaFiles } from './media-files';
import { createProgress } from './progress';
import type { ProgressListener } from './progress';
import { pinDatabase } from './pinned-database';
import type { PinnedDatabase } from './pinned-database';
import { startReadBack } from './read-back';
import type { ReadBack } from './read-back';
import { createStreamWriter } from './stream-writer';
import type { StreamWriter } from './stream-writer';

export interface ExportBackupOptions {
  /** The open workspace (locked or not: scheduled backups run while locked). */
  workspace: { vault: VaultFile; keys: WorkspaceKeys; paths: WorkspacePaths };
  /** An existing folder: a chosen one or a detected cloud-drive folder (destinations.ts). */
  destinationDir: string;
  appVersion: string;
  /** The workspace's audit log (`archive.audit`). */
  audit?: AuditSink;
  /** Core's clock: the backup's created-at. */
  now?: () => number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Plaintext bytes per data message (tests use small chunks). */
  chunkBytes?: number;
}

export interface ExportBackupResult {
  path: string;
  fileName: string;
  backupId: string;
  createdAt: number;
  fileBytes: number;
  manifest: BackupManifest;
  /**
   * Wall-clock milliseconds: `pinMs` to hold the archive at one commit, `writeMs` from the start to the
   * file's fsync, `readBackWaitMs` how long the read-back then took to reach the end of the file.
   */
  timings: { pinMs: number; writeMs: number; readBackWaitMs: number; totalMs: number };
}

export async function exportBackup(options: ExportBackupOptions): Promise<ExportBackupResult> {
  const { vault, keys, paths } = options.workspace;
  const { signal, destinationDir } = options;
  const sodium = await loadSodium();
  throwIfAborted(signal);
  const started = performance.now();
  const destination = await stat(destinationDir).catch(() => null);
  if (!destination?.isDirectory()) throw new BackupError('destination_unavailable', 'The backup folder does not exist');

  const backupId = randomUUID();
  const createdAt = (options.now ?? Date.now)();
  const fileName = backupFileName(vault.id, createdAt, backupId);
  const finalPath = join(destinationDir, fileName);
  const partialPath = `${finalPath}.partial-${randomBytes(8).toString('hex')}`;
  const chunkBytes = options.chunkBytes ?? defaultChunkBytes;

  const fileKey = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const { state, header: streamHeader } = sodium.crypto_secretstream_xchacha20poly1305_init_push(fileKey);
  const header: BackupHeader = {
    format: backupFormatVersion,
    app: { name: 'Frontdesk', version: options.appVersion },
    backupId,
    createdAt,
    workspace: { id: vault.id, name: vault.name, kind: vault.kind, createdAt: vault.createdAt },
    keys: headerKeys(sodium, vault, keys.backup, backupId, fileKey),
    stream: { alg: 'secretstream-xchacha20poly1305', header: sodium.to_base64(streamHeader), chunkBytes },
  };
  const prefix = encodePrefix(sodium, header);
  const progress = createProgress('export', 'writing', options.onProgress);

  let handle: FileHandle | null = null;
  let writer: StreamWriter | null = null;
  let readBack: ReadBack | null = null;
  let pinned: PinnedDatabase | null = null;
  try {
    handle = await open(partialPath, 'wx+', 0o600).catch((error: unknown) => {
      throw asDestinationError(error);
    });
    await writeAllAt(handle, [prefix.bytes], 0).catch((error: unknown) => {
      throw asDestinationError(error);
    });
    readBack = startReadBack({ path: partialPath, bodyOffset: prefix.bytes.length });
    const checker = readBack;
    writer = createStreamWriter({
      sodium,
      handle,
      startOffset: prefix.bytes.length,
      state,
      additionalData: prefix.checksum,
      chunkBytes,
      signal,
      onData: (n) => progress.addBytes(n),
      onWritten: (position, cipher, release) => checker.written(position, cipher, release),
    });

    pinned = await pinDatabase({ databasePath: paths.database, key: keys.database, signal });
    const pinMs = performance.now() - started;
    const listed = await listMediaFiles(paths.media);
    let payload = pinned.size + listed.reduce((sum, f) => sum + f.size, 0);
    let files = listed.length + 1;
    progress.setTotals({ bytes: payload, files });

    if (listed.length > 0) writer.prefetch(listed[0]!.path);
    await writer.addFile('database', databaseEntryName, paths.database);
    pinned.release();
    pinned = null;
    progress.addFile();
    for (const [i, file] of listed.entries()) {
      // The next file is opened and its first block read while this one is encrypted.
      if (i + 1 < listed.length) writer.prefetch(listed[i + 1]!.path);
      if (await writer.addFile('media', file.name, file.path)) progress.addFile();
      else {
        // Deleted since it was listed (garbage collection, or an erasure whose tombstones remove its rows
        // when this backup is restored; anything else a restore counts as missing).
        payload -= file.size;
        files--;
        progress.setTotals({ bytes: payload, files });
      }
    }

    const { fileBytes, manifest, messages } = await writer.finish();
    await handle.sync().catch((error: unknown) => {
      throw asDestinationError(error);
    });
    const prefixOnDisk = await readBytes(handle, 0, prefix.bytes.length);
    await handle.close();
    handle = null;
    const writeMs = performance.now() - started;

    progress.phase('verifying');
    const readBackStarted = performance.now();
    const outcome = await readBack.finish(fileBytes);
    readBack = null;
    const readBackWaitMs = performance.now() - readBackStarted;
    if (!outcome.ok || outcome.messages !== messages || !prefixOnDisk.equals(prefix.bytes)) {
      throw new BackupError('tampered', `The backup read back differs from what was written${outcome.reason ? ` (${outcome.reason})` : ''}`);
    }

    throwIfAborted(signal);
    // Recorded before the rename: a backup under its final name is always in the log (a rename failing after
    // this is recorded as a failure of the same backup id below).
    options.audit?.append(backupAuditActions.created, backupId, {
      fileBytes,
      entries: manifest.entries,
      mediaFiles: manifest.mediaFiles,
      databaseBytes: manifest.databaseBytes,
      mediaBytes: manifest.mediaBytes,
    });
    await rename(partialPath, finalPath).catch((error: unknown) => {
      throw asDestinationError(error);
    });
    await fsyncDir(destinationDir);
    progress.phase('done');
    return { path: finalPath, fileName, backupId, createdAt, fileBytes, manifest, timings: { pinMs, writeMs, readBackWaitMs, totalMs: performance.now() - started } };
  } catch (error) {
    pinned?.release();
    await readBack?.stop();
    await writer?.settle();
    await handle?.close().catch(() => undefined);
    await removeQuietly(partialPath);
    if (!(error instanceof BackupError && error.reason === 'cancelled')) {
      try {
        options.audit?.append(backupAuditActions.failed, backupId, { reason: error instanceof BackupError ? error.reason : 'error' });
      } catch {
        // The archive itself failing (e.g. busy) must not hide why the backup failed: that error is thrown.
      }
    }
    throw error;
  } finally {
    sodium.memzero(fileKey);
  }
}
