import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import type { Result } from '../../../shared/ipc/result';
import type { TemplateSyncResult, TemplateView } from '../../../shared/ipc/templates';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';
import { useWorkspaceStore } from './workspace';

/**
 * Message templates (PRODUCT §9) as the archive holds them: the list (refetched when a webhook or a sync
 * changes one), the sync's progress, and create / delete / send. Dropped when the window locks or the
 * workspace changes.
 */
export const useTemplatesStore = defineStore('templates', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const templates = ref<TemplateView[]>([]);
  const loaded = ref(false);
  const loadError = ref<IpcError | null>(null);
  const syncing = ref(false);
  const progress = ref<{ done: number; total: number } | null>(null);
  /** Bumped on every change core announces: pickers refetch. */
  const version = ref(0);
  let generation = 0;
  let refetch: ReturnType<typeof setTimeout> | null = null;

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    (now, before) => {
      if (now === before) return;
      generation += 1;
      templates.value = [];
      loaded.value = false;
      loadError.value = null;
    },
  );

  async function load(): Promise<Result<TemplateView[]>> {
    const before = generation;
    const result = await settle(() => frontdesk.templates.list(undefined));
    if (before !== generation) return result;
    if (result.ok) {
      templates.value = result.value;
      loaded.value = true;
      loadError.value = null;
    } else {
      loadError.value = result.error;
    }
    return result;
  }

  const offChanged = frontdesk.on('templates:changed', () => {
    version.value += 1;
    if (!loaded.value || refetch) return;
    // A sync announces every template: one refetch for the burst.
    refetch = setTimeout(() => {
      refetch = null;
      void load();
    }, 50);
  });
  const offProgress = frontdesk.on('task:progress', (payload) => {
    if (payload.task !== 'template-sync') return;
    progress.value = payload.done >= payload.total ? null : { done: payload.done, total: payload.total };
  });
  onScopeDispose(() => {
    offChanged();
    offProgress();
    if (refetch) clearTimeout(refetch);
  });

  async function sync(): Promise<Result<TemplateSyncResult>> {
    syncing.value = true;
    try {
      const result = await settle(() => frontdesk.templates.sync(undefined));
      if (result.ok) await load();
      return result;
    } finally {
      syncing.value = false;
      progress.value = null;
    }
  }

  async function create(request: RequestOf<'templates:create'>): Promise<Result<TemplateView>> {
    const result = await settle(() => frontdesk.templates.create(request));
    if (result.ok) await load();
    return result;
  }

  async function remove(name: string): Promise<Result<{ deleted: number }>> {
    const result = await settle(() => frontdesk.templates.delete({ name }));
    if (result.ok) await load();
    return result;
  }

  return {
    templates,
    loaded,
    loadError,
    syncing,
    progress,
    version,
    load,
    sync,
    create,
    remove,
    approved: (): Promise<Result<TemplateView[]>> => settle(() => frontdesk.templates.list({ status: 'APPROVED' })),
    send: (request: RequestOf<'templates:send'>): Promise<Result<{ messageId: number }>> => settle(() => frontdesk.templates.send(request)),
  };
});
