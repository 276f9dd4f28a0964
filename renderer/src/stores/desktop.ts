import { computed, onScopeDispose, ref } from 'vue';
import { defineStore } from 'pinia';
import type { DesktopState } from '../../../shared/ipc/desktop';
import type { IpcError } from '../../../shared/ipc/errors';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';

/**
 * This computer (packaging issue): launch at login, self-update and the diagnostics file. Main owns the state;
 * `desktop:state` answers once and the event of the same name keeps it current (a download's progress, an
 * update becoming ready, a send finishing so the restart may go ahead).
 */
export const useDesktopStore = defineStore('desktop', () => {
  const frontdesk = useFrontdesk();
  const state = ref<DesktopState | null>(null);
  const busy = ref(false);
  const error = ref<IpcError | null>(null);
  /** The file name of the last diagnostics file saved, for the confirmation line. */
  const savedDiagnostics = ref<string | null>(null);

  let version = 0;
  const unsubscribe = frontdesk.on('desktop:state', (next) => {
    version += 1;
    state.value = next;
  });
  onScopeDispose(unsubscribe);

  async function run<T>(request: () => Promise<Result<T>>): Promise<Result<T>> {
    busy.value = true;
    error.value = null;
    try {
      const result = await request();
      if (!result.ok) error.value = result.error;
      return result;
    } catch (cause) {
      const failure: IpcError = { code: 'transport_unavailable', message: cause instanceof Error ? cause.message : String(cause) };
      error.value = failure;
      return { ok: false, error: failure };
    } finally {
      busy.value = false;
    }
  }

  async function load(): Promise<void> {
    const before = version;
    const result = await run(() => frontdesk.desktop.state());
    if (result.ok && version === before) state.value = result.value;
  }

  async function changing(request: () => Promise<Result<DesktopState>>): Promise<void> {
    const result = await run(request);
    if (result.ok) state.value = result.value;
  }

  const setLaunchAtLogin = (enabled: boolean) => changing(() => frontdesk.desktop['set-launch-at-login']({ enabled }));
  const checkForUpdates = () => changing(() => frontdesk.desktop['check-for-updates']());

  async function restartToUpdate(): Promise<void> {
    await run(() => frontdesk.desktop['restart-to-update']());
  }

  async function exportDiagnostics(): Promise<void> {
    savedDiagnostics.value = null;
    const result = await run(() => frontdesk.desktop['export-diagnostics']());
    if (result.ok) savedDiagnostics.value = result.value.fileName;
  }

  /** The downloaded update, while it waits for "Restart to update". */
  const readyUpdate = computed(() => (state.value?.update.status === 'ready' ? state.value.update : null));

  return { state, busy, error, savedDiagnostics, readyUpdate, load, setLaunchAtLogin, checkForUpdates, restartToUpdate, exportDiagnostics };
});
