import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { StaffMember, StaffState } from '../../../shared/ipc/inbox';
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

function copyState(state: StaffState): StaffState {
  return { members: state.members.map((member) => ({ ...member })), currentId: state.currentId };
}

/** A PIN as staff may type one: exactly four digits. */
export function isPin(value: string): boolean {
  return /^\d{4}$/.test(value);
}

/**
 * Who is at the desk (PRODUCT §2): the workspace's staff and the current one, as core last said
 * (`staff:state`, or the answer to a create or switch). Dropped when the window locks or the workspace changes.
 */
export const useStaffStore = defineStore('staff', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const state = ref<StaffState | null>(null);
  const loadError = ref<IpcError | null>(null);
  const loading = ref(false);

  let generation = 0;

  function reset(): void {
    generation += 1;
    state.value = null;
    loadError.value = null;
  }

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    (now, before) => {
      if (now !== before) reset();
    },
  );

  const members = computed<StaffMember[]>(() => state.value?.members.filter((member) => member.active) ?? []);
  const current = computed<StaffMember | null>(() => state.value?.members.find((member) => member.id === state.value?.currentId) ?? null);

  async function apply(run: () => Promise<Result<StaffState>>): Promise<Result<StaffState>> {
    const before = generation;
    const result = await settle(run);
    if (result.ok && before === generation) {
      state.value = copyState(result.value);
      loadError.value = null;
    }
    return result;
  }

  async function load(): Promise<Result<StaffState>> {
    loading.value = true;
    try {
      const result = await apply(() => frontdesk.staff.state());
      if (!result.ok) loadError.value = result.error;
      return result;
    } finally {
      loading.value = false;
    }
  }

  return {
    state,
    members,
    current,
    loadError,
    loading,
    load,
    reset,
    create: (request: RequestOf<'staff:create'>) => apply(() => frontdesk.staff.create(request)),
    switchTo: (request: RequestOf<'staff:switch'>) => apply(() => frontdesk.staff.switch(request)),
  };
});
