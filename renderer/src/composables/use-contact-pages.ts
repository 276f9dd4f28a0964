import { onScopeDispose, ref, shallowRef, triggerRef, watch } from 'vue';
import type { ContactView } from '../../../shared/ipc/inbox';
import type { IpcError } from '../../../shared/ipc/errors';
import { useContactsStore } from '../stores/contacts';

export const contactsPageSize = 100;

/** Typing in the contacts search waits this long for the next key before the list is asked again. */
export const contactsSearchDebounceMs = 250;

export interface ContactListFilter {
  query: string;
  labelId: number | null;
}

/**
 * The contacts list as the virtual table reads it: rows fetched by page (`contacts:list` with offset/limit)
 * as they come into view, kept by position. A new filter starts over (only the newest filter's answers
 * count); an import or a merge reloads the pages in view; an edit patches its row in place.
 */
export function useContactPages(filter: () => ContactListFilter) {
  const store = useContactsStore();

  /** Position → contact, for the pages loaded so far. */
  const rows = shallowRef(new Map<number, ContactView>());
  const total = ref(0);
  /** `loading` until the first page of the current filter answered. */
  const status = ref<'loading' | 'done' | 'error'>('loading');
  const error = ref<IpcError | null>(null);

  let generation = 0;
  const requested = new Set<number>();
  let range: [number, number] = [0, contactsPageSize - 1];

  async function loadPage(page: number): Promise<void> {
    const mine = generation;
    requested.add(page);
    const { query, labelId } = filter();
    const request = { offset: page * contactsPageSize, limit: contactsPageSize, ...(query.trim() ? { query: query.trim() } : {}), ...(labelId ? { labelId } : {}) };
    const result = await store.list(request);
    if (mine !== generation) return;
    if (!result.ok) {
      requested.delete(page);
      if (page === 0 || status.value !== 'done') {
        error.value = result.error;
        status.value = 'error';
      }
      return;
    }
    total.value = result.value.total;
    result.value.rows.forEach((row, index) => rows.value.set(result.value.offset + index, row));
    triggerRef(rows);
    error.value = null;
    status.value = 'done';
  }

  /** Makes sure the rows from `first` to `last` (positions) are loaded or on their way. */
  function ensure(first: number, last: number): void {
    range = [first, last];
    if (status.value === 'error') return;
    const lastPage = Math.floor(Math.max(first, last) / contactsPageSize);
    for (let page = Math.floor(Math.max(0, first) / contactsPageSize); page <= lastPage; page += 1) {
      if (!requested.has(page)) void loadPage(page);
    }
  }

  /** Forgets every row and reads the first page again, or the pages in view (`keepPosition`). */
  function reload(keepPosition = false): void {
    generation += 1;
    requested.clear();
    rows.value = new Map();
    error.value = null;
    if (!keepPosition) {
      total.value = 0;
      status.value = 'loading';
      range = [0, contactsPageSize - 1];
    } else if (status.value === 'error') {
      status.value = 'loading';
    }
    void loadPage(Math.floor(range[0] / contactsPageSize));
    ensure(range[0], range[1]);
  }

  function rowAt(index: number): ContactView | undefined {
    return rows.value.get(index);
  }

  watch(filter, () => reload(), { deep: true });
  watch(() => store.revision, () => reload(true));
  watch(
    () => store.lastUpdated,
    (contact) => {
      if (!contact) return;
      for (const [index, row] of rows.value) {
        if (row.id === contact.id) rows.value.set(index, contact);
      }
      triggerRef(rows);
    },
  );
  onScopeDispose(() => {
    generation += 1;
  });

  reload();

  return { rows, total, status, error, rowAt, ensure, reload };
}
