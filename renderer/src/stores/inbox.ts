import { computed, onScopeDispose, reactive, ref, shallowReactive, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { ConversationDetail, ConversationRow, InboxFilter, InboxPage, LabelSummary } from '../../../shared/ipc/inbox';
import type { IpcError } from '../../../shared/ipc/errors';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { startOfDay } from '../composables/use-message-search';
import { useWorkspaceStore } from './workspace';

/** Rows per `inbox:list` request: the virtual list asks for the pages its visible window touches. */
export const inboxPageSize = 50;
/** Typing in the search box waits this long for the next key. */
export const inboxQueryDebounceMs = 250;
/** Live events come in bursts (a webhook with many messages): one refetch per burst. */
export const inboxRefreshDebounceMs = 120;
/** Pages kept around the visible window; farther ones are dropped and fetched again when scrolled back to. */
const keptPagesAround = 6;

export type ConversationAction = RequestOf<'conversations:act'>;

export interface InboxFilterForm {
  unread: boolean;
  labelIds: number[];
  labelMode: 'any' | 'all';
  window: '' | 'open' | 'closed';
  needsReply: boolean;
  archived: boolean;
  /** `YYYY-MM-DD` from <input type="date">, or ''. Both days are included. */
  from: string;
  to: string;
  query: string;
}

export function emptyFilterForm(): InboxFilterForm {
  return { unread: false, labelIds: [], labelMode: 'any', window: '', needsReply: false, archived: false, from: '', to: '', query: '' };
}

function startOfNextDay(day: string): number | null {
  const start = startOfDay(day);
  if (start === null) return null;
  const date = new Date(start);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}

/** The form as `inbox:list`'s filter: only what is set; `query` is the debounced text, not the box. */
export function filterToRequest(form: InboxFilterForm, query: string = form.query): InboxFilter | undefined {
  const filter: InboxFilter = {};
  if (form.unread) filter.unread = true;
  if (form.labelIds.length > 0) {
    filter.labelIds = [...form.labelIds];
    filter.labelMode = form.labelMode;
  }
  if (form.window) filter.window = form.window;
  if (form.needsReply) filter.needsReply = true;
  if (form.archived) filter.archived = true;
  const from = startOfDay(form.from);
  const to = startOfNextDay(form.to);
  if (from !== null) filter.from = from;
  if (to !== null) filter.to = to;
  const text = query.trim().slice(0, 200);
  if (text !== '') filter.query = text;
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/** Any filter other than the archived view and the search text is on. */
export function hasNarrowingFilters(form: InboxFilterForm): boolean {
  return form.unread || form.labelIds.length > 0 || form.window !== '' || form.needsReply || form.from !== '' || form.to !== '';
}

async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * The conversation list (PRODUCT §2): filters, the rows of the visible window fetched page by page with
 * offset/limit (the list is virtual: at 100,000 conversations only the pages around the window are held),
 * live refresh on core's events, selection and the actions on one or many conversations, the label
 * summary and the unread badge. The open chat lives in the chat store.
 */
export const useInboxStore = defineStore('inbox', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const form = reactive<InboxFilterForm>(emptyFilterForm());
  /** The search text actually asked for (the box, debounced). */
  const appliedQuery = ref('');
  const filter = computed(() => filterToRequest(form, appliedQuery.value));

  /** How many conversations the filter matches; null until core has answered. */
  const total = ref<number | null>(null);
  /** Rows by position in the filtered list; only pages near the visible window are held. */
  const rows = shallowReactive(new Map<number, ConversationRow>());
  const error = ref<IpcError | null>(null);
  const loading = ref(false);
  /** Bumped whenever the filter changes: the list scrolls back to the top. */
  const generation = ref(0);

  const labels = ref<LabelSummary[]>([]);
  const unreadMessages = ref(0);
  const unreadConversations = ref(0);
  const summaryError = ref<IpcError | null>(null);

  const selected = ref<Set<number>>(new Set());
  /** The chat shown on the right. */
  const openId = ref<number | null>(null);

  const visible = { start: 0, end: 0 };
  const loadedPages = new Set<number>();
  const inflight = new Map<number, Promise<void>>();
  let started = false;

  const pageOf = (index: number) => Math.floor(index / inboxPageSize);

  function clearRows(): void {
    rows.clear();
    loadedPages.clear();
    inflight.clear();
  }

  async function fetchPage(page: number): Promise<void> {
    const gen = generation.value;
    const request: RequestOf<'inbox:list'> = { offset: page * inboxPageSize, limit: inboxPageSize };
    if (filter.value) request.filter = filter.value;
    const result: Result<InboxPage> = await settle(() => frontdesk.inbox.list(request));
    if (gen !== generation.value) return;
    if (!result.ok) {
      error.value = result.error;
      return;
    }
    error.value = null;
    const { rows: got, offset, total: count } = result.value;
    total.value = count;
    got.forEach((row, i) => rows.set(offset + i, row));
    // A short page: the rows after it in that page are gone (the list shrank).
    for (let index = offset + got.length; index < offset + inboxPageSize; index++) rows.delete(index);
    for (const index of [...rows.keys()]) if (index >= count) rows.delete(index);
    loadedPages.add(page);
  }

  function loadPage(page: number): Promise<void> {
    const running = inflight.get(page);
    if (running) return running;
    const gen = generation.value;
    const promise = fetchPage(page).finally(() => {
      if (gen === generation.value) inflight.delete(page);
    });
    inflight.set(page, promise);
    return promise;
  }

  function prune(): void {
    const low = pageOf(visible.start) - keptPagesAround;
    const high = pageOf(visible.end) + keptPagesAround;
    for (const page of [...loadedPages]) {
      if (page >= low && page <= high) continue;
      loadedPages.delete(page);
      for (let index = page * inboxPageSize; index < (page + 1) * inboxPageSize; index++) rows.delete(index);
    }
  }

  /**
   * The virtual list shows positions [start, end]: fetch the pages it touches that are not held yet, the page
   * of `focus` (the first row in view) first and then outwards from it.
   */
  async function ensureRange(start: number, end: number, focus: number = start): Promise<void> {
    visible.start = Math.max(0, start);
    visible.end = Math.max(visible.start, end);
    prune();
    const missing: number[] = [];
    for (let page = pageOf(visible.start); page <= pageOf(visible.end); page++) {
      if (total.value !== null && page * inboxPageSize >= Math.max(total.value, 1)) break;
      if (!loadedPages.has(page)) missing.push(page);
    }
    const centre = pageOf(Math.min(Math.max(focus, visible.start), visible.end));
    missing.sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre) || a - b);
    await Promise.all(missing.map((page) => loadPage(page)));
  }

  /** Something changed in core: the held rows are stale; fetch the visible pages again (old rows stay shown until then). */
  async function refreshVisible(): Promise<void> {
    loadedPages.clear();
    inflight.clear();
    await ensureRange(visible.start, visible.end);
  }

  /** The filter changed: start again from the top. */
  async function reload(): Promise<void> {
    generation.value += 1;
    clearRows();
    total.value = null;
    loading.value = true;
    // Same window size, from the top.
    const span = Math.max(visible.end - visible.start, inboxPageSize - 1);
    visible.start = 0;
    visible.end = span;
    try {
      await ensureRange(0, visible.end);
    } finally {
      loading.value = false;
    }
  }

  async function loadSummary(): Promise<void> {
    const result = await settle(() => frontdesk.inbox.summary());
    if (!result.ok) {
      summaryError.value = result.error;
      return;
    }
    summaryError.value = null;
    labels.value = [...result.value.labels].sort((a, b) => a.order - b.order);
    unreadMessages.value = result.value.unreadMessages;
    unreadConversations.value = result.value.unreadConversations;
    // A label that no longer exists cannot stay in the filter.
    const known = new Set(labels.value.map((label) => label.id));
    const kept = form.labelIds.filter((id) => known.has(id));
    if (kept.length !== form.labelIds.length) form.labelIds = kept;
  }

  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let summaryDue = false;
  function refreshSoon(withSummary: boolean): void {
    if (!started) return;
    summaryDue ||= withSummary;
    if (refreshTimer !== undefined) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      const summary = summaryDue;
      summaryDue = false;
      void refreshVisible();
      if (summary) void loadSummary();
    }, inboxRefreshDebounceMs);
  }

  let queryTimer: ReturnType<typeof setTimeout> | undefined;
  watch(
    () => form.query,
    (text) => {
      if (queryTimer !== undefined) clearTimeout(queryTimer);
      queryTimer = setTimeout(() => {
        queryTimer = undefined;
        appliedQuery.value = text;
      }, inboxQueryDebounceMs);
    },
  );
  /** Searches the box's text now (Enter), without waiting for the debounce. */
  function applyQueryNow(): void {
    if (queryTimer !== undefined) clearTimeout(queryTimer);
    queryTimer = undefined;
    appliedQuery.value = form.query;
  }

  watch(
    () => JSON.stringify(filter.value ?? {}),
    () => {
      if (!started) return;
      selected.value = new Set();
      void reload();
    },
  );

  const unsubscribers = [
    frontdesk.on('conversations:changed', () => refreshSoon(true)),
    frontdesk.on('messages:received', () => refreshSoon(false)),
    frontdesk.on('messages:status', () => refreshSoon(false)),
    frontdesk.on('conversations:window', () => refreshSoon(false)),
    // Created, renamed, reordered or deleted labels: the filter's list and counts.
    frontdesk.on('labels:changed', () => refreshSoon(true)),
    frontdesk.on('inbox:unread', (payload) => {
      unreadMessages.value = payload.unreadMessages;
      unreadConversations.value = payload.unreadConversations;
    }),
  ];

  /** The inbox page opened: read the summary and the first page. Later calls refresh. */
  async function start(): Promise<void> {
    if (started) {
      await Promise.all([refreshVisible(), loadSummary()]);
      return;
    }
    started = true;
    await Promise.all([reload(), loadSummary()]);
  }

  /** Drops everything (the window locked, the workspace closed). */
  function reset(): void {
    started = false;
    generation.value += 1;
    clearRows();
    Object.assign(form, emptyFilterForm());
    appliedQuery.value = '';
    total.value = null;
    error.value = null;
    labels.value = [];
    unreadMessages.value = 0;
    unreadConversations.value = 0;
    selected.value = new Set();
    openId.value = null;
    visible.start = 0;
    visible.end = 0;
  }

  watch(
    () => workspace.unlocked,
    (unlocked) => {
      if (!unlocked) reset();
    },
  );

  onScopeDispose(() => {
    for (const off of unsubscribers) off();
    if (refreshTimer !== undefined) clearTimeout(refreshTimer);
    if (queryTimer !== undefined) clearTimeout(queryTimer);
  });

  /** The held row of a conversation, if it is in a held page. */
  function rowById(id: number): ConversationRow | undefined {
    for (const row of rows.values()) if (row.id === id) return row;
    return undefined;
  }

  function toggleSelected(id: number, on?: boolean): void {
    const next = new Set(selected.value);
    if (on ?? !next.has(id)) next.add(id);
    else next.delete(id);
    selected.value = next;
  }

  function selectRange(fromIndex: number, toIndex: number): void {
    const next = new Set(selected.value);
    const [low, high] = fromIndex <= toIndex ? [fromIndex, toIndex] : [toIndex, fromIndex];
    for (let index = low; index <= high; index++) {
      const row = rows.get(index);
      if (row) next.add(row.id);
    }
    selected.value = next;
  }

  function clearSelection(): void {
    selected.value = new Set();
  }

  /** Pin, archive, mute, mark read… on one or many conversations; the list is refetched after. */
  async function act(action: ConversationAction): Promise<Result<void>> {
    const result = await settle(() => frontdesk.conversations.act(action));
    if (result.ok) {
      await Promise.all([refreshVisible(), loadSummary()]);
    }
    return result;
  }

  /** A new chat by number: core validates it and answers the conversation (new or existing). */
  async function openNumber(phone: string): Promise<Result<ConversationDetail>> {
    const result = await settle(() => frontdesk.conversations['open-number']({ phone }));
    if (result.ok) refreshSoon(true);
    return result;
  }

  function setVisibleRange(start: number, end: number, focus?: number): void {
    void ensureRange(start, end, focus);
  }

  const selectedIds = computed(() => [...selected.value]);
  const filtered = computed(() => filter.value !== undefined);

  return {
    form,
    appliedQuery,
    filter,
    filtered,
    total,
    rows,
    error,
    loading,
    generation,
    labels,
    unreadMessages,
    unreadConversations,
    summaryError,
    selected,
    selectedIds,
    openId,
    start,
    reset,
    reload,
    refreshVisible,
    ensureRange,
    setVisibleRange,
    loadSummary,
    applyQueryNow,
    rowById,
    toggleSelected,
    selectRange,
    clearSelection,
    act,
    openNumber,
  };
});
