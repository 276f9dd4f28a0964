import { ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { ProfileView } from '../../../shared/ipc/automation';
import type { IpcError } from '../../../shared/ipc/errors';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';
import { useWorkspaceStore } from './workspace';

function copyView(view: ProfileView): ProfileView {
  return {
    ...view,
    fields: { ...view.fields, websites: [...view.fields.websites] },
    extras: { contactMethods: view.extras.contactMethods.map((method) => ({ ...method })) },
  };
}

/**
 * The business profile (PRODUCT §4) as core last gave it: Meta's fields (the last copy when Meta cannot be
 * reached), the photo's address and the local extras. Every answer replaces it; forms keep what staff type
 * and refill only from their own successful save. Dropped when the window locks or the workspace changes.
 */
export const useProfileStore = defineStore('profile', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const view = ref<ProfileView | null>(null);
  const loadError = ref<IpcError | null>(null);
  const loading = ref(false);
  let generation = 0;

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    (now, before) => {
      if (now === before) return;
      generation += 1;
      view.value = null;
      loadError.value = null;
    },
  );

  async function run(call: () => Promise<Result<ProfileView>>): Promise<Result<ProfileView>> {
    const before = generation;
    const result = await settle(call);
    if (result.ok && before === generation) {
      view.value = copyView(result.value);
      loadError.value = null;
    }
    return result;
  }

  async function load(): Promise<Result<ProfileView>> {
    loading.value = true;
    try {
      const result = await run(() => frontdesk.profile.get());
      if (!result.ok) loadError.value = result.error;
      return result;
    } finally {
      loading.value = false;
    }
  }

  return {
    view,
    loadError,
    loading,
    load,
    save: (fields: RequestOf<'profile:save'>) => run(() => frontdesk.profile.save(fields)),
    setPhoto: (photo: RequestOf<'profile:set-photo'>) => run(() => frontdesk.profile['set-photo'](photo)),
    saveExtras: (extras: RequestOf<'profile:save-extras'>) => run(() => frontdesk.profile['save-extras'](extras)),
  };
});
