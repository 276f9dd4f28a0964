/**
 * Backups across the workspace's life (create-core wires this to the workspace manager and the IPC
 * handlers): the schedule from the moment a workspace opens until just before it closes — locked or not —,
 * one backup, verify or restore at a time with its progress sent to the window and a way to cancel it, the
 * last-run state kept in the archive, retention after each good backup, and the replacement of the current
 * data by a backup with the archive closed in between.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import type {
  BackupFileView,
  BackupProgressView,
  BackupRestoreResult,
  BackupRunResult,
  BackupVerifyResult,
  BackupView,
  CloudFolderView,
  PendingReplacementView,
  WorkspaceSummary,
} from '../../../shared/ipc';
import type { Archive } from '../archive';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort, DialogsPort, EventSinkPort, KeychainPort } from '../ports';
import type { Argon2Params } from '../vault/argon2';
import { loadSodium } from '../vault/sodium';
import type { WorkspaceKeys } from '../vault/keys';
import type { VaultFile } from '../vault/vault-file';
import type { OpenWorkspace, WorkspacePaths } from '../workspace/workspace-manager';
import { backupAuditActions } from './audit';
import { openBackupKeys } from './backup-keys';
import type { BackupCredentials } from './backup-keys';
import { startBackupScheduler } from './backup-scheduler';
import type { BackupScheduler } from './backup-scheduler';
import { readBackupSettings, readBackupStatus, writeBackupSettings, writeBackupStatus } from './backup-state';
import { detectCloudFolders, nodeFolderProbe } from './destinations';
import type { CloudFolder } from './destinations';
import { BackupError } from './errors';
import { exportBackup } from './export';
import { backupExtension } from './format';
import type { BackupProgress } from './progress';
import { applyReplacement, confirmReplacement, discardStagedReplacement, pendingReplacement, rollbackReplacement, stageReplacement } from './replace';
import { restoreToNewWorkspace } from './restore';
import type { PersonCredentials } from './restore';
import { applyRetention, removeStalePartials } from './retention';
import { computerTimeZone, isBackupOverdue } from './schedule';
import type { BackupSchedule } from './settings';
import { readPrefix } from './stream-reader';
import { inspectBackup, openBackupFile, verifyBackup } from './verify';

/** What the runtime needs of the workspace manager. */
export interface BackupWorkspaces {
  current(): OpenWorkspace<Archive> | null;
  requireOpenUnlocked(): OpenWorkspace<Archive>;
  reopenAfter<T>(work: (closed: { paths: WorkspacePaths; keys: WorkspaceKeys; vault: VaultFile }) => Promise<T>): Promise<T>;
}

export interface BackupRuntimeDeps {
  workspaces: BackupWorkspaces;
  clock: ClockPort;
  logger: Logger;
  events: EventSinkPort;
  dialogs: DialogsPort;
  keychain: KeychainPort;
  appVersion: string;
  /** `<dataDir>/workspaces`: where a restore into a new workspace puts it. */
  workspacesDir: string;
  /** Argon2id cost of a restored workspace's passphrase wrap (MODERATE unless a test asks for less). */
  argon2?: Argon2Params;
  /** The cloud-drive folders on this computer (default: detected in the home folder). */
  cloudFolders?: () => CloudFolder[];
  /** The schedule's timezone (default: the computer's). */
  timeZone?: string;
  /** The wait after opening before a missed scheduled backup runs (default 1 minute). */
  startDelayMs?: number;
}

interface RunningOperation {
  controller: AbortController;
  progress: BackupProgressView | null;
  done: Promise<unknown>;
  /** Closes and reopens the archive itself (a replacement): closing the workspace does not stop it. */
  holdsClose: boolean;
}

interface ChosenFile {
  path: string;
  /**
   * The workspace open when it was chosen (a file chosen in one workspace is not used from another); null when
   * chosen with no workspace open (the picker's restore on a new computer), usable only while none is.
   */
  workspaceId: string | null;
  view: BackupFileView;
}

const maxChosenFiles = 20;

export interface BackupRuntime {
  /** A workspace's archive opened: its schedule starts. */
  opened(workspace: OpenWorkspace<Archive>): void;
  /** Before the archive closes: the schedule stops and a running backup is cancelled (and awaited). */
  closing(): Promise<void>;
  /** Before an archive opens: a replacement a crash interrupted is undone, a pending one remembered. */
  beforeOpen(paths: WorkspacePaths): Promise<void>;
  view(): BackupView;
  saveSettings(request: { schedule: BackupSchedule; keep: number }): BackupView;
  chooseDestination(): Promise<{ chosen: boolean; view: BackupView }>;
  useCloudFolder(path: string): BackupView;
  run(options?: { scheduled?: boolean }): Promise<BackupRunResult>;
  cancel(): { cancelled: boolean };
  chooseFile(): Promise<{ chosen: false } | { chosen: true; file: BackupFileView }>;
  verify(request: { fileId: string; credentials?: CredentialsRequest }): Promise<BackupVerifyResult>;
  restoreNew(request: { fileId: string; credentials: CredentialsRequest; newPassphrase?: string; name: string }): Promise<BackupRestoreResult>;
  replace(request: { fileId: string }): Promise<BackupView>;
  confirmReplace(): Promise<BackupView>;
  rollbackReplace(): Promise<BackupView>;
  /** For the preview host's test controls: where cloud folders are looked for. */
  setCloudFolders(detect: () => CloudFolder[]): void;
  /** When the schedule fires next; null when off or no workspace is open. */
  nextRunAt(): number | null;
}

type CredentialsRequest = { method: 'passphrase'; passphrase: string } | { method: 'recovery'; recoveryKey: string } | { method: 'keychain' };

/** The computer's cloud-drive folders where their desktop apps put them. */
export function detectLocalCloudFolders(): CloudFolder[] {
  return detectCloudFolders({ platform: process.platform, homeDir: homedir(), env: process.env, fs: nodeFolderProbe });
}

export function createBackupRuntime(deps: BackupRuntimeDeps): BackupRuntime {
  const { clock, logger, events } = deps;
  const timeZone = deps.timeZone ?? computerTimeZone();
  let detect = deps.cloudFolders ?? detectLocalCloudFolders;
  let scheduler: BackupScheduler | null = null;
  let running: RunningOperation | null = null;
  const chosen = new Map<string, ChosenFile>();
  const pendingByDir = new Map<string, PendingReplacementView | null>();

  const unlocked = () => deps.workspaces.requireOpenUnlocked();
  /** The open, unlocked workspace, or null when none is open (the picker); a locked one is refused (`locked`). */
  const unlockedOrNone = (): OpenWorkspace<Archive> | null => (deps.workspaces.current() === null ? null : unlocked());

  function cloudFolders(): CloudFolderView[] {
    try {
      return detect().map((f) => ({ provider: f.provider, label: f.label, path: f.path }));
    } catch (error) {
      logger.warn('Looking for cloud-drive folders failed', { error: error instanceof Error ? error.message : 'unknown' });
      return [];
    }
  }

  function viewOf(workspace: OpenWorkspace<Archive>): BackupView {
    const settings = readBackupSettings(workspace.archive);
    const status = readBackupStatus(workspace.archive);
    const now = clock.now();
    return {
      destination: settings.destination,
      schedule: { ...settings.schedule },
      keep: settings.keep,
      cloudFolders: cloudFolders(),
      status: {
        lastSuccessAt: status.lastSuccessAt,
        lastAttemptAt: status.lastAttemptAt,
        lastFileName: status.lastFileName,
        lastFileBytes: status.lastFileBytes,
        lastError: status.lastError,
      },
      now,
      nextRunAt: scheduler?.nextRunAt ?? null,
      overdue: isBackupOverdue(settings.schedule, { lastSuccessAt: status.lastSuccessAt, scheduledSince: settings.scheduledSince }, now, timeZone),
      running: running?.progress ?? null,
      pendingReplacement: pendingByDir.get(workspace.paths.dir) ?? null,
    };
  }

  /** Settings saves go to the audit log like the others (area and key names, never values such as the folder). */
  function auditSettings(workspace: OpenWorkspace<Archive>, keys: string): void {
    try {
      workspace.archive.audit.append('settings.changed', null, { area: 'backup', keys });
    } catch (error) {
      logger.warn('A settings change could not be written to the audit log', { area: 'backup', error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  function changed(reason: 'run' | 'settings' | 'replace'): void {
    events.emit('backup:changed', { reason });
  }

  /** One backup, verify or restore at a time; its progress goes to the window, `cancel` aborts it. */
  async function exclusive<T>(
    operation: BackupProgressView['operation'],
    options: { scheduled?: boolean; holdsClose?: boolean },
    work: (signal: AbortSignal, onProgress: (p: BackupProgress) => void) => Promise<T>,
  ): Promise<T> {
    if (running) throw new AppError('backup_busy', 'Another backup, verify or restore is running');
    const controller = new AbortController();
    const scheduled = options.scheduled ?? false;
    const op: RunningOperation = {
      controller,
      progress: { operation, phase: operation === 'export' ? 'writing' : operation === 'verify' ? 'verifying' : 'restoring', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, etaMs: null, scheduled },
      done: Promise.resolve(),
      holdsClose: options.holdsClose ?? false,
    };
    const onProgress = (p: BackupProgress) => {
      op.progress = { operation: p.operation, phase: p.phase, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, filesDone: p.filesDone, filesTotal: p.filesTotal, etaMs: p.etaMs, scheduled };
      events.emit('backup:progress', op.progress);
    };
    running = op;
    events.emit('backup:progress', op.progress!);
    const done = work(controller.signal, onProgress);
    op.done = done.catch(() => undefined);
    try {
      return await done;
    } finally {
      running = null;
    }
  }

  function requireChosen(fileId: string, workspace: OpenWorkspace<Archive> | null): ChosenFile {
    const file = chosen.get(fileId);
    if (!file || file.workspaceId !== (workspace?.vault.id ?? null)) throw new AppError('not_found', 'Choose the backup file again', [{ path: 'fileId', message: 'not chosen' }]);
    return file;
  }

  function personCredentials(request: CredentialsRequest): PersonCredentials {
    if (request.method === 'passphrase') return { method: 'passphrase', passphrase: request.passphrase };
    if (request.method === 'recovery') return { method: 'recovery', recoveryKey: request.recoveryKey };
    return { method: 'keychain', keychain: deps.keychain };
  }

  /** Whether the open workspace's own keys open the file (its own backups, or a copy restored from them). */
  async function opensWithWorkspaceKeys(path: string, keys: WorkspaceKeys): Promise<boolean> {
    const sodium = await loadSodium();
    const handle = await openBackupFile(path);
    try {
      const prefix = await readPrefix(sodium, handle);
      const { fileKey } = await openBackupKeys(sodium, prefix.header, { method: 'workspace', keys });
      sodium.memzero(fileKey);
      return true;
    } catch {
      return false;
    } finally {
      await handle.close();
    }
  }

  async function backUp(workspace: OpenWorkspace<Archive>, scheduled: boolean) {
    const { archive } = workspace;
    const settings = readBackupSettings(archive);
    const before = readBackupStatus(archive);
    const attemptAt = clock.now();
    const destinationDir = settings.destination;
    const recordFailure = (error: AppError) => {
      const reason = error.fields?.find((f) => f.path === 'backup')?.message ?? null;
      writeBackupStatus(archive, { ...before, lastAttemptAt: attemptAt, lastError: { code: error.code, reason } });
      changed('run');
    };
    if (destinationDir === null) {
      const error = new AppError('backup_destination_unavailable', 'Choose a folder for backups first', [{ path: 'destination', message: 'required' }]);
      if (scheduled) recordFailure(error);
      throw error;
    }
    try {
      return await exclusive('export', { scheduled }, async (signal, onProgress) => {
        const result = await exportBackup({
          workspace: { vault: workspace.vault, keys: workspace.keys, paths: workspace.paths },
          destinationDir,
          appVersion: deps.appVersion,
          audit: archive.audit,
          now: () => clock.now(),
          onProgress,
          signal,
        });
        writeBackupStatus(archive, { lastSuccessAt: result.createdAt, lastAttemptAt: attemptAt, lastFileName: result.fileName, lastFileBytes: result.fileBytes, lastError: null });
        let deleted = 0;
        try {
          deleted = (await applyRetention({ destinationDir, workspaceId: workspace.vault.id, keep: settings.keep })).deleted.length;
          // File times are the computer's real time (core's clock may be virtual): stale is judged by it too.
          await removeStalePartials({ destinationDir, workspaceId: workspace.vault.id });
        } catch (error) {
          logger.warn('Removing old backups failed', { error: error instanceof Error ? error.message : 'unknown' });
        }
        changed('run');
        return { fileName: result.fileName, fileBytes: result.fileBytes, createdAt: result.createdAt, files: result.manifest.entries, deleted };
      });
    } catch (error) {
      // A BackupError is an AppError with its reason's own code (errors.ts). A cancel is nobody's failure;
      // "busy" means another backup is running for the same workspace.
      if (error instanceof AppError && error.code !== 'backup_cancelled' && error.code !== 'backup_busy') recordFailure(error);
      else if (!(error instanceof AppError)) recordFailure(new AppError('internal', 'The backup failed'));
      throw error;
    }
  }

  function startScheduler(workspace: OpenWorkspace<Archive>): void {
    scheduler?.stop();
    scheduler = startBackupScheduler({
      clock,
      logger,
      timeZone,
      ...(deps.startDelayMs !== undefined ? { startDelayMs: deps.startDelayMs } : {}),
      settings: () => readBackupSettings(workspace.archive),
      status: () => readBackupStatus(workspace.archive),
      run: () => backUp(workspace, true),
    });
  }

  function rememberChosen(file: ChosenFile): string {
    if (chosen.size >= maxChosenFiles) chosen.delete(chosen.keys().next().value!);
    chosen.set(file.view.fileId, file);
    return file.view.fileId;
  }

  async function stopRunning(): Promise<void> {
    const op = running;
    if (!op || op.holdsClose) return;
    op.controller.abort();
    await op.done;
  }

  return {
    opened(workspace) {
      startScheduler(workspace);
    },

    async closing() {
      scheduler?.stop();
      scheduler = null;
      await stopRunning();
    },

    async beforeOpen(paths) {
      try {
        pendingByDir.set(paths.dir, await pendingReplacement(paths));
      } catch (error) {
        logger.error('Reading a pending backup replacement failed', { error: error instanceof Error ? error.message : 'unknown' });
      }
    },

    view: () => viewOf(unlocked()),

    saveSettings(request) {
      const workspace = unlocked();
      const current = readBackupSettings(workspace.archive);
      const schedule = { ...request.schedule };
      const sameSchedule = current.schedule.frequency === schedule.frequency && current.schedule.time === schedule.time && current.schedule.weekday === schedule.weekday;
      // A schedule set now promises nothing about times before now (no "missed" run, no warning for them).
      const scheduledSince = schedule.frequency === 'off' ? null : sameSchedule && current.scheduledSince !== null ? current.scheduledSince : clock.now();
      writeBackupSettings(workspace.archive, { ...current, schedule, keep: request.keep, scheduledSince });
      auditSettings(workspace, 'keep,schedule');
      scheduler?.rearm();
      changed('settings');
      return viewOf(workspace);
    },

    async chooseDestination() {
      const workspace = unlocked();
      const current = readBackupSettings(workspace.archive);
      const folder = await deps.dialogs.chooseFolder({ title: 'Back up to', ...(current.destination ? { defaultPath: current.destination } : {}) });
      if (folder === null) return { chosen: false, view: viewOf(workspace) };
      writeBackupSettings(workspace.archive, { ...current, destination: folder });
      auditSettings(workspace, 'destination');
      changed('settings');
      return { chosen: true, view: viewOf(workspace) };
    },

    useCloudFolder(path) {
      const workspace = unlocked();
      const found = cloudFolders().find((f) => f.path === path);
      if (!found) throw new AppError('invalid_request', 'That is not one of the cloud-drive folders found on this computer', [{ path: 'path', message: 'not found' }]);
      writeBackupSettings(workspace.archive, { ...readBackupSettings(workspace.archive), destination: found.path });
      auditSettings(workspace, 'destination');
      changed('settings');
      return viewOf(workspace);
    },

    run: (options = {}) => backUp(unlocked(), options.scheduled ?? false),

    cancel() {
      if (!running) return { cancelled: false };
      running.controller.abort();
      return { cancelled: true };
    },

    async chooseFile() {
      const workspace = unlockedOrNone();
      const path = await deps.dialogs.chooseOpenFile({ title: 'Choose a Frontdesk backup', filters: [{ name: 'Frontdesk backup', extensions: [backupExtension.slice(1)] }] });
      if (path === null) return { chosen: false };
      const summary = await inspectBackup(path);
      const view: BackupFileView = {
        fileId: randomBytes(16).toString('hex'),
        fileName: basename(path),
        fileBytes: summary.fileBytes,
        createdAt: summary.createdAt,
        appVersion: summary.appVersion,
        workspaceName: summary.workspace.name,
        workspaceKind: summary.workspace.kind,
        ownWorkspace: workspace ? await opensWithWorkspaceKeys(path, workspace.keys) : false,
        unlockMethods: summary.unlockMethods,
      };
      rememberChosen({ path, workspaceId: workspace?.vault.id ?? null, view });
      return { chosen: true, file: view };
    },

    async verify(request) {
      const workspace = unlocked();
      const file = requireChosen(request.fileId, workspace);
      let credentials: BackupCredentials;
      if (request.credentials) credentials = personCredentials(request.credentials);
      else if (file.view.ownWorkspace) credentials = { method: 'workspace', keys: workspace.keys };
      else if (file.view.unlockMethods.includes('keychain')) credentials = { method: 'keychain', keychain: deps.keychain };
      else throw new AppError('invalid_request', 'Enter the passphrase or the recovery key this backup was made with', [{ path: 'credentials', message: 'required' }]);
      const result = await exclusive('verify', {}, (signal, onProgress) => verifyBackup({ path: file.path, credentials, audit: workspace.archive.audit, onProgress, signal }));
      return {
        fileName: file.view.fileName,
        createdAt: result.createdAt,
        workspaceName: result.workspace.name,
        fileBytes: result.fileBytes,
        entries: result.manifest.entries,
        mediaFiles: result.manifest.mediaFiles,
        databaseBytes: result.manifest.databaseBytes,
        mediaBytes: result.manifest.mediaBytes,
      };
    },

    async restoreNew(request) {
      // With no workspace open (the picker on a new computer) too: the backup's passphrase or recovery key opens it.
      const workspace = unlockedOrNone();
      const file = requireChosen(request.fileId, workspace);
      const credentials = personCredentials(request.credentials);
      const result = await exclusive('restore', {}, (signal, onProgress) =>
        restoreToNewWorkspace({
          path: file.path,
          workspacesDir: deps.workspacesDir,
          credentials,
          ...(request.newPassphrase !== undefined ? { newPassphrase: request.newPassphrase } : {}),
          // A demo backup has only the keychain wrap: the new workspace is opened with this computer's keychain too.
          ...(file.view.workspaceKind === 'demo' ? { keychain: deps.keychain } : {}),
          ...(deps.argon2 ? { argon2: deps.argon2 } : {}),
          name: request.name,
          now: () => clock.now(),
          onProgress,
          signal,
        }),
      );
      // Written to the open workspace's audit log; with none open there is no log to write to.
      if (workspace) {
        try {
          workspace.archive.audit.append(backupAuditActions.restored, result.backup.backupId, { mode: 'new-workspace', entries: result.manifest.entries, missingMedia: result.missingMedia });
        } catch (error) {
          logger.warn('The restore could not be written to the audit log', { error: error instanceof Error ? error.message : 'unknown' });
        }
      } else {
        logger.info('A backup was restored into a new workspace with no workspace open', { entries: result.manifest.entries, missingMedia: result.missingMedia });
      }
      const summary: WorkspaceSummary = { id: result.vault.id, name: result.vault.name, kind: result.vault.kind, keychainUnlock: Boolean(result.vault.wraps.keychain) };
      return { workspace: summary, newRecoveryKey: result.newRecoveryKey, entries: result.manifest.entries, missingMedia: result.missingMedia };
    },

    async replace(request) {
      const workspace = unlocked();
      const file = requireChosen(request.fileId, workspace);
      if (pendingByDir.get(workspace.paths.dir)) throw new BackupError('replace_state', 'A replaced copy is still waiting for confirmation or roll-back');
      await exclusive('restore', { holdsClose: true }, async (signal, onProgress) => {
        // Written beside the current data and checked while the workspace keeps working.
        const staged = await stageReplacement({ path: file.path, workspace: { paths: workspace.paths, keys: workspace.keys }, onProgress, signal });
        try {
          // Then, with the archive closed: the current erasures applied to the copy, and the swap.
          await deps.workspaces.reopenAfter(async ({ paths, keys }) => {
            await applyReplacement(staged, { workspace: { paths, keys }, now: () => clock.now() });
          });
        } catch (error) {
          await discardStagedReplacement(staged);
          throw error;
        }
      });
      changed('replace');
      return viewOf(unlocked());
    },

    async confirmReplace() {
      const workspace = unlocked();
      await confirmReplacement(workspace.paths, workspace.archive.audit);
      pendingByDir.set(workspace.paths.dir, null);
      changed('replace');
      return viewOf(workspace);
    },

    async rollbackReplace() {
      const workspace = unlocked();
      if (!pendingByDir.get(workspace.paths.dir)) throw new BackupError('replace_state', 'There is no replaced copy to roll back');
      if (running) throw new AppError('backup_busy', 'Another backup, verify or restore is running');
      await deps.workspaces.reopenAfter(({ paths, keys }) => rollbackReplacement(paths, keys));
      changed('replace');
      return viewOf(unlocked());
    },

    setCloudFolders(next) {
      detect = next;
    },

    nextRunAt: () => scheduler?.nextRunAt ?? null,
  };
}
