/**
 * The conversation list and a conversation's state (PRODUCT §2): list, summary, preferences, one
 * conversation, bulk actions, a new chat by number, drafts, and marking read (with Meta's read receipt).
 */
import type { ConversationDetail, InboxFilter, InboxPage } from '../../../shared/ipc';
import type { Archive } from '../archive';
import { contactMatchExpression, parseSearchQuery } from '../archive/search';
import type { Conversation } from '../archive/types';
import { serviceWindowMs } from '../cloud/inbound/window';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import { toContactView } from '../contacts/contact-view';
import { toConversationRow } from './conversation-rows';
import type { InboxDeps } from './inbox-deps';
import { readTypedNumber } from './phone-numbers';
import { readInboxPreferences, saveInboxPreferences } from './preferences';
import { inboxReadModels } from './read-models';
import type { InboxListFilter, LabelRow } from './repositories/inbox-list';

type ConversationChannels = Pick<
  ChannelHandlers,
  | 'inbox:list'
  | 'inbox:summary'
  | 'inbox:preferences'
  | 'inbox:set-preferences'
  | 'conversations:get'
  | 'conversations:act'
  | 'conversations:open-number'
  | 'conversations:set-draft'
  | 'conversations:mark-read'
>;

/** Meta takes read receipts for messages up to 30 days old (REFERENCE §4). */
const readReceiptMaxAgeMs = 30 * 24 * 60 * 60 * 1000;

export function requireConversation(archive: Archive, id: number): Conversation {
  const conversation = archive.conversations.get(id);
  if (!conversation) throw new AppError('not_found', 'This conversation no longer exists');
  return conversation;
}

function listFilter(filter: InboxFilter = {}): InboxListFilter {
  const query = filter.query?.trim();
  const contacts = query ? contactMatchExpression(query) : null;
  const messages = query ? (parseSearchQuery(query)?.match ?? null) : null;
  return {
    archived: filter.archived ?? false,
    ...(filter.unread ? { unread: true } : {}),
    ...(filter.labelIds?.length ? { labelIds: filter.labelIds, labelMode: filter.labelMode ?? 'any' } : {}),
    ...(filter.window ? { window: filter.window } : {}),
    ...(filter.needsReply ? { needsReply: true } : {}),
    ...(filter.from !== undefined ? { from: filter.from } : {}),
    ...(filter.to !== undefined ? { to: filter.to } : {}),
    // A query of punctuation only has no words: it filters nothing.
    ...(contacts || messages ? { search: { contacts, messages } } : {}),
  };
}

export function createConversationHandlers(deps: InboxDeps): ConversationChannels {
  const labelMap = (archive: Archive) => new Map<number, LabelRow>(inboxReadModels(archive).list.labels().map((l) => [l.id, l]));

  /** Rows for these ids, in the order given. */
  function rowsOf(archive: Archive, ids: readonly number[]) {
    const now = deps.clock.now();
    const labels = labelMap(archive);
    const byId = new Map(inboxReadModels(archive).list.rows(ids).map((r) => [r.id, toConversationRow(r, labels, now)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  function detail(archive: Archive, id: number): ConversationDetail {
    const row = rowsOf(archive, [id])[0];
    if (!row) throw new AppError('not_found', 'This conversation no longer exists');
    const conversation = archive.conversations.get(id)!;
    // The contacts module's view, so the chat's side panel and the contacts page show the same person.
    const entry = conversation.contactId !== null ? archive.contacts.directoryEntry(conversation.contactId) : undefined;
    return { row, contact: entry ? toContactView(entry) : null, draft: conversation.draft ?? '' };
  }

  /** Tells Meta (blue ticks) without holding up the request; a failure is logged, not retried. */
  function sendReadReceipt(wamid: string): void {
    let graph;
    try {
      graph = deps.graph();
    } catch {
      return;
    }
    graph.markRead(wamid).catch((error: unknown) => {
      deps.logger.warn('The read receipt did not reach Meta', { error: error instanceof Error ? error.message : 'unknown' });
    });
  }

  return {
    'inbox:list': ({ filter, offset, limit }): InboxPage => {
      const archive = deps.archive();
      const now = deps.clock.now();
      const { ids, total } = inboxReadModels(archive).list.page(listFilter(filter), { windowStart: now - serviceWindowMs, offset, limit });
      return { rows: rowsOf(archive, ids), total, offset };
    },

    'inbox:summary': () => {
      const { list } = inboxReadModels(deps.archive());
      const unread = list.unread(deps.clock.now());
      return {
        unreadConversations: unread.conversations,
        unreadMessages: unread.messages,
        labels: list.labelCounts().map((l) => ({ id: l.id, name: l.name, colour: l.colour, order: l.position, conversations: l.conversations })),
      };
    },

    'inbox:preferences': () => readInboxPreferences(deps.archive()),
    'inbox:set-preferences': (patch) => saveInboxPreferences(deps.archive(), patch),

    'conversations:get': ({ conversationId }) => detail(deps.archive(), conversationId),

    'conversations:act': (request) => {
      const archive = deps.archive();
      const ids = [...new Set(request.ids)];
      // All or nothing; conversations deleted meanwhile (an erasure) are skipped.
      const touched = archive.transaction(() =>
        ids.filter((id) => {
          const conversation = archive.conversations.get(id);
          if (!conversation) return false;
          switch (request.action) {
            case 'pin':
              // Keeps the original pin time of one already pinned.
              if (conversation.pinnedAt === null) archive.conversations.setPinned(id, true);
              break;
            case 'unpin':
              archive.conversations.setPinned(id, false);
              break;
            case 'archive':
            case 'unarchive':
              archive.conversations.setArchived(id, request.action === 'archive');
              break;
            case 'mute':
              archive.conversations.setMutedUntil(id, request.until ?? Number.MAX_SAFE_INTEGER);
              break;
            case 'unmute':
              archive.conversations.setMutedUntil(id, null);
              break;
            case 'mark-unread':
              archive.conversations.markUnread(id);
              break;
            case 'mark-read':
              archive.conversations.markRead(id);
              break;
          }
          return true;
        }),
      );
      deps.notifier.changed(touched);
    },

    'conversations:open-number': ({ phone }) => {
      const archive = deps.archive();
      const known = (digits: string) => archive.contacts.findByIdentity({ phone: digits }) !== undefined;
      const number = readTypedNumber(phone, known);
      const { conversation, created } = archive.transaction(() => {
        const contact = archive.contacts.findByIdentity({ phone: number.digits });
        // A typed number is both: Meta's wa_id is the number's digits until Meta says otherwise.
        const contactId = contact?.id ?? archive.contacts.upsertByIdentity({ phone: number.digits, waId: number.digits }, 'manual').id;
        return archive.conversations.getOrCreateForContact(contactId);
      });
      if (created) deps.notifier.changed([conversation.id]);
      return detail(archive, conversation.id);
    },

    'conversations:set-draft': ({ conversationId, draft }) => {
      const archive = deps.archive();
      const conversation = requireConversation(archive, conversationId);
      const next = draft.trim() === '' ? null : draft;
      if (next === conversation.draft) return;
      archive.conversations.setDraft(conversationId, next);
      deps.notifier.changed([conversationId]);
    },

    'conversations:mark-read': ({ conversationId }) => {
      const archive = deps.archive();
      const conversation = requireConversation(archive, conversationId);
      const now = deps.clock.now();
      const { newest } = archive.transaction(() => {
        const marked = archive.messages.markConversationRead(conversationId, now);
        archive.conversations.markRead(conversationId);
        return marked;
      });
      if (conversation.unreadCount > 0 || conversation.manualUnread) deps.notifier.changed([conversationId]);
      // One receipt for the newest unread message marks every earlier one; never for group messages.
      if (newest && conversation.groupId === null && now - newest.timestamp < readReceiptMaxAgeMs && readInboxPreferences(archive).readReceipts) {
        sendReadReceipt(newest.wamid);
      }
    },
  };
}
