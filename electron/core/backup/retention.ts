/**
 * Keeping the newest N backups of a workspace in a folder. Only files this app wrote for this workspace are
 * ever considered — a `.fdbackup` name AND a header that checks (magic, checksum) naming this workspace id —
 * so a person's own files, another workspace's backups and anything unreadable are left alone. Newest is by
 * the header's created-at, not the file time a cloud drive may rewrite. Only `*.fdbackup` names are opened:
 * in a cloud-drive folder, opening a file can download it.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadSodium } from '../vault/sodium';
import { backupExtension } from './format';
import { readPrefix } from './stream-reader';
import { openBackupFile } from './verify';
import type { BackupHeader } from './format';

export interface BackupFileInfo {
  path: string;
  fileName: string;
  backupId: string;
  createdAt: number;
  workspaceId: string;
  fileBytes: number;
}

async function headerOf(path: string): Promise<BackupHeader | null> {
  const sodium = await loadSodium();
  try {
    const handle = await openBackupFile(path);
    try {
      return (await readPrefix(sodium, handle)).header;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** This app's backups in `dir` (of one workspace when given), newest first. */
export async function listBackups(dir: string, options: { workspaceId?: string } = {}): Promise<BackupFileInfo[]> {
  const found: BackupFileInfo[] = [];
  for (const fileName of await readdir(dir)) {
    if (!fileName.endsWith(backupExtension)) continue;
    const path = join(dir, fileName);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) continue;
    const header = await headerOf(path);
    if (!header || (options.workspaceId !== undefined && header.workspace.id !== options.workspaceId)) continue;
    found.push({ path, fileName, backupId: header.backupId, createdAt: header.createdAt, workspaceId: header.workspace.id, fileBytes: info.size });
  }
  return found.sort((a, b) => b.createdAt - a.createdAt || b.fileName.localeCompare(a.fileName));
}

export const retentionKeepSchema = z.number().int().min(1).max(365);

/** Deletes this workspace's backups in `destinationDir` beyond the newest `keep`. */
export async function applyRetention(options: { destinationDir: string; workspaceId: string; keep: number }): Promise<{ kept: BackupFileInfo[]; deleted: BackupFileInfo[] }> {
  const keep = retentionKeepSchema.parse(options.keep);
  const ours = await listBackups(options.destinationDir, { workspaceId: options.workspaceId });
  const deleted = ours.slice(keep);
  for (const file of deleted) await rm(file.path, { force: true });
  return { kept: ours.slice(0, keep), deleted };
}

const partialPattern = /\.fdbackup\.partial-[0-9a-f]{16}$/;

/**
 * Deletes temporary files a killed export left in `destinationDir` — for this workspace (by header), and not
 * touched for `olderThanMs` (another desk of the workspace may be writing one into a shared folder right now).
 */
export async function removeStalePartials(options: { destinationDir: string; workspaceId: string; olderThanMs?: number; now?: number }): Promise<string[]> {
  const olderThan = options.olderThanMs ?? 6 * 3_600_000;
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  for (const fileName of await readdir(options.destinationDir)) {
    if (!partialPattern.test(fileName)) continue;
    const path = join(options.destinationDir, fileName);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < olderThan) continue;
    const header = await headerOf(path);
    if (header?.workspace.id !== options.workspaceId) continue;
    await rm(path, { force: true });
    removed.push(fileName);
  }
  return removed;
}
