import type { WorkspaceDraft } from '../../../shared/ipc';
import type { ContactsImportReport, ContactsPage, ContactView } from '../../../shared/ipc/inbox';
import type { Archive } from '../../../electron/core/archive';
import { call, startTestCore } from '../helpers';

/** A core with a business workspace created and unlocked; events recorded. */
export async function startContactsCore() {
  const test = startTestCore();
  const { core, ports } = test;
  const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Shop', passphrase: 'correct horse battery staple', keychainUnlock: false });
  const groups = draft.recoveryKey.split(' ');
  await call(core, 'workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] });
  const events: Array<{ event: string; payload: unknown }> = [];
  ports.events.subscribe((event, payload) => events.push({ event, payload }));
  const archive = (): Archive => core.services.workspaces.requireOpenUnlocked().archive;
  return {
    ...test,
    events,
    archive,
    importFile: (format: 'csv' | 'vcard', text: string | Uint8Array) =>
      call<ContactsImportReport>(core, 'contacts:import', { format, bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text }),
    list: (request: { query?: string; labelId?: number; offset?: number; limit?: number } = {}) =>
      call<ContactsPage>(core, 'contacts:list', { offset: 0, limit: 100, ...request }),
    get: (contactId: number) => call<ContactView>(core, 'contacts:get', { contactId }),
    /** Invokes and returns the error (fails when the call succeeds). */
    async failure(channel: string, payload: unknown) {
      const result = (await core.invoke(channel, payload)) as { ok: boolean; error?: { code: string; message: string; fields?: Array<{ path: string; message: string }> } };
      if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return result.error!;
    },
  };
}

/** A contact who wrote in (as the inbound processor stores one), with a conversation and messages at these times. */
export function seedCustomer(archive: Archive, fields: { waId: string; userId?: string; profileName?: string; username?: string }, messageTimes: number[] = []) {
  const { id } = archive.contacts.upsertByIdentity({ userId: fields.userId ?? null, waId: fields.waId, phone: fields.waId, profileName: fields.profileName ?? null, username: fields.username ?? null });
  const conversationId = archive.conversations.getOrCreateForContact(id).conversation.id;
  messageTimes.forEach((timestamp, i) =>
    archive.messages.insert({ conversationId, wamid: `wamid.${fields.waId}.${i}`, direction: 'in', type: 'text', text: `message ${i}`, timestamp }),
  );
  return { contactId: id, conversationId };
}
