import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { BusinessHours } from '../../../shared/rules/business-hours';
import type { HoursState, HoursView } from '../../../shared/ipc/automation';
import type { IpcError } from '../../../shared/ipc/errors';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';
import { useWorkspaceStore } from './workspace';

function copyHours(hours: BusinessHours): BusinessHours {
  return structuredClone(hours);
}

function copyView(view: HoursView): HoursView {
  return { ...view, hours: copyHours(view.hours), state: { ...view.state }, history: view.history.map((entry) => ({ ...entry })) };
}

/**
 * Business hours (PRODUCT §5): the hours in force and their history (`hours:get`), and whether the business is
 * open now — computed by core on its clock and pushed by `hours:state` (DESIGN: never the renderer's own
 * clock). The status bar's indicator and the hours editor read the same state.
 */
export const useHoursStore = defineStore('hours', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const view = ref<HoursView | null>(null);
  const state = ref<HoursState | null>(null);
  const loadError = ref<IpcError | null>(null);
  const loading = ref(false);
  const saving = ref(false);

  /** Bumped by every pushed state, so that an older answer does not overwrite a newer push. */
  let version = 0;
  let generation = 0;

  const unsubscribe = frontdesk.on('hours:state', (next) => {
    version += 1;
    state.value = { ...next };
  });
  onScopeDispose(unsubscribe);

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    (now, before) => {
      if (now === before) return;
      generation += 1;
      view.value = null;
      state.value = null;
      loadError.value = null;
    },
  );

  function apply(next: HoursView, stateVersion: number): void {
    view.value = copyView(next);
    if (stateVersion === version) state.value = { ...next.state };
    loadError.value = null;
  }

  async function load(): Promise<Result<HoursView>> {
    const before = { version, generation };
    loading.value = true;
    try {
      const result = await settle(() => frontdesk.hours.get());
      if (before.generation !== generation) return result;
      if (result.ok) apply(result.value, before.version);
      else loadError.value = result.error;
      return result;
    } finally {
      loading.value = false;
    }
  }

  async function save(hours: BusinessHours): Promise<Result<HoursView>> {
    const before = generation;
    saving.value = true;
    try {
      const result = await settle(() => frontdesk.hours.save(hours));
      // A save changes the state at once: core's answer is newer than any push before it.
      if (result.ok && before === generation) apply(result.value, version);
      return result;
    } finally {
      saving.value = false;
    }
  }

  return { view, state, loadError, loading, saving, load, save };
});
