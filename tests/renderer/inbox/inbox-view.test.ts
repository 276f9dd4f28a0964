import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { ChatMessage } from '../../../shared/ipc/inbox';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { detail, hour, inboxHandlers, message, now, row } from './inbox-fakes';

cleanUpAfterEach();

// happy-dom lays nothing out: give the list's scroll box a size, so the virtual list has rows to show.
const sized = { clientHeight: 640, clientWidth: 360 };
const saved = Object.keys(sized).map((key) => [key, Object.getOwnPropertyDescriptor(HTMLElement.prototype, key)] as const);
beforeAll(() => {
  for (const [key, size] of Object.entries(sized)) {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, key);
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      get(this: HTMLElement) {
        return this.dataset?.testid === 'conversation-list' ? size : (original?.get?.call(this) ?? 0);
      },
    });
  }
});
afterAll(() => {
  for (const [key, descriptor] of saved) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, key, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[key];
  }
});

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function openInbox(handlers: FakeHandlers = {}, path = '/inbox', locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({ ...inboxHandlers(), ...handlers });
  const mounted = await mountApp({ frontdesk, locale, path });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const rows = (wrapper: Wrapper) => wrapper.findAll('[data-testid="conversation-row"]');
const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);

describe('the conversation list', () => {
  it('is a labelled listbox of the rows core gave, with their states', async () => {
    const { wrapper } = await openInbox({
      'inbox:list': () =>
        ok({
          total: 3,
          offset: 0,
          rows: [
            row(1, { pinned: true, unreadCount: 3, labels: [{ id: 1, name: 'New customer', colour: 3 }], preview: { type: 'image', direction: 'in', text: null, status: null, automatic: false, revoked: false } }),
            row(2, { windowOpen: false, windowClosesAt: null, mutedUntil: Number.MAX_SAFE_INTEGER, preview: { type: 'text', direction: 'out', text: 'See you', status: 'read', automatic: false, revoked: false } }),
            row(3, { archived: true, manualUnread: true, lastActivityAt: now - 30 * 24 * hour }),
          ],
        }),
    });

    const list = byId(wrapper, 'conversation-list');
    expect(list.attributes('role')).toBe('listbox');
    expect(list.attributes('aria-multiselectable')).toBe('true');
    expect(wrapper.get(`#${list.attributes('aria-labelledby')}`).text()).toBe('Inbox');
    const [first, second, third] = rows(wrapper);
    expect(first!.attributes('role')).toBe('option');
    expect(first!.attributes('aria-posinset')).toBe('1');
    expect(first!.attributes('aria-setsize')).toBe('3');
    expect(first!.get('[data-testid="conversation-title"]').text()).toBe('Customer 1');
    expect(first!.get('[data-testid="unread-badge"]').text()).toBe('3');
    expect(first!.find('[data-testid="pinned-marker"]').exists()).toBe(true);
    expect(first!.get('[data-testid="label-chip"]').text()).toBe('New customer');
    expect(first!.get('[data-testid="conversation-preview"]').text()).toBe('Photo');
    expect(second!.find('[data-testid="window-closed-marker"]').exists()).toBe(true);
    expect(second!.attributes('data-muted')).toBe('true');
    expect(second!.get('[data-testid="ticks"]').attributes('data-state')).toBe('read');
    expect(third!.attributes('data-archived')).toBe('true');
    expect(third!.get('[data-testid="unread-badge"]').text()).toBe('');
    expect(byId(wrapper, 'inbox-count').text()).toBe('3 conversations');
    expect(byId(wrapper, 'inbox-unread-total').text()).toBe('3');
  });

  it('shows today’s time, this week’s weekday and older dates, by core’s clock', async () => {
    const { wrapper } = await openInbox({
      'inbox:list': () => ok({ total: 3, offset: 0, rows: [row(1, { lastActivityAt: now - hour }), row(2, { lastActivityAt: now - 3 * 24 * hour }), row(3, { lastActivityAt: now - 40 * 24 * hour })] }),
    });
    const times = rows(wrapper).map((r) => r.get('[data-testid="conversation-time"]').text());
    expect(times[0]).toMatch(/9:00/);
    expect(times[1]).toBe(new Intl.DateTimeFormat('en', { weekday: 'short' }).format(now - 3 * 24 * hour));
    expect(times[2]).toBe(new Intl.DateTimeFormat('en', { year: '2-digit', month: 'numeric', day: 'numeric' }).format(now - 40 * 24 * hour));
  });

  it('opens a chat on click: the address names it, and it is marked read', async () => {
    const { wrapper, frontdesk } = await openInbox();
    await rows(wrapper)[1]!.trigger('click');
    await flushPromises();

    expect(window.location.hash).toBe('#/inbox?conversation=2');
    expect(byId(wrapper, 'chat-title').text()).toBe('Customer 2');
    expect(frontdesk.payloadsOf('conversations:mark-read')).toEqual([{ conversationId: 2 }]);
    expect(rows(wrapper)[1]!.attributes('aria-current')).toBe('true');
  });

  it('moves with the arrow keys and opens with Enter', async () => {
    const { wrapper } = await openInbox();
    const list = byId(wrapper, 'conversation-list');
    await list.trigger('keydown', { key: 'ArrowDown' });
    await list.trigger('keydown', { key: 'ArrowDown' });
    expect(list.attributes('aria-activedescendant')).toBe(rows(wrapper)[2]!.attributes('id'));
    await list.trigger('keydown', { key: 'ArrowUp' });
    await list.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(window.location.hash).toBe('#/inbox?conversation=2');
  });

  it('selects with Space and acts on the selection from the bulk bar', async () => {
    const { wrapper, frontdesk } = await openInbox();
    const list = byId(wrapper, 'conversation-list');
    await list.trigger('keydown', { key: ' ' });
    await list.trigger('keydown', { key: 'ArrowDown' });
    await list.trigger('keydown', { key: ' ' });
    expect(byId(wrapper, 'bulk-count').text()).toBe('2 selected');
    expect(rows(wrapper)[0]!.attributes('aria-selected')).toBe('true');

    await byId(wrapper, 'bulk-actions').trigger('click');
    await flushPromises();
    await byId(wrapper, 'conversation-action-archive').trigger('click');
    await flushPromises();

    expect(frontdesk.payloadsOf('conversations:act')).toEqual([{ action: 'archive', ids: [1, 2] }]);
    expect(wrapper.find('[data-testid="bulk-bar"]').exists()).toBe(false);
  });

  it('offers pin, archive, mute for 8 hours / a week / always and mark unread from a row’s menu', async () => {
    const { wrapper, frontdesk } = await openInbox();
    await rows(wrapper)[0]!.get('[data-testid="conversation-menu-button"]').trigger('click');
    await flushPromises();

    const menu = byId(wrapper, 'conversation-menu');
    expect(menu.attributes('role')).toBe('menu');
    expect(menu.findAll('[role="menuitem"]').map((item) => item.text())).toEqual([
      'Pin',
      'Archive',
      'Mute for 8 hours',
      'Mute for 1 week',
      'Mute always',
      'Mark as unread',
    ]);
    await byId(wrapper, 'conversation-action-mute-8h').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('conversations:act')).toEqual([{ action: 'mute', ids: [1], until: now + 8 * hour }]);
    expect(wrapper.find('[data-testid="conversation-menu"]').exists()).toBe(false);
  });

  it('narrows by unread and by labels (any of / all of), and searches', async () => {
    const { wrapper, frontdesk } = await openInbox();
    await byId(wrapper, 'filter-unread').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:list').at(-1)?.filter).toEqual({ unread: true });
    expect(byId(wrapper, 'filter-unread').attributes('aria-pressed')).toBe('true');

    await byId(wrapper, 'filter-label-2').setValue(true);
    await byId(wrapper, 'filter-labels-all').setValue(true);
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:list').at(-1)?.filter).toEqual({ unread: true, labelIds: [2], labelMode: 'all' });

    await byId(wrapper, 'inbox-search').setValue('Mei');
    await byId(wrapper, 'inbox-search').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:list').at(-1)?.filter).toEqual({ unread: true, labelIds: [2], labelMode: 'all', query: 'Mei' });
  });

  it('says when no conversation matches, and when there are none', async () => {
    const { wrapper } = await openInbox({ 'inbox:list': () => ok({ rows: [], total: 0, offset: 0 }) });
    expect(byId(wrapper, 'inbox-empty').text()).toContain('No conversations yet');
    await byId(wrapper, 'filter-needs-reply').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'inbox-empty').text()).toContain('No conversations match these filters.');
  });

  it('says so when core cannot list, with a retry', async () => {
    const { wrapper } = await openInbox({ 'inbox:list': () => fail('internal', 'boom') });
    expect(byId(wrapper, 'inbox-error').text()).toContain('The conversations could not be loaded.');
  });

  it('focuses the search box on Ctrl+K and Cmd+K', async () => {
    const { wrapper } = await openInbox();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }));
    expect(document.activeElement).toBe(byId(wrapper, 'inbox-search').element);
    (document.activeElement as HTMLElement).blur();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', metaKey: true }));
    expect(document.activeElement).toBe(byId(wrapper, 'inbox-search').element);
  });
});

describe('a new chat by number', () => {
  it('checks the number as it is typed, then opens the chat in template mode', async () => {
    const { wrapper, frontdesk } = await openInbox({
      'conversations:open-number': () => ok(detail(row(9, { title: '+86 138 0013 8000', subtitle: null, windowOpen: false, windowClosesAt: null }))),
      'conversations:get': () => ok(detail(row(9, { title: '+86 138 0013 8000', subtitle: null, windowOpen: false, windowClosesAt: null }))),
      'messages:page': () => ok({ messages: [], hasOlder: false, hasNewer: false }),
      'templates:list': () => ok([]),
    });
    await byId(wrapper, 'new-chat').trigger('click');
    await flushPromises();
    const input = byId(wrapper, 'new-chat-number');

    await input.setValue('13800138000');
    expect(byId(wrapper, 'new-chat-problem').text()).toContain('Start with + and the country code');
    expect(input.attributes('aria-invalid')).toBe('true');
    await byId(wrapper, 'new-chat-submit').trigger('submit');
    expect(frontdesk.callsTo('conversations:open-number')).toBe(0);

    await input.setValue('+86 138-0013-8000');
    expect(byId(wrapper, 'new-chat-formatted').text()).toBe('Will open +86 138 0013 8000');
    await wrapper.get('[data-testid="new-chat-dialog"] form').trigger('submit');
    await flushPromises();

    expect(frontdesk.payloadsOf('conversations:open-number')).toEqual([{ phone: '+8613800138000' }]);
    expect(window.location.hash).toBe('#/inbox?conversation=9');
    expect(wrapper.find('[data-testid="new-chat-dialog"]').exists()).toBe(false);
    expect(byId(wrapper, 'template-panel').text()).toContain('The 24-hour window is closed');
    expect(byId(wrapper, 'templates-empty').text()).toContain('No approved templates yet');
    expect(wrapper.find('[data-testid="composer"]').exists()).toBe(false);
  });

  it('shows core’s refusal', async () => {
    const { wrapper } = await openInbox({ 'conversations:open-number': () => fail('invalid_phone', 'Not a mobile number') });
    await byId(wrapper, 'new-chat').trigger('click');
    await flushPromises();
    await byId(wrapper, 'new-chat-number').setValue('+44 7911 123456');
    await wrapper.get('[data-testid="new-chat-dialog"] form').trigger('submit');
    await flushPromises();
    expect(byId(wrapper, 'new-chat-error').text()).toContain('This is not a phone number that can use WhatsApp.');
  });
});

describe('the chat', () => {
  const payloadOf = (type: string, content: unknown) => ({ [type]: content });

  const kinds: ChatMessage[] = [
    message(10, { type: 'image', text: null, caption: 'Our new clinic', media: { id: 501, state: 'stored', mime: 'image/jpeg', size: 2048, fileName: null, error: null } }),
    message(11, { type: 'document', text: null, media: { id: 502, state: 'stored', mime: 'application/pdf', size: 153_600, fileName: 'invoice-0042.pdf', error: null } }),
    message(12, { type: 'audio', text: null, payload: payloadOf('audio', { voice: true }), media: { id: 503, state: 'stored', mime: 'audio/ogg', size: 900, fileName: null, error: null } }),
    message(13, { type: 'location', text: 'Harbour Clinic', payload: payloadOf('location', { latitude: 22.2855, longitude: 114.1577, name: 'Harbour Clinic', address: '1 Queen’s Road' }) }),
    message(14, { type: 'contacts', text: 'Mei Lin', payload: payloadOf('contacts', [{ name: { formatted_name: 'Mei Lin' }, phones: [{ phone: '+86 138 0013 8000' }] }]) }),
    message(15, { type: 'interactive', text: 'Tuesday 10:00', payload: payloadOf('interactive', { type: 'button_reply', button_reply: { id: 'b1', title: 'Tuesday 10:00' } }) }),
    message(16, { type: 'poll_creation', text: null }),
    message(17, { type: 'unsupported', text: null, payload: payloadOf('unsupported', { type: 'view_once' }) }),
    message(18, { text: 'Wrong chat', revokedAt: now - hour }),
    message(19, { text: 'Tuesday works better', editedAt: now - hour }),
    message(20, { direction: 'out', text: 'Welcome to Harbour Clinic!', automatic: 'greeting', status: 'read', starred: true }),
    message(21, { direction: 'out', text: 'Your appointment', status: 'failed', error: { code: 131026, message: 'Message undeliverable' }, retryable: true, sender: { id: 's1', name: 'Ana' } }),
    message(22, { direction: 'out', text: 'Did it arrive?', status: 'not_confirmed' }),
    message(23, { direction: 'out', text: 'Later', outboxState: 'queued' }),
    message(24, { text: 'Yes please', replyTo: { id: 19, direction: 'in', type: 'text', text: 'Tuesday works better' }, reactions: [{ emoji: '👍', fromBusiness: true }] }),
    message(25, { type: 'sticker', text: null, media: { id: 504, state: 'downloading', mime: 'image/webp', size: null, fileName: null, error: null } }),
    message(26, { type: 'template', direction: 'out', text: 'Your appointment is tomorrow at 10:00.', payload: { template: { name: 'appointment_reminder', language: { code: 'en' } } }, status: 'delivered' }),
  ];

  async function openKinds(handlers: FakeHandlers = {}) {
    return openInbox({ 'messages:page': () => ok({ messages: kinds, hasOlder: false, hasNewer: false }), ...handlers }, '/inbox?conversation=1');
  }

  const bubble = (wrapper: Wrapper, id: number) => wrapper.get(`[data-testid="message"][data-message-id="${id}"]`);

  it('shows every kind of message, never dropping one it does not know', async () => {
    const { wrapper } = await openKinds();
    expect(wrapper.findAll('[data-testid="message"]')).toHaveLength(kinds.length);

    expect(bubble(wrapper, 10).get('img').attributes('src')).toBe('/media/501');
    expect(bubble(wrapper, 10).get('[data-testid="message-caption"]').text()).toBe('Our new clinic');
    expect(bubble(wrapper, 11).get('[data-testid="message-file-name"]').text()).toBe('invoice-0042.pdf');
    expect(bubble(wrapper, 11).find('[data-testid="save-media"]').exists()).toBe(true);
    expect(bubble(wrapper, 12).get('audio').attributes('controls')).toBeDefined();
    expect(bubble(wrapper, 12).text()).toContain('Voice message');
    const map = bubble(wrapper, 13).get('[data-testid="message-map-link"]');
    expect(map.attributes('href')).toBe('https://www.openstreetmap.org/?mlat=22.285500&mlon=114.157700#map=16/22.285500/114.157700');
    expect(map.attributes('rel')).toBe('noopener noreferrer');
    expect(map.attributes('target')).toBe('_blank');
    expect(bubble(wrapper, 13).text()).toContain('1 Queen’s Road');
    expect(bubble(wrapper, 14).text()).toContain('Mei Lin');
    expect(bubble(wrapper, 14).text()).toContain('+86 138 0013 8000');
    expect(bubble(wrapper, 15).get('[data-testid="message-choice"]').text()).toBe('Chose: Tuesday 10:00');
    expect(bubble(wrapper, 16).get('[data-testid="message-unsupported"]').text()).toContain('This message type is not supported');
    expect(bubble(wrapper, 17).get('[data-testid="message-unsupported"]').text()).toContain('view_once');
    expect(bubble(wrapper, 18).get('[data-testid="message-revoked"]').text()).toBe('This message was deleted');
    expect(bubble(wrapper, 18).text()).not.toContain('Wrong chat');
    expect(bubble(wrapper, 19).get('[data-testid="message-edited"]').text()).toBe('edited');
    expect(bubble(wrapper, 20).get('[data-testid="message-automatic"]').text()).toBe('Greeting message (automatic)');
    expect(bubble(wrapper, 20).attributes('data-starred')).toBe('true');
    expect(bubble(wrapper, 21).get('[data-testid="message-failed"]').text()).toContain('Not delivered: Message undeliverable (131026)');
    expect(bubble(wrapper, 21).get('[data-testid="message-sender"]').text()).toBe('Ana');
    expect(bubble(wrapper, 21).find('[data-testid="message-retry"]').exists()).toBe(true);
    expect(bubble(wrapper, 22).find('[data-testid="message-resend"]').exists()).toBe(true);
    expect(bubble(wrapper, 23).find('[data-testid="message-cancel"]').exists()).toBe(true);
    expect(bubble(wrapper, 23).get('[data-testid="ticks"]').attributes('data-state')).toBe('pending');
    expect(bubble(wrapper, 24).get('[data-testid="message-quote"]').text()).toContain('Tuesday works better');
    expect(bubble(wrapper, 24).get('[data-testid="message-reactions"]').attributes('aria-label')).toBe('Reactions: 👍 (you)');
    expect(bubble(wrapper, 25).find('[data-testid="media-pending"]').exists()).toBe(true);
    expect(bubble(wrapper, 26).get('[data-testid="message-template"]').text()).toContain('Template: appointment_reminder');
    expect(bubble(wrapper, 26).text()).toContain('Your appointment is tomorrow at 10:00.');
  });

  it('retries, resends and cancels through core', async () => {
    const { wrapper, frontdesk } = await openKinds({ 'messages:resend': () => ok({ messageId: 99 }), 'messages:cancel': () => ok(undefined) });
    await bubble(wrapper, 21).get('[data-testid="message-retry"]').trigger('click');
    await bubble(wrapper, 22).get('[data-testid="message-resend"]').trigger('click');
    await bubble(wrapper, 23).get('[data-testid="message-cancel"]').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:resend')).toEqual([{ messageId: 21 }, { messageId: 22 }]);
    expect(frontdesk.payloadsOf('messages:cancel')).toEqual([{ messageId: 23 }]);
  });

  it('saves a document through the save dialog', async () => {
    const { wrapper, frontdesk } = await openKinds({ 'messages:save-media': () => ok({ saved: true }) });
    await bubble(wrapper, 11).get('[data-testid="save-media"]').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:save-media')).toEqual([{ messageId: 11 }]);
    expect(byId(wrapper, 'chat-announcer').text()).toBe('Saved.');
  });

  it('reacts, stars and replies from a message’s menu', async () => {
    const { wrapper, frontdesk } = await openKinds();
    await bubble(wrapper, 19).get('[data-testid="message-menu-button"]').trigger('click');
    await flushPromises();
    await byId(wrapper, 'react-❤️').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:send')).toEqual([{ kind: 'reaction', conversationId: 1, messageId: 19, emoji: '❤️' }]);

    await bubble(wrapper, 19).get('[data-testid="message-menu-button"]').trigger('click');
    await flushPromises();
    await byId(wrapper, 'message-action-star').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:star')).toEqual([{ messageId: 19, starred: true }]);

    await bubble(wrapper, 19).get('[data-testid="message-menu-button"]').trigger('click');
    await flushPromises();
    await byId(wrapper, 'message-action-reply').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'reply-bar').text()).toContain('Tuesday works better');

    await byId(wrapper, 'composer-input').setValue('Tuesday it is');
    await byId(wrapper, 'composer-input').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:send').at(-1)).toEqual({ kind: 'text', conversationId: 1, text: 'Tuesday it is', replyToMessageId: 19 });
    expect(wrapper.find('[data-testid="reply-bar"]').exists()).toBe(false);
  });

  it('jumps to the quoted message', async () => {
    const { wrapper } = await openKinds();
    await bubble(wrapper, 24).get('[data-testid="message-quote"]').trigger('click');
    await flushPromises();
    expect(bubble(wrapper, 19).classes()).toContain('highlighted');
  });

  it('opens at a message from search, highlighted', async () => {
    const { wrapper, frontdesk } = await openInbox({ 'messages:page': () => ok({ messages: kinds, hasOlder: true, hasNewer: true }) }, '/inbox?conversation=1&message=14');
    expect(frontdesk.payloadsOf('messages:page')[0]).toEqual({ conversationId: 1, limit: 50, around: 14 });
    expect(bubble(wrapper, 14).classes()).toContain('highlighted');
  });

  it('separates days', async () => {
    const { wrapper } = await openInbox(
      {
        'messages:page': () =>
          ok({ messages: [message(1, { timestamp: now - 50 * 24 * hour }), message(2, { timestamp: now - 26 * hour }), message(3, { timestamp: now - hour })], hasOlder: false, hasNewer: false }),
      },
      '/inbox?conversation=1',
    );
    const days = wrapper.findAll('[data-testid="day-separator"]').map((day) => day.text());
    expect(days).toEqual([new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(now - 50 * 24 * hour), 'Yesterday', 'Today']);
    expect(byId(wrapper, 'chat-start').text()).toBe('This is the beginning of the conversation.');
  });

  it('keeps message text as text', async () => {
    const { wrapper } = await openInbox({ 'messages:page': () => ok({ messages: [message(1, { text: '<img src=x onerror="alert(1)"><b>hi</b>' })], hasOlder: false, hasNewer: false }) }, '/inbox?conversation=1');
    expect(bubble(wrapper, 1).find('img').exists()).toBe(false);
    expect(bubble(wrapper, 1).find('b').exists()).toBe(false);
    expect(bubble(wrapper, 1).get('[data-testid="message-text"]').text()).toBe('<img src=x onerror="alert(1)"><b>hi</b>');
  });

  it('counts the window down on core’s clock and switches to templates when it closes', async () => {
    const { wrapper, frontdesk } = await openInbox({}, '/inbox?conversation=1');
    expect(byId(wrapper, 'window-countdown').text()).toBe('20 h 0 min left to reply');

    frontdesk.emit('app:tick', { at: now + 19 * hour + 30 * 60_000, seq: 2 });
    await flushPromises();
    expect(byId(wrapper, 'window-countdown').text()).toBe('30 min left to reply');

    frontdesk.emit('conversations:window', { conversationId: 1, open: false, closesAt: null });
    await flushPromises();
    expect(byId(wrapper, 'window-closed').text()).toBe('Window closed');
    expect(wrapper.find('[data-testid="template-panel"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="composer"]').exists()).toBe(false);
  });

  it('shows group chats read-only', async () => {
    const { wrapper } = await openInbox({ 'conversations:get': () => ok(detail(row(1, { groupId: 'g1', contactId: null, readOnly: true, windowOpen: false }))) }, '/inbox?conversation=1');
    expect(byId(wrapper, 'read-only-note').text()).toBe('Group chats can be read here but not answered.');
    expect(wrapper.find('[data-testid="composer"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="template-panel"]').exists()).toBe(false);
  });

  it('speaks Chinese', async () => {
    const { wrapper } = await openInbox({}, '/inbox?conversation=1', 'zh-CN');
    expect(byId(wrapper, 'window-countdown').text()).toBe('还剩 20 小时 0 分钟可回复');
    expect(byId(wrapper, 'new-chat').text()).toBe('新聊天');
    expect(byId(wrapper, 'inbox-count').text()).toBe('3 个会话');
  });
});

describe('the composer', () => {
  async function openComposer(handlers: FakeHandlers = {}) {
    const mounted = await openInbox({ 'conversations:get': () => ok(detail(row(1), 'Draft from before')), ...handlers }, '/inbox?conversation=1');
    return { ...mounted, input: byId(mounted.wrapper, 'composer-input') };
  }

  it('restores the draft, sends on Enter and adds a line on Shift+Enter', async () => {
    const { wrapper, frontdesk, input } = await openComposer();
    expect((input.element as HTMLTextAreaElement).value).toBe('Draft from before');

    await input.setValue('Line one');
    await input.trigger('keydown', { key: 'Enter', shiftKey: true });
    await input.trigger('keydown', { key: 'Enter', isComposing: true });
    expect(frontdesk.callsTo('messages:send')).toBe(0);

    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(frontdesk.payloadsOf('messages:send')).toEqual([{ kind: 'text', conversationId: 1, text: 'Line one' }]);
    expect((input.element as HTMLTextAreaElement).value).toBe('');
    expect(frontdesk.payloadsOf('conversations:set-draft').at(-1)).toEqual({ conversationId: 1, draft: '' });
    expect(wrapper.find('[data-testid="send-error"]').exists()).toBe(false);
  });

  it('shows why core refused to send', async () => {
    const { wrapper, input } = await openComposer({ 'messages:send': () => fail('window_closed', '131047: window closed', undefined, undefined, 131047) });
    await input.setValue('Hello?');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(byId(wrapper, 'send-error').text()).toContain('only an approved template can be sent');
    expect((input.element as HTMLTextAreaElement).value).toBe('Hello?');
  });

  it('inserts an emoji from the picker', async () => {
    const { wrapper, input } = await openComposer();
    await input.setValue('Thanks ');
    await byId(wrapper, 'emoji-button').trigger('click');
    await byId(wrapper, 'emoji-🙏').trigger('click');
    expect((input.element as HTMLTextAreaElement).value).toContain('🙏');
    expect(wrapper.find('[data-testid="emoji-picker"]').exists()).toBe(false);
  });

  it('opens the quick replies on /, empty for now', async () => {
    const { wrapper, input, frontdesk } = await openComposer();
    await input.setValue('/pri');
    expect(byId(wrapper, 'quick-replies-empty').text()).toBe('No quick replies yet');
    await input.trigger('keydown', { key: 'Enter' });
    expect(frontdesk.callsTo('messages:send')).toBe(0);
    await input.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[data-testid="quick-reply-picker"]').exists()).toBe(false);
  });

  async function attach(wrapper: Wrapper, file: File) {
    const input = byId(wrapper, 'attach-input');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
  }

  it('refuses a file Meta would refuse, and says why', async () => {
    const { wrapper, frontdesk } = await openComposer();
    await attach(wrapper, new File([new Uint8Array(6 * 1024 * 1024)], 'scan.png', { type: 'image/png' }));
    expect(byId(wrapper, 'attach-refused').text()).toBe('This photo is 6 MB; WhatsApp takes at most 5 MB.');
    await attach(wrapper, new File(['GIF89a'], 'funny.gif', { type: 'image/gif' }));
    expect(byId(wrapper, 'attach-refused').text()).toContain('WhatsApp does not take files of this type (image/gif).');
    expect(wrapper.find('[data-testid="composer-attachment"]').exists()).toBe(false);
    expect(frontdesk.callsTo('messages:send')).toBe(0);

    // The reason follows a change of language made while it is shown.
    await byId(wrapper, 'language-select').setValue('zh-CN');
    await flushPromises();
    expect(byId(wrapper, 'attach-refused').text()).toContain('WhatsApp 不接受此类型的文件（image/gif）');
  });

  it('sends an accepted file as bytes with its name, type and caption', async () => {
    const { wrapper, frontdesk, input } = await openComposer();
    await attach(wrapper, new File([new Uint8Array([137, 80, 78, 71])], 'tooth.png', { type: 'image/png' }));
    expect(byId(wrapper, 'composer-attachment').text()).toContain('tooth.png');
    await input.setValue('Before and after');
    await byId(wrapper, 'composer-send').trigger('click');
    await flushPromises();

    const [sent] = frontdesk.payloadsOf('messages:send');
    expect(sent).toMatchObject({ kind: 'media', conversationId: 1, caption: 'Before and after', attachment: { fileName: 'tooth.png', mime: 'image/png' } });
    const bytes = (sent as { attachment: { bytes: Uint8Array } }).attachment.bytes;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes]).toEqual([137, 80, 78, 71]);
  });
});
