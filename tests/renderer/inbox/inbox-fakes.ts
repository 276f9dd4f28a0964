/** Conversations, messages and core's inbox answers for the inbox's renderer tests. */
import type { ChatMessage, ConversationDetail, ConversationRow, InboxPage, InboxSummary } from '../../../shared/ipc/inbox';
import type { RequestOf } from '../../../shared/ipc/contract';
import { ok } from '../../../shared/ipc/result';
import type { FakeHandlers } from '../support/fake-frontdesk';

/** 2025-03-14 10:00 local time: "now" for core's clock in these tests. */
export const now = new Date(2025, 2, 14, 10, 0).getTime();
export const hour = 3_600_000;

export function row(id: number, extra: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id,
    contactId: id,
    groupId: null,
    title: `Customer ${id}`,
    subtitle: `+44 7700 900${String(id).padStart(3, '0')}`,
    preview: { type: 'text', direction: 'in', text: `Hello from ${id}`, status: null, automatic: false, revoked: false },
    lastActivityAt: now - id * 60_000,
    unreadCount: 0,
    manualUnread: false,
    pinned: false,
    archived: false,
    mutedUntil: null,
    labels: [],
    windowOpen: true,
    windowClosesAt: now + 20 * hour,
    needsReply: false,
    readOnly: false,
    ...extra,
  };
}

export function message(id: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    conversationId: 1,
    wamid: `wamid.${id}`,
    clientId: null,
    direction: 'in',
    type: 'text',
    text: `Message ${id}`,
    caption: null,
    payload: null,
    replyTo: null,
    status: null,
    statusAt: null,
    outboxState: null,
    error: null,
    retryable: false,
    sender: null,
    automatic: null,
    authorName: null,
    timestamp: now - (1000 - id) * 60_000,
    editedAt: null,
    revokedAt: null,
    starred: false,
    reactions: [],
    media: null,
    labels: [],
    ...extra,
  };
}

export function detail(r: ConversationRow, draft = ''): ConversationDetail {
  return { row: r, contact: null, draft };
}

export const summary: InboxSummary = {
  unreadConversations: 1,
  unreadMessages: 3,
  labels: [
    { id: 1, name: 'New customer', colour: 3, order: 1, conversations: 12 },
    { id: 2, name: 'Paid', colour: 7, order: 2, conversations: 4 },
  ],
};

/** `inbox:list` over `total` generated rows (the filter ignored unless `pick` says otherwise). */
export function listOf(total: number, make: (index: number) => ConversationRow = (index) => row(index + 1)) {
  return (request: RequestOf<'inbox:list'>) => {
    const rows: ConversationRow[] = [];
    for (let index = request.offset; index < Math.min(total, request.offset + request.limit); index++) rows.push(make(index));
    return ok<InboxPage>({ rows, total, offset: request.offset });
  };
}

/** A small inbox: the list, the summary, one open-able chat per row with `messages`, and every action answering ok. */
export function inboxHandlers(options: { total?: number; rows?: (index: number) => ConversationRow; messages?: ChatMessage[] } = {}): FakeHandlers {
  const make = options.rows ?? ((index: number) => row(index + 1));
  const total = options.total ?? 3;
  const messages = options.messages ?? [message(1), message(2, { direction: 'out', status: 'read', text: 'Our reply' })];
  return {
    'inbox:list': listOf(total, make),
    'inbox:summary': () => ok(summary),
    'conversations:get': ({ conversationId }) => ok(detail(make(conversationId - 1))),
    'conversations:act': () => ok(undefined),
    'conversations:mark-read': () => ok(undefined),
    'conversations:set-draft': () => ok(undefined),
    'messages:page': (request) => {
      if (request.before !== undefined || request.after !== undefined) return ok({ messages: [], hasOlder: false, hasNewer: false });
      if (request.around !== undefined) {
        const found = messages.filter((m) => m.id === request.around);
        return ok({ messages: request.limit === 1 ? found : messages, hasOlder: false, hasNewer: false });
      }
      return ok({ messages, hasOlder: false, hasNewer: false });
    },
    'messages:send': () => ok({ messageId: 99 }),
    'messages:star': () => ok(undefined),
  };
}
