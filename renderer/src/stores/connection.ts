import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { ConnectionView, RequestOf } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { useWorkspaceStore } from './workspace';

/** A transport should answer with a Result; one that throws instead is, for the user, unreachable. */
async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

function copyView(view: ConnectionView): ConnectionView {
  return { ...view, phone: view.phone ? { ...view.phone } : null };
}

/**
 * The open workspace's WhatsApp connection as core last described it (`connection:get`, or the answer to a
 * save or a test). Secrets never reach it: core says only whether each is set. What core holds is dropped as
 * soon as the window locks or the workspace changes.
 */
export const useConnectionStore = defineStore('connection', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const view = ref<ConnectionView | null>(null);
  /** Why the view could not be read; null once it has been. */
  const loadError = ref<IpcError | null>(null);
  const loading = ref(false);
  const saving = ref(false);
  const testing = ref(false);
  /** Any request in flight: the form is disabled meanwhile. */
  const busy = computed(() => loading.value || saving.value || testing.value);

  /** Bumped when the workspace changes, so that an answer for the previous one is not applied. */
  let generation = 0;

  function reset(): void {
    generation += 1;
    view.value = null;
    loadError.value = null;
  }

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    (now, before) => {
      if (now !== before) reset();
    },
  );

  function apply(next: ConnectionView): void {
    view.value = copyView(next);
    loadError.value = null;
  }

  /** Runs one request, flagging it; its answer is applied only if the workspace is still the same. */
  async function run(flag: typeof loading, call: () => Promise<Result<ConnectionView>>): Promise<Result<ConnectionView>> {
    const before = generation;
    flag.value = true;
    try {
      const result = await settle(call);
      if (result.ok && generation === before) apply(result.value);
      return result;
    } finally {
      flag.value = false;
    }
  }

  async function load(): Promise<Result<ConnectionView>> {
    const result = await run(loading, () => frontdesk.connection.get());
    if (!result.ok) loadError.value = result.error;
    return result;
  }

  return {
    view,
    loadError,
    loading,
    saving,
    testing,
    busy,
    load,
    save: (request: RequestOf<'connection:save'>) => run(saving, () => frontdesk.connection.save(request)),
    test: () => run(testing, () => frontdesk.connection.test()),
    reset,
  };
});
