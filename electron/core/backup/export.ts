/**
 * Export: the whole workspace (archive and media) to one encrypted file in a folder of the user's choice,
 * while core keeps receiving and writing.
 *
 * 1. `<name>.fdbackup.partial-<random>` is created in the destination (never a final name for a file that
 *    is not complete and verified).
 * 2. The archive snapshot starts in a worker (snapshot.ts); meanwhile the media files that exist now are
 *    streamed. A media file is on disk before the row naming it commits, so after the snapshot the files
 *    added since are listed and streamed too: every file the snapshot names is in the backup.
 * 3. The final message, fsync, then the file is read back fully — every message decrypted and checked as
 *    verify does — and only then renamed to its final name and the folder fsynced.
 * Any failure or a cancel removes the partial file and the snapshot; a good backup already in the folder
 * is never touched.
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
import { fsyncDir, removeQuietly, writeAllAt } from './fs-utils';
import { listMediaFiles } from './media-files';
import { createProgress } from './progress';
import type { ProgressListener } from './progress';
import { removeStaleSnapshots, startSnapshot } from './snapshot';
import type { Snapshot } from './snapshot';
import { readBody, readPrefix } from './stream-reader';
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
   * Wall-clock milliseconds. The snapshot runs beside the media stream: `snapshotWaitMs` is how long the
   * stream then waited for it; `writeMs` runs from the start to the file's fsync, `verifyMs` is the read-back.
   */
  timings: { snapshotMs: number; snapshotWaitMs: number; writeMs: number; verifyMs: number; totalMs: number };
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
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
  await removeStaleSnapshots(paths.dir);

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
  let snapshot: Snapshot | null = null;
  try {
    handle = await open(partialPath, 'wx', 0o600).catch((error: unknown) => {
      throw asDestinationError(error);
    });
    await writeAllAt(handle, [prefix.bytes], 0).catch((error: unknown) => {
      throw asDestinationError(error);
    });
    writer = createStreamWriter({ sodium, handle, startOffset: prefix.bytes.length, state, additionalData: prefix.checksum, chunkBytes, signal, onData: (n) => progress.addBytes(n) });

    // Totals: every byte is written once and read back once. The database's size is an estimate until the snapshot exists.
    const listed = await listMediaFiles(paths.media);
    let payload = listed.reduce((sum, f) => sum + f.size, 0) + (await fileSize(paths.database)) + (await fileSize(`${paths.database}-wal`));
    let files = listed.length + 1;
    progress.setTotals({ bytes: 2 * payload, files });

    const snapshotStarted = performance.now();
    snapshot = startSnapshot({ databasePath: paths.database, key: keys.database, dir: paths.dir, signal });
    let snapshotMs = 0;
    snapshot.ready.then(() => (snapshotMs = performance.now() - snapshotStarted), () => undefined);
    const addMedia = async (file: { name: string; path: string; size: number }) => {
      const added = await writer!.addFile('media', file.name, file.path);
      if (added) progress.addFile();
      else {
        // Deleted since it was listed (erasure, garbage collection): the snapshot no longer needs it either.
        payload -= file.size;
        files--;
        progress.setTotals({ bytes: 2 * payload, files });
      }
    };
    for (const file of listed) await addMedia(file);

    const waitStarted = performance.now();
    const snapshotPath = await snapshot.ready;
    const snapshotWaitMs = performance.now() - waitStarted;
    const known = new Set(listed.map((f) => f.name));
    const added = (await listMediaFiles(paths.media)).filter((f) => !known.has(f.name));
    payload += (await fileSize(snapshotPath)) - (await fileSize(paths.database)) - (await fileSize(`${paths.database}-wal`)) + added.reduce((sum, f) => sum + f.size, 0);
    files += added.length;
    progress.setTotals({ bytes: 2 * payload, files });
    await writer.addFile('database', databaseEntryName, snapshotPath);
    progress.addFile();
    await snapshot.dispose();
    for (const file of added) await addMedia(file);

    const { fileBytes, manifest } = await writer.finish();
    await handle.sync().catch((error: unknown) => {
      throw asDestinationError(error);
    });
    await handle.close();
    handle = null;
    const writeMs = performance.now() - started;

    progress.phase('verifying');
    const verifyStarted = performance.now();
    await readBack(partialPath, prefix.checksum, fileKey, manifest, signal, (n) => progress.addBytes(n));
    const verifyMs = performance.now() - verifyStarted;

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
    return { path: finalPath, fileName, backupId, createdAt, fileBytes, manifest, timings: { snapshotMs, snapshotWaitMs, writeMs, verifyMs, totalMs: performance.now() - started } };
  } catch (error) {
    await writer?.settle();
    await handle?.close().catch(() => undefined);
    await snapshot?.dispose();
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

/** Reads the new file back from disk in full: same header, every message authentic, the same manifest. */
async function readBack(path: string, checksum: Uint8Array, fileKey: Uint8Array, expected: BackupManifest, signal: AbortSignal | undefined, onData: (n: number) => void): Promise<void> {
  const sodium = await loadSodium();
  const handle = await open(path, 'r');
  try {
    const prefix = await readPrefix(sodium, handle);
    if (!sodium.memcmp(prefix.checksum, checksum)) throw new BackupError('tampered', 'The backup read back differs from what was written');
    const manifest = await readBody({ sodium, handle, prefix, fileKey, signal, onData });
    if (JSON.stringify(manifest) !== JSON.stringify(expected)) throw new BackupError('tampered', 'The backup read back differs from what was written');
  } finally {
    await handle.close();
  }
}
