/**
 * Replacing the current workspace's data by one of its backups — only after the restored copy opened and
 * verified, never bringing back what was erased since, and with a way back until the person confirms.
 *
 * 1. `stageReplacement` (the workspace may stay open and keep working): the backup is opened with the
 *    workspace's own keys (a backup of another workspace is refused: `wrong_key`), written into
 *    `<workspace>/.restore-<random>/`, and the database opened and checked (restore.ts).
 * 2. `applyReplacement` (the workspace's archive must be CLOSED: stop its services and close it first): the
 *    current archive's tombstones are applied to the copy (erasures.ts), then the swap: the current
 *    `archive.db` (with -wal/-shm) and `media/` are moved into `<workspace>/.replaced-<random>/`, the copy's
 *    moved in. `restore-pending.json` records each step, so a crash in the middle is undone at the next start
 *    (`pendingReplacement`). vault.json is untouched: a backup of this workspace has the same master key.
 * 3. `confirmReplacement` deletes the old data; `rollbackReplacement` (archive closed) puts it back — losing
 *    what was written to the restored copy since.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { openArchive } from '../archive/connection';
import type { WorkspaceKeys } from '../vault/keys';
import { loadSodium } from '../vault/sodium';
import type { WorkspacePaths } from '../workspace/workspace-manager';
import { backupAuditActions } from './audit';
import type { AuditSink } from './audit';
import { openBackupKeys } from './backup-keys';
import { applyCurrentErasures } from './erasures';
import type { ApplyErasuresOptions, ErasureOutcome } from './erasures';
import { BackupError } from './errors';
import { databaseEntryName } from './format';
import type { BackupManifest } from './format';
import { exists, fsyncDir, removeQuietly } from './fs-utils';
import { createProgress } from './progress';
import type { ProgressListener } from './progress';
import { countMissingMedia, openRestoredArchive, writeEntriesInto } from './restore';
import { readPrefix } from './stream-reader';
import { openBackupFile, summaryOf } from './verify';
import type { BackupSummary } from './verify';

const journalName = 'restore-pending.json';
/** What a swap moves, in the workspace folder. */
const swappedNames = ['archive.db', 'archive.db-wal', 'archive.db-shm', 'media'] as const;

const journalSchema = z.object({
  format: z.literal(1),
  state: z.enum(['swapping', 'swapped']),
  backupId: z.uuid(),
  backupCreatedAt: z.number().int(),
  replacedAt: z.number().int(),
  aside: z.string().regex(/^\.replaced-[0-9a-f]{16}$/),
  staging: z.string().regex(/^\.restore-[0-9a-f]{16}$/),
});
type Journal = z.infer<typeof journalSchema>;

export interface WorkspaceData {
  paths: WorkspacePaths;
  keys: WorkspaceKeys;
}

export interface StagedReplacement {
  workspaceDir: string;
  /** The staging folder's name inside the workspace folder. */
  staging: string;
  backup: BackupSummary;
  manifest: BackupManifest;
  missingMedia: number;
}

export interface PendingReplacement {
  backupId: string;
  backupCreatedAt: number;
  replacedAt: number;
}

export async function stageReplacement(options: {
  path: string;
  workspace: WorkspaceData;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}): Promise<StagedReplacement> {
  const sodium = await loadSodium();
  const { paths, keys } = options.workspace;
  const staging = `.restore-${randomBytes(8).toString('hex')}`;
  const dir = join(paths.dir, staging);
  const handle = await openBackupFile(options.path);
  try {
    const prefix = await readPrefix(sodium, handle);
    const fileBytes = (await handle.stat()).size;
    const { fileKey } = await openBackupKeys(sodium, prefix.header, { method: 'workspace', keys });
    const progress = createProgress('restore', 'restoring', options.onProgress);
    progress.setTotals({ bytes: fileBytes - prefix.bodyOffset });
    try {
      await mkdir(dir, { recursive: true });
      const manifest = await writeEntriesInto({ sodium, handle, prefix, fileKey, dir, progress, signal: options.signal });
      progress.phase('checking');
      const archive = openRestoredArchive(join(dir, databaseEntryName), keys.database);
      let missingMedia: number;
      try {
        missingMedia = countMissingMedia(archive, join(dir, 'media'));
      } finally {
        archive.close();
      }
      progress.phase('done');
      return { workspaceDir: paths.dir, staging, backup: summaryOf(options.path, fileBytes, prefix), manifest, missingMedia };
    } finally {
      sodium.memzero(fileKey);
    }
  } catch (error) {
    await removeQuietly(dir);
    throw error;
  } finally {
    await handle.close();
  }
}

/** Gives up a staged copy that will not be applied. */
export async function discardStagedReplacement(staged: StagedReplacement): Promise<void> {
  await removeQuietly(join(staged.workspaceDir, staged.staging));
}

/** The journal is written whole (temporary file, fsync, rename, folder fsync) before the step it announces. */
async function writeJournal(dir: string, journal: Journal): Promise<void> {
  const path = join(dir, journalName);
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(journalSchema.parse(journal)));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await fsyncDir(dir);
}

function readJournal(dir: string): Journal | null {
  let raw: string;
  try {
    raw = readFileSync(join(dir, journalName), 'utf8');
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  const parsed = journalSchema.safeParse(value);
  // A journal that does not parse was never completely written (it is renamed into place whole): no swap began.
  return parsed.success ? parsed.data : null;
}

/**
 * Applies the current workspace's erasures to the staged copy and swaps it in. The workspace's archive must
 * be closed. Returns what is now pending the person's confirmation.
 */
export async function applyReplacement(
  staged: StagedReplacement,
  options: { workspace: WorkspaceData; now?: () => number; extraErasures?: ApplyErasuresOptions['extra'] },
): Promise<PendingReplacement & { erasures: ErasureOutcome }> {
  const { paths, keys } = options.workspace;
  const now = options.now ?? Date.now;
  if (staged.workspaceDir !== paths.dir) throw new BackupError('replace_state', 'This restored copy belongs to another workspace');
  if (readJournal(paths.dir)) throw new BackupError('replace_state', 'A replaced copy is still waiting for confirmation or roll-back');
  const stagingDir = join(paths.dir, staged.staging);
  if (!(await exists(join(stagingDir, databaseEntryName)))) throw new BackupError('replace_state', 'The restored copy is gone');

  const current = openArchive({ path: paths.database, key: keys.database, clock: { now } });
  let erasures: ErasureOutcome;
  try {
    const restored = openArchive({ path: join(stagingDir, databaseEntryName), key: keys.database, clock: { now } });
    try {
      erasures = await applyCurrentErasures({ current: current.db, restored, restoredMediaDir: join(stagingDir, 'media'), now: now(), extra: options.extraErasures });
      restored.audit.append(backupAuditActions.restored, staged.backup.backupId, {
        mode: 'replace',
        entries: staged.manifest.entries,
        erasedContacts: erasures.contacts,
        erasedMessages: erasures.messages,
      });
    } finally {
      restored.close();
    }
  } finally {
    current.close();
  }

  const journal: Journal = {
    format: 1,
    state: 'swapping',
    backupId: staged.backup.backupId,
    backupCreatedAt: staged.backup.createdAt,
    replacedAt: now(),
    aside: `.replaced-${randomBytes(8).toString('hex')}`,
    staging: staged.staging,
  };
  await writeJournal(paths.dir, journal);
  try {
    const aside = join(paths.dir, journal.aside);
    await mkdir(aside);
    for (const name of swappedNames) if (await exists(join(paths.dir, name))) await rename(join(paths.dir, name), join(aside, name));
    for (const name of swappedNames) if (await exists(join(stagingDir, name))) await rename(join(stagingDir, name), join(paths.dir, name));
    await removeQuietly(stagingDir);
    await fsyncDir(paths.dir);
    await writeJournal(paths.dir, { ...journal, state: 'swapped' });
  } catch (error) {
    await undoSwap(paths.dir, journal);
    throw error;
  }
  return { backupId: journal.backupId, backupCreatedAt: journal.backupCreatedAt, replacedAt: journal.replacedAt, erasures };
}

/** Puts the aside data back and removes the journal (a crash mid-swap, or a failure during it). */
async function undoSwap(dir: string, journal: Journal): Promise<void> {
  const aside = join(dir, journal.aside);
  for (const name of swappedNames) {
    if (!(await exists(join(aside, name)))) continue;
    await removeQuietly(join(dir, name));
    await rename(join(aside, name), join(dir, name));
  }
  await removeQuietly(aside);
  await removeQuietly(join(dir, journal.staging));
  await removeQuietly(join(dir, journalName));
  await fsyncDir(dir);
}

/**
 * The replacement waiting for the person's decision, if any. Call it before opening the workspace's archive
 * at start: a swap a crash interrupted is undone here (the old data is back, untouched).
 */
export async function pendingReplacement(paths: Pick<WorkspacePaths, 'dir'>): Promise<PendingReplacement | null> {
  const journal = readJournal(paths.dir);
  if (!journal) return null;
  if (journal.state === 'swapping') {
    await undoSwap(paths.dir, journal);
    return null;
  }
  return { backupId: journal.backupId, backupCreatedAt: journal.backupCreatedAt, replacedAt: journal.replacedAt };
}

/** Keeps the restored data: deletes the old copy kept aside. */
export async function confirmReplacement(paths: Pick<WorkspacePaths, 'dir'>, audit?: AuditSink): Promise<void> {
  const journal = readJournal(paths.dir);
  if (journal?.state !== 'swapped') throw new BackupError('replace_state', 'There is no replaced copy to confirm');
  await removeQuietly(join(paths.dir, journal.aside));
  await removeQuietly(join(paths.dir, journalName));
  await fsyncDir(paths.dir);
  audit?.append(backupAuditActions.replaceConfirmed, journal.backupId, {});
}

/**
 * Goes back to the data from before the replacement. The workspace's archive must be closed; with `keys`,
 * the roll-back is written to the audit log of the data put back.
 */
export async function rollbackReplacement(paths: WorkspacePaths, keys?: Pick<WorkspaceKeys, 'database'>): Promise<void> {
  const journal = readJournal(paths.dir);
  if (journal?.state !== 'swapped') throw new BackupError('replace_state', 'There is no replaced copy to roll back');
  const aside = join(paths.dir, journal.aside);
  for (const name of swappedNames) await removeQuietly(join(paths.dir, name));
  for (const name of swappedNames) if (await exists(join(aside, name))) await rename(join(aside, name), join(paths.dir, name));
  await removeQuietly(aside);
  await removeQuietly(join(paths.dir, journalName));
  await fsyncDir(paths.dir);
  if (keys) {
    const archive = openArchive({ path: paths.database, key: keys.database });
    try {
      archive.audit.append(backupAuditActions.replaceRolledBack, journal.backupId, {});
    } finally {
      archive.close();
    }
  }
}
