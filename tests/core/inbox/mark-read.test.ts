/**
 * Opening a chat (PRODUCT §2): its inbound messages are marked read and Meta is told — once, for the newest
 * (it covers every earlier one) — unless read receipts are off; never for group messages; a failure to
 * reach Meta does not fail the request.
 */
import { describe, expect, it } from 'vitest';
import type { InboxPreferences } from '../../../shared/ipc';
import { call, customerWrites, openDemoInbox, waitFor } from './inbox-support';

describe('marking a conversation read', () => {
  it('clears the unread count, sets read_at, and sends one read receipt for the newest message', async () => {
    const inbox = await openDemoInbox();
    const first = await customerWrites(inbox, 0);
    inbox.clock.advance(5_000);
    const second = await customerWrites(inbox, 0);
    expect(inbox.archive().conversations.get(first.conversationId)!.unreadCount).toBe(2);
    await waitFor(() => inbox.of('inbox:unread').at(-1)?.unreadMessages === 2);

    await call(inbox.core, 'conversations:mark-read', { conversationId: first.conversationId });
    expect(inbox.archive().conversations.get(first.conversationId)).toMatchObject({ unreadCount: 0, manualUnread: false });
    expect(inbox.archive().messages.get(first.messageId)!.readAt).toBe(inbox.clock.now());
    await waitFor(() => inbox.demo().graph.reads.length === 1);
    expect(inbox.demo().graph.reads[0]).toMatchObject({ messageId: second.wamid, typing: false });
    await waitFor(() => inbox.of('inbox:unread').at(-1)?.unreadMessages === 0);
    expect(inbox.of('conversations:changed').flatMap((e) => e.ids as number[])).toContain(first.conversationId);

    // Nothing new since: Meta is not told again.
    await call(inbox.core, 'conversations:mark-read', { conversationId: first.conversationId });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inbox.demo().graph.reads).toHaveLength(1);
  });

  it('tells Meta nothing when read receipts are off, and still clears the unread count', async () => {
    const inbox = await openDemoInbox();
    expect(await call<InboxPreferences>(inbox.core, 'inbox:preferences')).toEqual({ readReceipts: true, notificationSound: true });
    expect(await call<InboxPreferences>(inbox.core, 'inbox:set-preferences', { readReceipts: false })).toEqual({ readReceipts: false, notificationSound: true });
    const { conversationId } = await customerWrites(inbox, 1);
    await call(inbox.core, 'conversations:mark-read', { conversationId });
    expect(inbox.archive().conversations.get(conversationId)!.unreadCount).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inbox.demo().graph.reads).toHaveLength(0);
  });

  it('does not fail when Meta cannot be reached (logged), and never sends receipts for group messages', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 2);
    inbox.demo().graph.faults.inject('500', 1);
    expect(await inbox.core.invoke('conversations:mark-read', { conversationId })).toEqual({ ok: true, value: undefined });
    await waitFor(() => inbox.logger.entries.some((e) => e.message === 'The read receipt did not reach Meta'));
    expect(inbox.archive().conversations.get(conversationId)!.unreadCount).toBe(0);

    const archive = inbox.archive();
    const group = archive.conversations.getOrCreateForGroup('120363000000000042').conversation.id;
    archive.messages.insert({ conversationId: group, wamid: 'wamid.group.42', direction: 'in', type: 'text', text: 'hi all', timestamp: inbox.clock.now(), groupId: '120363000000000042' });
    await call(inbox.core, 'conversations:mark-read', { conversationId: group });
    expect(archive.conversations.get(group)!.unreadCount).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inbox.demo().graph.reads).toHaveLength(0);
    expect(await inbox.core.invoke('conversations:mark-read', { conversationId: 77_777 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
