import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import type { QuickReplyImportReport, QuickReplyView } from '../../../shared/ipc/quick-replies';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';
import { useWorkspaceStore } from './workspace';

/**
 * Quick replies (PRODUCT §7) in staff's order, as core last gave them: the management page and the composer's
 * `/` picker read the same list. `quick-replies:changed` (another window, a use counted) refetches it.
 * Dropped when the window locks or the workspace changes.
 */
export const useQuickRepliesStore = defineStore('quick-replies', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();
  const api = () => frontdesk['quick-replies'];

  const items = ref<QuickReplyView[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const loadError = ref<IpcError | null>(null);
  let generation = 0;

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    (now, before) => {
      if (now === before) return;
      generation += 1;
      items.value = [];
      loaded.value = false;
      loadError.value = null;
    },
  );

  async function load(): Promise<Result<QuickReplyView[]>> {
    const before = generation;
    loading.value = true;
    try {
      const result = await settle(() => api().list());
      if (before !== generation) return result;
      if (result.ok) {
        items.value = result.value;
        loaded.value = true;
        loadError.value = null;
      } else loadError.value = result.error;
      return result;
    } finally {
      loading.value = false;
    }
  }

  /** Loads once; later changes come by the event. */
  async function ensureLoaded(): Promise<void> {
    if (!loaded.value && !loading.value) await load();
  }

  const unsubscribe = frontdesk.on('quick-replies:changed', () => {
    if (loaded.value) void load();
  });
  onScopeDispose(unsubscribe);

  async function after<T>(result: Result<T>): Promise<Result<T>> {
    if (result.ok) await load();
    return result;
  }

  async function move(id: number, delta: -1 | 1): Promise<Result<QuickReplyView[]> | null> {
    const ids = items.value.map((r) => r.id);
    const from = ids.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= ids.length) return null;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    const result = await settle(() => api().reorder({ ids }));
    if (result.ok) items.value = result.value;
    return result;
  }

  return {
    items,
    loaded,
    loading,
    loadError,
    load,
    ensureLoaded,
    save: async (request: RequestOf<'quick-replies:save'>) => after(await settle(() => api().save(request))),
    remove: async (id: number) => after(await settle(() => api().delete({ id }))),
    move,
    importFile: async (bytes: Uint8Array<ArrayBuffer>): Promise<Result<QuickReplyImportReport>> => after(await settle(() => api().import({ bytes }))),
    exportFile: () => settle(() => api().export()),
    send: (request: RequestOf<'quick-replies:send'>) => settle(() => api().send(request)),
    used: (quickReplyId: number) => settle(() => api().used({ quickReplyId })),
  };
});
