import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { ChatMessage } from '../../../shared/ipc/inbox';
import type { RequestOf } from '../../../shared/ipc/contract';
import { ok } from '../../../shared/ipc/result';
import { chatMaxHeld, chatPageSize, draftDebounceMs, useChatStore } from '../../../renderer/src/stores/chat';
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk, lockedState } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { detail, inboxHandlers, message, row } from './inbox-fakes';

cleanUpAfterEach();

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A conversation of `count` messages with ids 1…count, paged as core pages them. */
function pagedHandler(all: () => ChatMessage[]) {
  return (request: RequestOf<'messages:page'>) => {
    const list = all();
    const limit = request.limit ?? 50;
    const at = (id: number) => list.findIndex((m) => m.id === id);
    if (request.before !== undefined) {
      const end = at(request.before);
      const start = Math.max(0, end - limit);
      return ok({ messages: list.slice(start, end), hasOlder: start > 0, hasNewer: true });
    }
    if (request.after !== undefined) {
      const start = at(request.after) + 1;
      return ok({ messages: list.slice(start, start + limit), hasOlder: true, hasNewer: start + limit < list.length });
    }
    if (request.around !== undefined) {
      const middle = at(request.around);
      const start = Math.max(0, middle - Math.ceil(limit / 2) + 1);
      return ok({ messages: list.slice(start, start + limit), hasOlder: start > 0, hasNewer: start + limit < list.length });
    }
    return ok({ messages: list.slice(-limit), hasOlder: list.length > limit, hasNewer: false });
  };
}

async function openChat(handlers: FakeHandlers = {}, id = 1, around?: number) {
  const frontdesk = createFakeFrontdesk({ ...inboxHandlers(), ...handlers }).install();
  setActivePinia(createPinia());
  await useWorkspaceStore().load();
  const chat = useChatStore();
  await chat.open(id, around !== undefined ? { around } : {});
  await flushPromises();
  return { frontdesk, chat };
}

const many = (count: number) => Array.from({ length: count }, (_, i) => message(i + 1));

describe('opening a chat', () => {
  it('reads the conversation and its newest page, and marks it read', async () => {
    const { frontdesk, chat } = await openChat({ 'conversations:get': () => ok(detail(row(1), 'half-typed')) });

    expect(frontdesk.payloadsOf('conversations:get')).toEqual([{ conversationId: 1 }]);
    expect(frontdesk.payloadsOf('messages:page')).toEqual([{ conversationId: 1, limit: chatPageSize }]);
    expect(frontdesk.payloadsOf('conversations:mark-read')).toEqual([{ conversationId: 1 }]);
    expect(chat.detail?.draft).toBe('half-typed');
    expect(chat.messages.map((m) => m.id)).toEqual([1, 2]);
    expect(chat.status).toBe('ready');
  });

  it('opens at a message from search: the page around it, highlighted', async () => {
    const all = many(300);
    const { frontdesk, chat } = await openChat({ 'messages:page': pagedHandler(() => all) }, 1, 120);
    expect(frontdesk.payloadsOf('messages:page')[0]).toEqual({ conversationId: 1, limit: chatPageSize, around: 120 });
    expect(chat.highlightId).toBe(120);
    expect(chat.messages.some((m) => m.id === 120)).toBe(true);
    expect(chat.hasNewer).toBe(true);
  });

  it('keeps the messages oldest first', async () => {
    const { chat } = await openChat({ 'messages:page': () => ok({ messages: [message(5, { timestamp: 30 }), message(3, { timestamp: 10 }), message(4, { timestamp: 10 })], hasOlder: false, hasNewer: false }) });
    expect(chat.messages.map((m) => m.id)).toEqual([3, 4, 5]);
  });
});

describe('scrolling back', () => {
  it('asks for the page before the oldest held message and prepends it', async () => {
    const all = many(120);
    const { frontdesk, chat } = await openChat({ 'messages:page': pagedHandler(() => all) });
    expect(chat.messages[0]!.id).toBe(71);

    const added = await chat.loadOlder();

    expect(added).toBe(50);
    expect(frontdesk.payloadsOf('messages:page').at(-1)).toEqual({ conversationId: 1, limit: chatPageSize, before: 71 });
    expect(chat.messages[0]!.id).toBe(21);
    expect(chat.hasOlder).toBe(true);
    await chat.loadOlder();
    expect(chat.messages[0]!.id).toBe(1);
    expect(chat.hasOlder).toBe(false);
  });

  it('holds at most a bounded number of messages, dropping the newest far back', async () => {
    const all = many(chatMaxHeld + 200);
    const { chat } = await openChat({ 'messages:page': pagedHandler(() => all) });
    while (chat.hasOlder) await chat.loadOlder();
    expect(chat.messages.length).toBeLessThanOrEqual(chatMaxHeld);
    expect(chat.messages[0]!.id).toBe(1);
    expect(chat.hasNewer).toBe(true);
  });
});

describe('live', () => {
  it('appends an arriving message, announces it and marks the chat read again', async () => {
    const all = many(3);
    const { frontdesk, chat } = await openChat({ 'messages:page': pagedHandler(() => all) });
    const reads = frontdesk.callsTo('conversations:mark-read');
    const appended = chat.appendedSeq;

    all.push(message(4, { text: '你好' }));
    frontdesk.emit('messages:received', { conversationId: 1, messageId: 4, contactId: 1, groupId: null, type: 'text', timestamp: 1 });
    await flushPromises();

    expect(frontdesk.payloadsOf('messages:page').at(-1)).toEqual({ conversationId: 1, limit: chatPageSize, after: 3 });
    expect(chat.messages.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(chat.appendedSeq).toBe(appended + 1);
    expect(chat.lastArrival?.text).toBe('你好');
    expect(frontdesk.callsTo('conversations:mark-read')).toBe(reads + 1);
  });

  it('ignores messages for another conversation', async () => {
    const { frontdesk, chat } = await openChat();
    const pages = frontdesk.callsTo('messages:page');
    frontdesk.emit('messages:received', { conversationId: 9, messageId: 4, contactId: 9, groupId: null, type: 'text', timestamp: 1 });
    await flushPromises();
    expect(frontdesk.callsTo('messages:page')).toBe(pages);
    expect(chat.messages).toHaveLength(2);
  });

  it('moves ticks forward from messages:status, never back', async () => {
    const { frontdesk, chat } = await openChat({
      'messages:page': () => ok({ messages: [message(7, { direction: 'out', status: 'sent' })], hasOlder: false, hasNewer: false }),
    });
    const status = (value: 'delivered' | 'read' | 'sent') =>
      frontdesk.emit('messages:status', { conversationId: 1, messageId: 7, clientId: null, status: value, statusAt: 5, errorCode: null, errorTitle: null });

    status('delivered');
    expect(chat.messages[0]!.status).toBe('delivered');
    status('read');
    status('sent');
    expect(chat.messages[0]!.status).toBe('read');
  });

  it('shows the outbox state and Meta’s reason on the bubble', async () => {
    const { frontdesk, chat } = await openChat({
      'messages:page': () => ok({ messages: [message(7, { direction: 'out', status: 'pending', outboxState: 'queued' })], hasOlder: false, hasNewer: false }),
    });
    frontdesk.emit('outbox:state', { messageId: 7, conversationId: 1, state: 'sending' });
    expect(chat.messages[0]!.outboxState).toBe('sending');
    frontdesk.emit('outbox:state', { messageId: 7, conversationId: 1, state: 'failed', error: { code: 131026, message: 'Message undeliverable' } });
    expect(chat.messages[0]!.outboxState).toBe('failed');
    expect(chat.messages[0]!.error).toEqual({ code: 131026, message: 'Message undeliverable' });
  });

  it('refetches a message that was edited, revoked or reacted to', async () => {
    let revoked = false;
    const { frontdesk, chat } = await openChat({
      'messages:page': (request) => ok({ messages: [message(2, { revokedAt: revoked ? 5 : null })], hasOlder: false, hasNewer: request.around !== undefined }),
    });
    revoked = true;
    frontdesk.emit('messages:changed', { conversationId: 1, messageId: 2, change: 'revoke' });
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:page').at(-1)).toEqual({ conversationId: 1, limit: 1, around: 2 });
    expect(chat.messages[0]!.revokedAt).toBe(5);
  });

  it('follows the 24-hour window from conversations:window', async () => {
    const { frontdesk, chat } = await openChat();
    frontdesk.emit('conversations:window', { conversationId: 1, open: false, closesAt: null });
    expect(chat.windowOpen).toBe(false);
    expect(chat.row?.windowClosesAt).toBeNull();
  });
});

describe('the composer’s calls', () => {
  it('sends text with the reply-to, then fetches the new message', async () => {
    const all = many(2);
    const { frontdesk, chat } = await openChat({
      'messages:page': pagedHandler(() => all),
      'messages:send': () => {
        all.push(message(3, { direction: 'out', outboxState: 'queued', text: 'On my way' }));
        return ok({ messageId: 3 });
      },
    });
    chat.replyTo = chat.messages[0]!;

    const result = await chat.send({ kind: 'text', conversationId: 1, text: 'On my way', replyToMessageId: 1 });

    expect(result.ok).toBe(true);
    expect(frontdesk.payloadsOf('messages:send')).toEqual([{ kind: 'text', conversationId: 1, text: 'On my way', replyToMessageId: 1 }]);
    expect(chat.messages.at(-1)?.id).toBe(3);
    expect(chat.replyTo).toBeNull();
  });

  it('saves the draft once typing stops, and drops it when the window locks', async () => {
    const { frontdesk, chat } = await openChat();
    chat.saveDraftSoon('Hel');
    chat.saveDraftSoon('Hello');
    expect(frontdesk.callsTo('conversations:set-draft')).toBe(0);
    await wait(draftDebounceMs + 30);
    expect(frontdesk.payloadsOf('conversations:set-draft')).toEqual([{ conversationId: 1, draft: 'Hello' }]);

    chat.saveDraftSoon('secret');
    frontdesk.emit('workspace:state', lockedState());
    await flushPromises();
    await wait(draftDebounceMs + 30);
    expect(frontdesk.callsTo('conversations:set-draft')).toBe(1);
    expect(chat.conversationId).toBeNull();
  });

  it('stars and unstars in place', async () => {
    const { frontdesk, chat } = await openChat();
    await chat.star(2, true);
    expect(frontdesk.payloadsOf('messages:star')).toEqual([{ messageId: 2, starred: true }]);
    expect(chat.messages[1]!.starred).toBe(true);
  });
});
