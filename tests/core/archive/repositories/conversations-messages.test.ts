import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../../electron/core/archive/connection';
import type { ConversationCursor, MessageCursor } from '../../../../electron/core/archive/types';
import { createTestArchive } from '../../../support/archive-helpers';

function chat(archive: Archive, waId: string, name?: string) {
  const contact = archive.contacts.upsertByIdentity({ waId, phone: waId, profileName: name ?? null });
  return archive.conversations.getOrCreateForContact(contact.id).conversation.id;
}

describe('messages repository', () => {
  it('stores a message once per wamid and once per client id (webhooks repeat)', () => {
    const { archive } = createTestArchive();
    const c = chat(archive, '1');
    const first = archive.messages.insert({ conversationId: c, wamid: 'wamid.A', direction: 'in', type: 'text', text: 'hi', timestamp: 10 });
    const again = archive.messages.insert({ conversationId: c, wamid: 'wamid.A', direction: 'in', type: 'text', text: 'hi', timestamp: 10 });
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ id: first.id, inserted: false });
    const out = archive.messages.insert({ conversationId: c, clientId: 'client-1', direction: 'out', type: 'text', text: 'hello', timestamp: 20 });
    expect(archive.messages.insert({ conversationId: c, clientId: 'client-1', direction: 'out', type: 'text', text: 'hello', timestamp: 20 })).toEqual({ id: out.id, inserted: false });
    expect(archive.messages.get(out.id)).toMatchObject({ status: 'pending', wamid: null, clientId: 'client-1' });
    expect(archive.conversations.get(c)!.unreadCount).toBe(1);
    expect(archive.search.searchMessages({ text: 'hi' }).items).toHaveLength(1);
  });

  it('keeps unknown types and the original payload', () => {
    const { archive } = createTestArchive();
    const c = chat(archive, '1');
    const payload = { type: 'poll_creation', poll_creation: { question: '?', options: ['a', 'b'] } };
    const { id } = archive.messages.insert({ conversationId: c, wamid: 'wamid.P', direction: 'in', type: 'poll_creation', payload, timestamp: 5 });
    const stored = archive.messages.get(id)!;
    expect(stored.type).toBe('poll_creation');
    expect(JSON.parse(stored.payloadJson!)).toEqual(payload);
    expect(archive.messages.getByWamid('wamid.P')!.id).toBe(id);
  });

  it('pages a conversation newest first by (timestamp, id), even with equal timestamps and late arrivals', () => {
    const { archive } = createTestArchive();
    const c = chat(archive, '1');
    const other = chat(archive, '2');
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      // Pairs share a timestamp; the id breaks the tie.
      ids.push(archive.messages.insert({ conversationId: c, wamid: `w${i}`, direction: 'in', type: 'text', text: `m${i}`, timestamp: 1000 + Math.floor(i / 2) }).id);
    }
    archive.messages.insert({ conversationId: other, wamid: 'x', direction: 'in', type: 'text', text: 'elsewhere', timestamp: 1005 });
    // A message older than all of them, arriving last.
    const late = archive.messages.insert({ conversationId: c, wamid: 'late', direction: 'in', type: 'text', text: 'late', timestamp: 999 }).id;
    const seen: number[] = [];
    let before: MessageCursor | null = null;
    do {
      const page = archive.messages.pageOfConversation(c, { before, limit: 10 });
      seen.push(...page.items.map((m) => m.id));
      before = page.next;
    } while (before);
    expect(seen).toEqual([...[...ids].reverse(), late]);
    // The late old message did not become the conversation's preview.
    const conversation = archive.conversations.get(c)!;
    expect(conversation.lastMessageId).toBe(ids.at(-1));
    expect(conversation.lastActivityAt).toBe(1011);
    expect(conversation.lastInboundAt).toBe(1011);
  });

  it('tracks the 24-hour window, staff replies and unread counts in the conversation', () => {
    const { archive } = createTestArchive();
    const c = chat(archive, '1');
    archive.messages.insert({ conversationId: c, wamid: 'in1', direction: 'in', type: 'text', text: 'hi', timestamp: 100 });
    archive.messages.insert({ conversationId: c, wamid: 'sys', direction: 'in', type: 'system', text: 'changed number', timestamp: 110 });
    archive.messages.insert({ conversationId: c, clientId: 'g', direction: 'out', type: 'text', text: 'Welcome!', automatic: 'greeting', status: 'sent', timestamp: 120 });
    let conversation = archive.conversations.get(c)!;
    expect(conversation).toMatchObject({ unreadCount: 1, lastInboundAt: 110, lastStaffAt: null, lastActivityAt: 120 });
    archive.messages.insert({ conversationId: c, clientId: 's', direction: 'out', type: 'text', text: 'How can I help?', senderStaffId: 'staff-a', status: 'sent', timestamp: 130 });
    conversation = archive.conversations.get(c)!;
    expect(conversation.lastStaffAt).toBe(130);
    archive.conversations.markRead(c);
    expect(archive.conversations.get(c)!.unreadCount).toBe(0);
  });

  it('deletes messages with their search entries and fixes the preview', () => {
    const { archive } = createTestArchive();
    const c = chat(archive, '1');
    const a = archive.messages.insert({ conversationId: c, wamid: 'a', direction: 'in', type: 'text', text: 'alpha', timestamp: 1 }).id;
    const b = archive.messages.insert({ conversationId: c, wamid: 'b', direction: 'in', type: 'text', text: 'bravo', timestamp: 2 }).id;
    expect(archive.messages.delete([b, 9999])).toBe(1);
    expect(archive.conversations.get(c)!.lastMessageId).toBe(a);
    expect(archive.search.searchMessages({ text: 'bravo' }).items).toEqual([]);
    archive.messages.setStarred(a, true);
    expect(archive.messages.get(a)!.starred).toBe(true);
  });
});

describe('conversations repository', () => {
  it('lists pinned first, then newest activity, by cursor', () => {
    const { archive } = createTestArchive();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const c = chat(archive, `100${i}`, `Customer ${i}`);
      ids.push(c);
      archive.messages.insert({ conversationId: c, wamid: `w${i}`, direction: 'in', type: 'text', text: `hello ${i}`, timestamp: 1000 + (i % 10) });
    }
    archive.conversations.setPinned(ids[3]!, true);
    archive.conversations.setPinned(ids[25]!, true);
    archive.conversations.setArchived(ids[29]!, true);

    const seen: number[] = [];
    let after: ConversationCursor | null = null;
    do {
      const page = archive.conversations.page({ after, limit: 7 });
      seen.push(...page.items.map((c) => c.id));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(29);
    expect(new Set(seen).size).toBe(29);
    expect(seen.slice(0, 2).sort()).toEqual([ids[3], ids[25]].sort());
    const activity = seen.slice(2).map((id) => archive.conversations.get(id)!.lastActivityAt);
    expect(activity).toEqual([...activity].sort((x, y) => y - x));
    // Ties on activity broken by id, descending.
    const tied = seen.slice(2).filter((id) => archive.conversations.get(id)!.lastActivityAt === 1009);
    expect(tied).toEqual([...tied].sort((x, y) => y - x));
    expect(archive.conversations.page({ archived: true }).items.map((c) => c.id)).toEqual([ids[29]]);

    const first = archive.conversations.page({ limit: 1 }).items[0]!;
    expect(first.contactDisplayName).toMatch(/^Customer /);
    expect(first.lastMessage).toMatchObject({ direction: 'in', type: 'text', text: expect.stringMatching(/^hello/) });
  });

  it('filters by unread and by labels (any of / all of)', () => {
    const { archive } = createTestArchive();
    const [a, b, c] = ['1', '2', '3'].map((n) => chat(archive, n));
    archive.messages.insert({ conversationId: a!, wamid: 'a', direction: 'in', type: 'text', text: 'x', timestamp: 1 });
    archive.messages.insert({ conversationId: b!, clientId: 'b', direction: 'out', type: 'text', text: 'y', status: 'sent', timestamp: 2 });
    archive.conversations.markUnread(c!);
    const paid = archive.labels.create({ name: 'Paid', colour: 1 });
    const vip = archive.labels.create({ name: 'VIP', colour: 2 });
    archive.labels.assignToConversations(paid.id, [a!, b!]);
    archive.labels.assignToConversations(vip.id, [b!, c!]);
    const ids = (q: Parameters<Archive['conversations']['page']>[0]) => archive.conversations.page(q).items.map((x) => x.id).sort();
    expect(ids({ unreadOnly: true })).toEqual([a, c].sort());
    expect(ids({ labelIds: [paid.id, vip.id], labelMode: 'any' })).toEqual([a, b, c].sort());
    expect(ids({ labelIds: [paid.id, vip.id], labelMode: 'all' })).toEqual([b]);
    expect(archive.conversations.page({ labelIds: [vip.id] }).items.find((x) => x.id === b)!.labelIds.sort()).toEqual([paid.id, vip.id].sort());
  });

  it('keeps one conversation per contact and per group, with draft and mute', () => {
    const { archive } = createTestArchive();
    const contact = archive.contacts.upsertByIdentity({ waId: '1' }).id;
    const first = archive.conversations.getOrCreateForContact(contact);
    const second = archive.conversations.getOrCreateForContact(contact);
    expect(first.created).toBe(true);
    expect(second).toEqual({ conversation: first.conversation, created: false });
    const group = archive.conversations.getOrCreateForGroup('120363000000000001');
    expect(group.conversation).toMatchObject({ contactId: null, groupId: '120363000000000001' });
    archive.conversations.setDraft(first.conversation.id, '半句话');
    archive.conversations.setMutedUntil(first.conversation.id, 99);
    expect(archive.conversations.get(first.conversation.id)).toMatchObject({ draft: '半句话', mutedUntil: 99 });
  });
});
