import { computed, onScopeDispose, ref } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf, WorkspaceDraft, WorkspaceState, WorkspaceSummary } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';

/**
 * What the window shows, decided by the workspace state alone:
 * `connecting` until core has said anything, `picker` with no workspace open (first start, after a switch),
 * `unlock` while the open workspace is locked or one was chosen in the picker, `app` when open and unlocked.
 */
export type WorkspaceScreen = 'connecting' | 'picker' | 'unlock' | 'app';

export type UnlockRequest = RequestOf<'vault:unlock'>;

/** A transport should answer with a Result; one that throws instead is, for the user, unreachable. */
async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

function copyState(state: WorkspaceState): WorkspaceState {
  return { open: state.open ? { ...state.open } : null, locked: state.locked, autoLockMinutes: state.autoLockMinutes };
}

/**
 * The open workspace and its lock, as core last said through `workspace:state` (answer or event). Core pushes
 * the state on every change (unlock, lock, auto-lock, the computer locking, a switch), so the window follows
 * it and never decides on its own that it is unlocked.
 *
 * Stores that hold workspace data must drop it when `unlocked` turns false (DESIGN: a locked window shows
 * nothing); views under the app shell are unmounted then anyway.
 */
export const useWorkspaceStore = defineStore('workspace', () => {
  const frontdesk = useFrontdesk();

  const state = ref<WorkspaceState | null>(null);
  /** Why the state could not be read (core unreachable); null once it has been. */
  const error = ref<IpcError | null>(null);
  const loading = ref(false);

  const workspaces = ref<WorkspaceSummary[]>([]);
  const listLoaded = ref(false);
  const listError = ref<IpcError | null>(null);

  /** A workspace picked in the picker that is not open yet: the unlock screen opens it. */
  const chosen = ref<WorkspaceSummary | null>(null);

  /** Bumped on every state applied, so that an answer older than an event does not overwrite it. */
  let revision = 0;

  function apply(next: WorkspaceState): void {
    revision += 1;
    state.value = copyState(next);
    error.value = null;
    if (next.open) chosen.value = null;
  }

  const unsubscribe = frontdesk.on('workspace:state', apply);
  onScopeDispose(unsubscribe);

  const open = computed(() => state.value?.open ?? null);
  const locked = computed(() => state.value?.locked ?? false);
  const unlocked = computed(() => open.value !== null && !locked.value);
  const isDemo = computed(() => open.value?.kind === 'demo');
  const autoLockMinutes = computed(() => state.value?.autoLockMinutes ?? 0);

  const screen = computed<WorkspaceScreen>(() => {
    if (state.value === null) return 'connecting';
    if (state.value.open === null) return chosen.value ? 'unlock' : 'picker';
    return state.value.locked ? 'unlock' : 'app';
  });

  /** The workspace the unlock screen is for: the open, locked one, or the one chosen in the picker. */
  const unlockTarget = computed<WorkspaceSummary | null>(() => {
    if (state.value?.open) return state.value.locked ? state.value.open : null;
    return chosen.value;
  });

  let pendingLoad: Promise<void> | null = null;

  /** Asks core for the state (an answer older than an event that arrived meanwhile is dropped). */
  function load(): Promise<void> {
    pendingLoad ??= (async () => {
      loading.value = true;
      const before = revision;
      try {
        const result = await settle(() => frontdesk.workspace.state());
        if (result.ok) {
          if (revision === before) apply(result.value);
        } else if (state.value === null) {
          error.value = result.error;
        }
      } finally {
        loading.value = false;
        pendingLoad = null;
      }
    })();
    return pendingLoad;
  }

  async function loadList(): Promise<void> {
    const result = await settle(() => frontdesk.workspace.list());
    if (result.ok) {
      workspaces.value = result.value.map((summary) => ({ ...summary }));
      listError.value = null;
    } else {
      listError.value = result.error;
    }
    listLoaded.value = true;
  }

  /** Runs a call whose answer is the new state, and applies it. */
  async function changeState<T extends WorkspaceState>(run: () => Promise<Result<T>>): Promise<Result<T>> {
    const result = await settle(run);
    if (result.ok) apply(result.value);
    return result;
  }

  function choose(workspace: WorkspaceSummary): void {
    chosen.value = { ...workspace };
  }

  function clearChoice(): void {
    chosen.value = null;
  }

  return {
    state,
    error,
    loading,
    workspaces,
    listLoaded,
    listError,
    chosen,
    open,
    locked,
    unlocked,
    isDemo,
    autoLockMinutes,
    screen,
    unlockTarget,
    load,
    loadList,
    choose,
    clearChoice,
    openDemo: () => changeState(() => frontdesk.workspace['open-demo']()),
    prepare: (request: RequestOf<'workspace:prepare'>): Promise<Result<WorkspaceDraft>> => settle(() => frontdesk.workspace.prepare(request)),
    create: (request: RequestOf<'workspace:create'>) => changeState(() => frontdesk.workspace.create(request)),
    discardDraft: (draftId: string): Promise<Result<void>> => settle(() => frontdesk.workspace['discard-draft']({ draftId })),
    close: () => changeState(() => frontdesk.workspace.close()),
    unlock: (request: UnlockRequest) => changeState(() => frontdesk.vault.unlock(request)),
    lock: () => changeState(() => frontdesk.vault.lock()),
    changePassphrase: (request: RequestOf<'vault:change-passphrase'>): Promise<Result<void>> =>
      settle(() => frontdesk.vault['change-passphrase'](request)),
    resetPassphrase: (request: RequestOf<'vault:reset-passphrase'>) => changeState(() => frontdesk.vault['reset-passphrase'](request)),
    setKeychainUnlock: (enabled: boolean) => changeState(() => frontdesk.vault['set-keychain-unlock']({ enabled })),
    setAutoLock: (minutes: number) => changeState(() => frontdesk.vault['set-auto-lock']({ minutes })),
  };
});
