import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { EventPayload, RequestOf } from '../../../shared/ipc/contract';
import type { ContactsImportReport, ContactsPage, ContactView } from '../../../shared/ipc/inbox';
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

export type ImportFormat = RequestOf<'contacts:import'>['format'];

/** CSV or vCard, by the file's extension first, then its type; null for anything else. */
export function importFormatOf(file: Pick<File, 'name' | 'type'>): ImportFormat | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.vcf') || name.endsWith('.vcard')) return 'vcard';
  const type = file.type.toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === 'text/vcard' || type === 'text/x-vcard' || type === 'text/directory') return 'vcard';
  return null;
}

/** Core's limit (5 MB): larger files are refused here, before reading them, with the reason in words. */
export const importMaxBytes = 5 * 1024 * 1024;

/**
 * Contacts (PRODUCT §3): the calls the contacts page and the contact panel make. The store holds no contact
 * data itself — lists and panels hold what they show, and go when their page goes (or the window locks) —
 * only `revision`, bumped when many contacts may have changed (an import, a merge pushed by core) so lists
 * read again, and `lastUpdated`, the contact as an edit left it, so lists patch that one row.
 */
export const useContactsStore = defineStore('contacts', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const revision = ref(0);
  const lastUpdated = ref<ContactView | null>(null);
  /** The last `contacts:changed` event, for panels to follow a merge to the contact that remains. */
  const lastChange = ref<EventPayload<'contacts:changed'> | null>(null);

  const unsubscribe = frontdesk.on('contacts:changed', (change) => {
    lastChange.value = { contactId: change.contactId, mergedIds: [...change.mergedIds], reason: change.reason };
    revision.value += 1;
  });
  onScopeDispose(unsubscribe);

  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    () => {
      lastChange.value = null;
      lastUpdated.value = null;
    },
  );

  function bump<T>(result: Result<T>): Result<T> {
    if (result.ok) revision.value += 1;
    return result;
  }

  return {
    revision,
    lastChange,
    lastUpdated,
    list: (request: RequestOf<'contacts:list'>): Promise<Result<ContactsPage>> => settle(() => frontdesk.contacts.list(request)),
    get: (contactId: number): Promise<Result<ContactView>> => settle(() => frontdesk.contacts.get({ contactId })),
    update: async (request: RequestOf<'contacts:update'>): Promise<Result<ContactView>> => {
      const result = await settle(() => frontdesk.contacts.update(request));
      if (result.ok) lastUpdated.value = result.value;
      return result;
    },
    importContacts: async (request: RequestOf<'contacts:import'>): Promise<Result<ContactsImportReport>> =>
      bump(await settle(() => frontdesk.contacts.import(request))),
    exportCsv: () => settle(() => frontdesk.contacts.export()),
  };
});
