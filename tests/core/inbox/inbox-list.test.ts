/**
 * The conversation list (PRODUCT §2): order, every filter, paging with the total, what a row shows, the
 * unread summary, bulk actions in one go, drafts, and the events that tell the renderer what changed.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationRow, InboxPage, InboxSummary } from '../../../shared/ipc';
import { call, openDemoInbox, seedConversation, waitFor } from './inbox-support';
import type { DemoInbox } from './inbox-support';

const minute = 60_000;
const hour = 60 * minute;

async function list(inbox: DemoInbox, filter: Record<string, unknown> = {}, offset = 0, limit = 100) {
  return call<InboxPage>(inbox.core, 'inbox:list', { filter, offset, limit });
}

const ids = (page: InboxPage) => page.rows.map((r) => r.id);

describe('the conversation list', () => {
  it('lists pinned conversations first, then the newest activity, with the total and offset paging', async () => {
    const inbox = await openDemoInbox();
    const now = inbox.clock.now();
    const a = seedConversation(inbox.archive(), now, { inboundMinutesAgo: 30 });
    const b = seedConversation(inbox.archive(), now, { inboundMinutesAgo: 10 });
    const c = seedConversation(inbox.archive(), now, { inboundMinutesAgo: 20 });
    const d = seedConversation(inbox.archive(), now, { inboundMinutesAgo: 300 });
    await call(inbox.core, 'conversations:act', { action: 'pin', ids: [d] });

    const page = await list(inbox);
    expect(ids(page)).toEqual([d, b, c, a]);
    expect(page.total).toBe(4);
    expect(page.rows[0]!.pinned).toBe(true);

    const second = await list(inbox, {}, 1, 2);
    expect(ids(second)).toEqual([b, c]);
    expect(second).toMatchObject({ total: 4, offset: 1 });
    expect((await list(inbox, {}, 10, 5)).rows).toEqual([]);
  });

  it('shows the name (saved, profile, number, @username, user id), the preview, window, needs-reply and labels', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const saved = seedConversation(archive, now, { name: 'Mei', savedName: 'Mei (VIP)', phone: '85291234567', text: '你好' });
    const profile = seedConversation(archive, now, { name: 'Oliver', phone: '447911123456', username: 'oli' });
    const number = seedConversation(archive, now, { name: null, phone: '8613800138000' });
    const username = seedConversation(archive, now, { name: null, phone: null, username: 'priya.raman', userId: 'US.1234567890123456789' });
    const bsuid = seedConversation(archive, now, { name: null, phone: null, userId: 'SG.9876543210987654321' });
    const label = archive.labels.create({ name: 'Follow up', colour: 7 });
    archive.labels.assignToConversations(label.id, [saved]);

    const rows = new Map((await list(inbox)).rows.map((r) => [r.id, r]));
    expect(rows.get(saved)).toMatchObject({ title: 'Mei (VIP)', subtitle: '+852 9123 4567', labels: [{ id: label.id, name: 'Follow up', colour: 7 }] });
    expect(rows.get(saved)!.preview).toEqual({ type: 'text', direction: 'in', text: '你好', status: null, automatic: false, revoked: false });
    expect(rows.get(profile)).toMatchObject({ title: 'Oliver', subtitle: '+44 7911 123456' });
    expect(rows.get(number)).toMatchObject({ title: '+86 138 0013 8000', subtitle: null });
    expect(rows.get(username)).toMatchObject({ title: '@priya.raman', subtitle: null });
    expect(rows.get(bsuid)).toMatchObject({ title: 'SG.9876543210987654321' });
    expect(rows.get(saved)).toMatchObject({ windowOpen: true, windowClosesAt: now - 10 * minute + 24 * hour, needsReply: true, readOnly: false, mutedUntil: null });
  });

  it('shows an automatic reply in the preview, and does not count it as an answer', async () => {
    const inbox = await openDemoInbox();
    const now = inbox.clock.now();
    const auto = seedConversation(inbox.archive(), now, { inboundMinutesAgo: 20, automaticMinutesAgo: 19 });
    const answered = seedConversation(inbox.archive(), now, { inboundMinutesAgo: 20, staffMinutesAgo: 5 });
    const rows = new Map((await list(inbox)).rows.map((r) => [r.id, r]));
    expect(rows.get(auto)!.preview).toMatchObject({ direction: 'out', automatic: true, status: 'sent' });
    expect(rows.get(auto)!.needsReply).toBe(true);
    expect(rows.get(answered)!.preview).toMatchObject({ direction: 'out', automatic: false, status: 'delivered', text: 'On it' });
    expect(rows.get(answered)!.needsReply).toBe(false);
    expect(ids(await list(inbox, { needsReply: true }))).toEqual([auto]);
  });

  it('filters by unread (counted or marked), archived, window, date range and labels any / all', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const unread = seedConversation(archive, now, { inboundMinutesAgo: 5, unread: true });
    const marked = seedConversation(archive, now, { inboundMinutesAgo: 50 });
    const old = seedConversation(archive, now, { inboundMinutesAgo: 30 * 60 });
    const never = seedConversation(archive, now, { inboundMinutesAgo: null });
    const archived = seedConversation(archive, now, { inboundMinutesAgo: 15, unread: true });
    const group = archive.conversations.getOrCreateForGroup('120363000000000001').conversation.id;
    archive.messages.insert({ conversationId: group, wamid: 'wamid.group.1', direction: 'in', type: 'text', text: 'group hi', timestamp: now - minute, groupId: '120363000000000001' });
    await call(inbox.core, 'conversations:act', { action: 'mark-unread', ids: [marked] });
    await call(inbox.core, 'conversations:act', { action: 'archive', ids: [archived] });
    const [l1, l2] = [archive.labels.create({ name: 'A', colour: 1 }), archive.labels.create({ name: 'B', colour: 2 })];
    archive.labels.assignToConversations(l1.id, [unread, marked, old]);
    archive.labels.assignToConversations(l2.id, [marked, never]);

    expect(ids(await list(inbox, { unread: true }))).toEqual([group, unread, marked]);
    expect(ids(await list(inbox, { archived: true }))).toEqual([archived]);
    expect(ids(await list(inbox, { archived: true, unread: true }))).toEqual([archived]);
    expect(ids(await list(inbox, { window: 'open' }))).toEqual([unread, marked]);
    // Groups have no window: in neither list.
    expect(ids(await list(inbox, { window: 'closed' })).sort()).toEqual([old, never].sort());
    expect(ids(await list(inbox, { labelIds: [l1.id, l2.id] })).sort()).toEqual([unread, marked, old, never].sort());
    expect(ids(await list(inbox, { labelIds: [l1.id, l2.id], labelMode: 'all' }))).toEqual([marked]);
    expect(ids(await list(inbox, { labelIds: [l1.id], unread: true }))).toEqual([unread, marked]);

    const activity = (id: number) => archive.conversations.get(id)!.lastActivityAt;
    const range = await list(inbox, { from: activity(marked), to: activity(unread) });
    expect(ids(range)).toEqual([marked]);
    expect(range.total).toBe(1);
  });

  it('searches names, numbers, usernames and message text (Chinese too)', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const mei = seedConversation(archive, now, { name: '陈美玲', phone: '85291234567', text: 'Is the blue one in stock?' });
    const oli = seedConversation(archive, now, { name: 'Oliver Bennett', phone: '447911123456', username: 'oli.b', text: '请问周六营业吗？' });
    seedConversation(archive, now, { name: 'Someone else', text: 'nothing here' });

    expect(ids(await list(inbox, { query: 'Oliver' }))).toEqual([oli]);
    expect(ids(await list(inbox, { query: '美玲' }))).toEqual([mei]);
    expect(ids(await list(inbox, { query: '+852 9123' }))).toEqual([mei]);
    expect(ids(await list(inbox, { query: 'oli.b' }))).toEqual([oli]);
    expect(ids(await list(inbox, { query: 'blue' }))).toEqual([mei]);
    expect(ids(await list(inbox, { query: '周六' }))).toEqual([oli]);
    expect((await list(inbox, { query: 'zzzz' })).total).toBe(0);
    // Punctuation alone has no words: no filter.
    expect((await list(inbox, { query: '?!' })).total).toBe(3);
  });
});

describe('the unread summary and events', () => {
  it('counts unread conversations and messages (muted and archived left out of the badge), labels with counts', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const a = seedConversation(archive, now, { unread: true });
    const b = seedConversation(archive, now, { unread: true });
    const c = seedConversation(archive, now, { unread: true });
    archive.messages.insert({ conversationId: a, wamid: 'wamid.extra.a', direction: 'in', type: 'text', text: 'again', timestamp: now - minute });
    const label = archive.labels.create({ name: 'Paid twice', colour: 4 });
    archive.labels.assignToConversations(label.id, [a, c]);
    await call(inbox.core, 'conversations:act', { action: 'mute', ids: [b], until: null });
    await call(inbox.core, 'conversations:act', { action: 'archive', ids: [c] });

    const summary = await call<InboxSummary>(inbox.core, 'inbox:summary');
    expect(summary.unreadConversations).toBe(2);
    expect(summary.unreadMessages).toBe(2);
    expect(summary.labels.find((l) => l.id === label.id)).toMatchObject({ name: 'Paid twice', colour: 4, conversations: 1 });
    await waitFor(() => inbox.of('inbox:unread').length > 0);
    expect(inbox.of('inbox:unread').at(-1)).toEqual({ unreadMessages: 2, unreadConversations: 2 });
  });

  it('counts a muted conversation’s unread in the badge again the moment its mute ends', async () => {
    const inbox = await openDemoInbox();
    const now = inbox.clock.now();
    const a = seedConversation(inbox.archive(), now, { unread: true });
    seedConversation(inbox.archive(), now, { unread: true });
    await call(inbox.core, 'conversations:act', { action: 'mute', ids: [a], until: now + 8 * 3_600_000 });
    await waitFor(() => inbox.of('inbox:unread').at(-1)?.unreadMessages === 1);
    inbox.clock.advance(8 * 3_600_000 - 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(inbox.of('inbox:unread').at(-1)).toMatchObject({ unreadMessages: 1 });
    inbox.clock.advance(1);
    await waitFor(() => inbox.of('inbox:unread').at(-1)?.unreadMessages === 2);
  });

  it('announces row changes and the unread total for actions, drafts and new messages', async () => {
    const inbox = await openDemoInbox();
    const now = inbox.clock.now();
    const a = seedConversation(inbox.archive(), now);
    const b = seedConversation(inbox.archive(), now);
    await waitFor(() => inbox.of('inbox:unread').length > 0);
    inbox.events.length = 0;

    await call(inbox.core, 'conversations:act', { action: 'mark-unread', ids: [a, b] });
    await waitFor(() => inbox.of('inbox:unread').length === 1);
    expect(inbox.of('conversations:changed')).toEqual([{ ids: [a, b] }]);
    expect(inbox.of('inbox:unread')[0]).toEqual({ unreadMessages: 2, unreadConversations: 2 });

    await call(inbox.core, 'conversations:set-draft', { conversationId: a, draft: 'half a thought' });
    await waitFor(() => inbox.of('conversations:changed').length === 2);
    expect(inbox.of('conversations:changed')[1]).toEqual({ ids: [a] });
    expect((await call<ConversationDetail>(inbox.core, 'conversations:get', { conversationId: a })).draft).toBe('half a thought');

    // A customer writing is a new message and a new unread one.
    inbox.events.length = 0;
    inbox.demo().customers.act('text', 0);
    await waitFor(() => inbox.of('inbox:unread').length > 0 && inbox.of('conversations:changed').length > 0);
    const received = inbox.of('messages:received')[0]!;
    expect(inbox.of('conversations:changed').flatMap((e) => e.ids as number[])).toContain(received.conversationId);
    expect(inbox.of('inbox:unread').at(-1)).toEqual({ unreadMessages: 3, unreadConversations: 3 });
  });
});

describe('bulk actions', () => {
  it('pins, archives, mutes (until a time or always), marks read and unread, all in one go', async () => {
    const inbox = await openDemoInbox();
    const now = inbox.clock.now();
    const all = [1, 2, 3].map(() => seedConversation(inbox.archive(), now, { unread: true }));
    const row = async (id: number) => (await call<ConversationDetail>(inbox.core, 'conversations:get', { conversationId: id })).row;

    await call(inbox.core, 'conversations:act', { action: 'pin', ids: all });
    expect((await Promise.all(all.map(row))).every((r) => r.pinned)).toBe(true);
    await call(inbox.core, 'conversations:act', { action: 'unpin', ids: [all[0]] });
    expect((await row(all[0]!)).pinned).toBe(false);

    await call(inbox.core, 'conversations:act', { action: 'mute', ids: [all[0]], until: null });
    expect((await row(all[0]!)).mutedUntil).toBe(Number.MAX_SAFE_INTEGER);
    await call(inbox.core, 'conversations:act', { action: 'mute', ids: [all[1]], until: now + hour });
    expect((await row(all[1]!)).mutedUntil).toBe(now + hour);
    inbox.clock.advance(2 * hour);
    expect((await row(all[1]!)).mutedUntil).toBeNull();
    await call(inbox.core, 'conversations:act', { action: 'unmute', ids: [all[0]] });
    expect((await row(all[0]!)).mutedUntil).toBeNull();

    await call(inbox.core, 'conversations:act', { action: 'mark-read', ids: all });
    expect((await Promise.all(all.map(row))).map((r: ConversationRow) => [r.unreadCount, r.manualUnread])).toEqual([[0, false], [0, false], [0, false]]);
    await call(inbox.core, 'conversations:act', { action: 'mark-unread', ids: [all[2]] });
    expect(await row(all[2]!)).toMatchObject({ unreadCount: 0, manualUnread: true });

    // A conversation gone meanwhile is skipped; the rest still change.
    await call(inbox.core, 'conversations:act', { action: 'archive', ids: [all[2], 999_999] });
    expect((await row(all[2]!)).archived).toBe(true);
    await call(inbox.core, 'conversations:act', { action: 'unarchive', ids: [all[2]] });
    expect((await row(all[2]!)).archived).toBe(false);
  });

  it('refuses an unknown conversation with not_found', async () => {
    const inbox = await openDemoInbox();
    expect(await inbox.core.invoke('conversations:get', { conversationId: 4242 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await inbox.core.invoke('conversations:set-draft', { conversationId: 4242, draft: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
