import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { AppInfo } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import { useFrontdesk } from '../composables/use-frontdesk';
import { errorMessageKey } from '../composables/use-error-text';

/** What core says about the running app (name, version, platform, transport): loaded once. */
export const useAppStore = defineStore('app', () => {
  const frontdesk = useFrontdesk();

  const info = ref<AppInfo | null>(null);
  const error = ref<IpcError | null>(null);
  const loading = ref(false);
  /** The i18n key of the current error's sentence (`errors.<code>`), for the view to translate. */
  const errorKey = computed(() => (error.value ? errorMessageKey(error.value.code) : null));

  let pending: Promise<void> | null = null;

  /** Asks core once; later calls reuse the answer, or the call in flight. After a failure, asks again. */
  function load(): Promise<void> {
    if (info.value) return Promise.resolve();
    pending ??= (async () => {
      loading.value = true;
      try {
        const result = await frontdesk.app.info();
        if (result.ok) {
          info.value = result.value;
          error.value = null;
        } else {
          error.value = result.error;
        }
      } catch (cause) {
        // A transport should answer with a Result; one that throws instead is, for the user, unreachable.
        error.value = { code: 'transport_unavailable', message: cause instanceof Error ? cause.message : String(cause) };
      } finally {
        loading.value = false;
        pending = null;
      }
    })();
    return pending;
  }

  return { info, error, errorKey, loading, load };
});
