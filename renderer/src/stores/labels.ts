import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { IpcError } from '../../../shared/ipc/errors';
import type { LabelInfo, LabelMessagesPage, LabelUsage } from '../../../shared/ipc/labels';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { useChatStore } from './chat';
import { useWorkspaceStore } from './workspace';

/** What a label is put on (or taken off): conversations (one, or the selection) or messages. */
export type LabelTarget = { conversationIds: number[] } | { messageIds: number[] };

async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Labels (PRODUCT §8): the list in order with counts, and every change to it. `labels:changed` from core
 * (this window or another desk) reloads the list, and refreshes the open chat's messages whose labels moved.
 */
export const useLabelsStore = defineStore('labels', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const labels = ref<LabelInfo[]>([]);
  const loaded = ref(false);
  const error = ref<IpcError | null>(null);

  async function load(): Promise<void> {
    const result = await settle(() => frontdesk.labels.list());
    if (!result.ok) {
      error.value = result.error;
      return;
    }
    error.value = null;
    labels.value = [...result.value].sort((a, b) => a.order - b.order);
    loaded.value = true;
  }

  /** Loads once; later calls use what is held (events keep it fresh). */
  async function ensure(): Promise<void> {
    if (!loaded.value) await load();
  }

  async function create(name: string, colour: number): Promise<Result<LabelInfo>> {
    const result = await settle(() => frontdesk.labels.create({ name, colour }));
    if (result.ok) await load();
    return result;
  }

  async function update(id: number, patch: { name?: string; colour?: number }): Promise<Result<LabelInfo>> {
    const result = await settle(() => frontdesk.labels.update({ id, ...patch }));
    if (result.ok) await load();
    return result;
  }

  /** Moves a label one place up (-1) or down (+1). */
  async function move(id: number, step: -1 | 1): Promise<Result<LabelInfo[]>> {
    const ids = labels.value.map((label) => label.id);
    const from = ids.indexOf(id);
    const to = from + step;
    if (from < 0 || to < 0 || to >= ids.length) return { ok: true, value: labels.value };
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    // Shown at once; core's answer is the truth.
    labels.value = ids.map((labelId) => labels.value.find((label) => label.id === labelId)!);
    const result = await settle(() => frontdesk.labels.reorder({ ids }));
    if (result.ok) labels.value = [...result.value].sort((a, b) => a.order - b.order);
    else await load();
    return result;
  }

  const usage = (id: number): Promise<Result<LabelUsage>> => settle(() => frontdesk.labels.usage({ id }));

  async function remove(id: number, confirmCount: number): Promise<Result<{ removed: number }>> {
    const result = await settle(() => frontdesk.labels.delete({ id, confirmCount }));
    if (result.ok) await load();
    return result;
  }

  async function assign(labelId: number, target: LabelTarget, on: boolean): Promise<Result<{ changed: number }>> {
    const request = { labelId, ...target };
    const result = await settle(() => (on ? frontdesk.labels.assign(request) : frontdesk.labels.unassign(request)));
    if (result.ok) await load();
    return result;
  }

  const messages = (labelId: number, before: number | null, limit = 50): Promise<Result<LabelMessagesPage>> =>
    settle(() => frontdesk.labels.messages({ labelId, limit, ...(before !== null ? { before } : {}) }));

  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = frontdesk.on('labels:changed', (event) => {
    if (loaded.value && reloadTimer === undefined) {
      reloadTimer = setTimeout(() => {
        reloadTimer = undefined;
        void load();
      }, 50);
    }
    // The open chat shows each message's labels: fetch the ones that changed.
    const chat = useChatStore();
    if (chat.conversationId !== null && event.conversationIds.includes(chat.conversationId)) {
      const held = new Set(chat.messages.map((message) => message.id));
      for (const id of event.messageIds) if (held.has(id)) void chat.refreshMessage(id);
    }
  });

  watch(
    () => workspace.unlocked,
    (unlocked) => {
      if (unlocked) return;
      labels.value = [];
      loaded.value = false;
      error.value = null;
    },
  );

  onScopeDispose(() => {
    unsubscribe();
    if (reloadTimer !== undefined) clearTimeout(reloadTimer);
  });

  return { labels, loaded, error, load, ensure, create, update, move, usage, remove, assign, messages };
});
