import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type {
  BackupCredentialsRequest,
  BackupFileChoice,
  BackupProgressView,
  BackupRestoreResult,
  BackupRunResult,
  BackupScheduleRequest,
  BackupVerifyResult,
  BackupView,
} from '../../../shared/ipc/backup';
import type { IpcError } from '../../../shared/ipc/errors';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';
import { useDataRightsStore } from './data-rights';
import { useWorkspaceStore } from './workspace';

/**
 * Encrypted backups of the open workspace (PRODUCT §12): the settings and last-run state core keeps, the
 * backup, verify or restore running now (from `backup:progress`), and the calls the backup section makes.
 * Holds no customer data; dropped when the window locks or the workspace changes.
 */
export const useBackupStore = defineStore('backup', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();
  const dataRights = useDataRightsStore();

  const view = ref<BackupView | null>(null);
  const loadError = ref<IpcError | null>(null);
  /** The latest progress report; kept after the end (phase `done`) so the finished numbers stay readable. */
  const progress = ref<BackupProgressView | null>(null);
  /** A backup, verify or restore started from this window is waiting for its answer. */
  const busy = ref(false);

  let generation = 0;
  async function load(): Promise<void> {
    const mine = ++generation;
    const result = await settle(() => frontdesk.backup.get());
    if (mine !== generation) return;
    if (result.ok) {
      view.value = result.value;
      loadError.value = null;
      if (result.value.running) progress.value = result.value.running;
    } else {
      loadError.value = result.error;
    }
  }

  const offProgress = frontdesk.on('backup:progress', (payload) => {
    // Also for a restore started from the picker (no workspace open): this window is waiting for it.
    if (workspace.unlocked || busy.value) progress.value = { ...payload };
  });
  const offChanged = frontdesk.on('backup:changed', () => {
    if (workspace.unlocked && view.value !== null) void load();
    // Backups, settings and replacements write to the audit log: an open audit view reads it again.
    if (workspace.unlocked) dataRights.auditRevision += 1;
  });
  onScopeDispose(() => {
    offProgress();
    offChanged();
  });
  // A locked window shows nothing: what was loaded goes, and is read again after the unlock.
  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    () => {
      generation += 1;
      view.value = null;
      loadError.value = null;
      progress.value = null;
    },
  );

  /** A call whose answer is the new view. */
  async function viewCall(run: () => Promise<Result<BackupView>>): Promise<Result<BackupView>> {
    const result = await settle(run);
    if (result.ok) view.value = result.value;
    return result;
  }

  /** A long operation (progress events meanwhile); the view is read again afterwards. */
  async function operation<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
    busy.value = true;
    progress.value = null;
    try {
      return await settle(run);
    } finally {
      busy.value = false;
      // From the picker (no workspace open) there is no backup section to read again, nor an audit log.
      if (workspace.unlocked) {
        void load();
        // A verify or restore writes to the audit log too.
        dataRights.auditRevision += 1;
      }
    }
  }

  return {
    view,
    loadError,
    progress,
    busy,
    load,
    saveSettings: (schedule: BackupScheduleRequest, keep: number) => viewCall(() => frontdesk.backup['save-settings']({ schedule, keep })),
    async chooseDestination(): Promise<Result<{ chosen: boolean; view: BackupView }>> {
      const result = await settle(() => frontdesk.backup['choose-destination']());
      if (result.ok) view.value = result.value.view;
      return result;
    },
    useCloudFolder: (path: string) => viewCall(() => frontdesk.backup['use-cloud-folder']({ path })),
    runNow: (): Promise<Result<BackupRunResult>> => operation(() => frontdesk.backup.run()),
    cancel: () => settle(() => frontdesk.backup.cancel()),
    chooseFile: (): Promise<Result<BackupFileChoice>> => settle(() => frontdesk.backup['choose-file']()),
    verify: (fileId: string, credentials?: BackupCredentialsRequest): Promise<Result<BackupVerifyResult>> =>
      operation(() => frontdesk.backup.verify(credentials ? { fileId, credentials } : { fileId })),
    restoreNew: (request: { fileId: string; credentials: BackupCredentialsRequest; newPassphrase?: string; name: string }): Promise<Result<BackupRestoreResult>> =>
      operation(() => frontdesk.backup['restore-new'](request)),
    replace: (fileId: string): Promise<Result<BackupView>> => operation(() => frontdesk.backup.replace({ fileId })),
    confirmReplace: () => viewCall(() => frontdesk.backup['confirm-replace']()),
    rollbackReplace: () => viewCall(() => frontdesk.backup['rollback-replace']()),
  };
});
