import { computed, onScopeDispose, reactive, ref, watch } from 'vue';
import type { MessageDirection, RequestOf, SearchHit, SearchPage } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from './use-frontdesk';

/** Typing waits this long for the next key before asking core; Enter asks at once. */
export const searchDebounceMs = 200;
export const searchPageSize = 50;

/** The message types the filter offers (Meta's `type` values); a hit of another type shows its raw type. */
export const searchMessageTypes = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'template', 'interactive', 'reaction'] as const;
export type SearchMessageType = (typeof searchMessageTypes)[number];

export function isSearchMessageType(value: string): value is SearchMessageType {
  return (searchMessageTypes as readonly string[]).includes(value);
}

export interface SearchFilterForm {
  direction: '' | MessageDirection;
  /** `YYYY-MM-DD` from <input type="date">, or '' for none. Both days are included. */
  from: string;
  to: string;
  type: '' | SearchMessageType;
}

type Filters = NonNullable<RequestOf<'search:messages'>['filters']>;

/** Local midnight of a `YYYY-MM-DD` day, in ms; null when empty or not a date. */
export function startOfDay(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const time = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return Number.isNaN(time) ? null : time;
}

/** The day after, at local midnight: `to` is exclusive in the request, while the form's last day is included. */
function startOfNextDay(day: string): number | null {
  const start = startOfDay(day);
  if (start === null) return null;
  const date = new Date(start);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}

export function filtersToRequest(form: SearchFilterForm): Filters | undefined {
  const filters: Filters = {};
  if (form.direction) filters.direction = form.direction;
  if (form.type) filters.type = form.type;
  const from = startOfDay(form.from);
  const to = startOfNextDay(form.to);
  if (from !== null) filters.from = from;
  if (to !== null) filters.to = to;
  return Object.keys(filters).length > 0 ? filters : undefined;
}

async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Message search as the search page runs it: the query searched as it is typed (debounced) or at once on
 * Enter, filters applied at once, pages fetched with the cursor core returns. Only the newest request's
 * answer is shown. The results live in the page that uses this, so they go when the page goes (and the page
 * goes when the window locks).
 */
export function useMessageSearch() {
  const frontdesk = useFrontdesk();

  const query = ref('');
  const filters = reactive<SearchFilterForm>({ direction: '', from: '', to: '', type: '' });
  /** Only this contact's messages (the search page's `?contact=<id>`, from the contact panel); null: everyone's. */
  const contactId = ref<number | null>(null);

  const hits = ref<SearchHit[]>([]);
  const nextCursor = ref<string | null>(null);
  /** `idle`: nothing asked (empty query); `done`: the hits are the answer to `searchedQuery`. */
  const status = ref<'idle' | 'searching' | 'done' | 'error'>('idle');
  const error = ref<IpcError | null>(null);
  const loadingMore = ref(false);
  const moreError = ref<IpcError | null>(null);
  /** The query the shown hits answer (the box may already hold more). */
  const searchedQuery = ref('');
  const searchedWithFilters = ref(false);

  const dateOrderWrong = computed(() => {
    const from = startOfDay(filters.from);
    const to = startOfDay(filters.to);
    return from !== null && to !== null && to < from;
  });
  const hasFilters = computed(() => filters.direction !== '' || filters.type !== '' || filters.from !== '' || filters.to !== '');

  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function cancelTimer(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function request(text: string, cursor?: string): RequestOf<'search:messages'> {
    const body: RequestOf<'search:messages'> = { query: text, limit: searchPageSize };
    const requestFilters = { ...filtersToRequest(filters), ...(contactId.value !== null ? { contactId: contactId.value } : {}) };
    if (Object.keys(requestFilters).length > 0) body.filters = requestFilters;
    if (cursor !== undefined) body.cursor = cursor;
    return body;
  }

  /** Searches now for what the box and the filters hold. */
  async function searchNow(): Promise<void> {
    cancelTimer();
    const mine = ++generation;
    loadingMore.value = false;
    moreError.value = null;
    const text = query.value.trim();
    if (text === '' || dateOrderWrong.value) {
      hits.value = [];
      nextCursor.value = null;
      error.value = null;
      searchedQuery.value = '';
      status.value = 'idle';
      return;
    }
    status.value = 'searching';
    error.value = null;
    const withFilters = hasFilters.value || contactId.value !== null;
    const result: Result<SearchPage> = await settle(() => frontdesk.search.messages(request(text)));
    if (mine !== generation) return;
    searchedQuery.value = text;
    searchedWithFilters.value = withFilters;
    if (result.ok) {
      hits.value = result.value.hits;
      nextCursor.value = result.value.nextCursor;
      status.value = 'done';
    } else {
      hits.value = [];
      nextCursor.value = null;
      error.value = result.error;
      status.value = 'error';
    }
  }

  function searchSoon(): void {
    cancelTimer();
    timer = setTimeout(() => {
      timer = undefined;
      void searchNow();
    }, searchDebounceMs);
  }

  /** The next (older) page of the same search, appended. Returns how many hits it added. */
  async function loadMore(): Promise<number> {
    const cursor = nextCursor.value;
    if (cursor === null || loadingMore.value || status.value !== 'done') return 0;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    const result = await settle(() => frontdesk.search.messages(request(searchedQuery.value, cursor)));
    if (mine !== generation) return 0;
    loadingMore.value = false;
    if (!result.ok) {
      moreError.value = result.error;
      return 0;
    }
    hits.value = [...hits.value, ...result.value.hits];
    nextCursor.value = result.value.nextCursor;
    return result.value.hits.length;
  }

  function clearFilters(): void {
    Object.assign(filters, { direction: '', from: '', to: '', type: '' } satisfies SearchFilterForm);
  }

  watch(query, searchSoon);
  watch(filters, () => void searchNow(), { deep: true });
  watch(contactId, () => void searchNow());
  onScopeDispose(() => {
    cancelTimer();
    generation += 1;
  });

  return {
    query,
    filters,
    contactId,
    hits,
    nextCursor,
    status,
    error,
    loadingMore,
    moreError,
    searchedQuery,
    searchedWithFilters,
    dateOrderWrong,
    hasFilters,
    searchNow,
    loadMore,
    clearFilters,
  };
}
