import { writeFile } from 'node:fs/promises';
import type { ContactView } from '../../../shared/ipc/inbox';
import type { Archive, ContactPatch } from '../archive';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { DialogsPort, EventSinkPort } from '../ports';
import { toContactView } from './contact-view';
import { toCsv } from './csv';
import { importContacts } from './import';

type ContactsChannels = Pick<ChannelHandlers, 'contacts:list' | 'contacts:get' | 'contacts:update' | 'contacts:import' | 'contacts:export'>;

export interface ContactsDeps {
  /** The open, unlocked workspace's archive (throws `locked` / `no_workspace_open` otherwise). */
  archive: () => Archive;
  events: EventSinkPort;
  dialogs: DialogsPort;
}

const exportHeader = ['Name', 'Phone', 'Username', 'Profile name', 'Saved name', 'Notes', 'Labels', 'First contact', 'Last contact'];

const isoTime = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function viewOf(archive: Archive, contactId: number): ContactView {
  const entry = archive.contacts.directoryEntry(contactId);
  if (!entry) throw new AppError('not_found', 'The contact no longer exists');
  return toContactView(entry);
}

/** PRODUCT §3: the contacts page (search, label filter), editing, import from CSV / vCard, export as CSV. */
export function createContactsHandlers(deps: ContactsDeps): ContactsChannels {
  const changed = (conversationIds: number[]) => {
    if (conversationIds.length > 0) deps.events.emit('conversations:changed', { ids: conversationIds });
  };

  return {
    'contacts:list': ({ query, labelId, offset, limit }) => {
      const page = deps.archive().contacts.directory({ text: query, labelId, offset, limit });
      return { rows: page.items.map(toContactView), total: page.total, offset };
    },

    'contacts:get': ({ contactId }) => viewOf(deps.archive(), contactId),

    'contacts:update': ({ contactId, savedName, notes, blocked }) => {
      const archive = deps.archive();
      const before = viewOf(archive, contactId);
      const patch: ContactPatch = {};
      // The schema trimmed it: an empty name clears it, and the profile name or number shows again.
      if (savedName !== undefined && (savedName || null) !== before.savedName) patch.savedName = savedName || null;
      if (notes !== undefined && notes !== before.notes) patch.notes = notes;
      if (blocked !== undefined && blocked !== before.blocked) patch.blocked = blocked;
      const fields = Object.keys(patch);
      if (fields.length === 0) return before;
      archive.transaction(() => {
        archive.contacts.update(contactId, patch);
        // Which fields, never their content (the log names contacts only by id).
        archive.audit.append('contact.updated', `contact:${contactId}`, {
          fields: fields.join(','),
          ...(patch.blocked !== undefined ? { blocked: patch.blocked } : {}),
        });
      });
      const after = viewOf(archive, contactId);
      if (after.displayName !== before.displayName && after.conversationId !== null) changed([after.conversationId]);
      return after;
    },

    'contacts:import': ({ format, bytes }) => {
      const { report, changedConversationIds } = importContacts(deps.archive(), format, bytes);
      changed(changedConversationIds);
      return report;
    },

    'contacts:export': async () => {
      // Fails fast when locked, before asking where.
      deps.archive();
      const path = await deps.dialogs.chooseSaveFile({ title: 'Export contacts', defaultName: 'contacts.csv' });
      if (path === null) return { saved: false, count: 0 };
      // The workspace may have locked while the dialog was open: ask again.
      const archive = deps.archive();
      const entries = archive.contacts.directory({}).items;
      const rows = entries.map((e) => {
        const view = toContactView(e);
        return [
          view.displayName,
          view.phone,
          view.username,
          view.profileName,
          view.savedName,
          view.notes,
          view.labels.map((l) => l.name).join('; '),
          isoTime(view.firstContactAt),
          isoTime(view.lastContactAt),
        ];
      });
      // A BOM: Excel reads the file as UTF-8 only with one (Chinese names otherwise come out garbled).
      await writeFile(path, `\uFEFF${toCsv([exportHeader, ...rows])}`, 'utf8');
      archive.audit.append('contacts.exported', null, { count: entries.length });
      return { saved: true, count: entries.length };
    },
  };
}
