import { ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { InboxPreferences } from '../../../shared/ipc/inbox';
import type { IpcError } from '../../../shared/ipc/errors';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { useWorkspaceStore } from './workspace';

async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * The desk's inbox preferences (per workspace): read receipts and the notification sound
 * (`inbox:preferences`, `inbox:set-preferences`). Read once the workspace is unlocked; the last known values
 * are kept while locked (two booleans, nothing personal), so notifications still know whether to beep.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const preferences = ref<InboxPreferences | null>(null);
  const loadError = ref<IpcError | null>(null);
  const saving = ref(false);

  // Another workspace has its own preferences.
  watch(
    () => workspace.open?.id ?? null,
    (now, before) => {
      if (now !== before) {
        preferences.value = null;
        loadError.value = null;
      }
    },
  );

  async function load(): Promise<Result<InboxPreferences>> {
    const result = await settle(() => frontdesk.inbox.preferences());
    if (result.ok) {
      preferences.value = { ...result.value };
      loadError.value = null;
    } else {
      loadError.value = result.error;
    }
    return result;
  }

  async function save(request: RequestOf<'inbox:set-preferences'>): Promise<Result<InboxPreferences>> {
    saving.value = true;
    try {
      const result = await settle(() => frontdesk.inbox['set-preferences'](request));
      if (result.ok) preferences.value = { ...result.value };
      return result;
    } finally {
      saving.value = false;
    }
  }

  return { preferences, loadError, saving, load, save };
});
