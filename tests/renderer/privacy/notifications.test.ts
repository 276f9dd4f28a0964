import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../shared/ipc/result';
import type { EventPayload } from '../../../shared/ipc/contract';
import { isMuted } from '../../../renderer/src/composables/use-notifications';
import { privacyStorageKey } from '../../../renderer/src/stores/privacy';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk, lockedState } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { conversationDetail } from '../contacts/contact-fixtures';

cleanUpAfterEach();

/** A stand-in for the browser's Notification: records what would be shown. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions = {},
  ) {
    FakeNotification.shown.push(this);
  }
}

let focused = false;
beforeEach(() => {
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  FakeNotification.requestPermission.mockClear();
  vi.stubGlobal('Notification', FakeNotification);
  focused = false;
  vi.spyOn(document, 'hasFocus').mockImplementation(() => focused);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function received(conversationId = 42, type = 'text'): EventPayload<'messages:received'> {
  return { conversationId, messageId: 900, contactId: 1, groupId: null, type, timestamp: Date.now() };
}

async function mountWith(handlers: FakeHandlers = {}) {
  const frontdesk = createFakeFrontdesk({
    'conversations:get': (request) => ok(conversationDetail(request.conversationId)),
    'inbox:preferences': () => ok({ readReceipts: true, notificationSound: false }),
    ...handlers,
  });
  return mountApp({ frontdesk, locale: 'en' });
}

async function receive(frontdesk: Awaited<ReturnType<typeof mountWith>>['frontdesk'], event = received()) {
  frontdesk.emit('messages:received', event);
  await flushPromises();
}

describe('desktop notifications', () => {
  it('show the contact’s name and the message while the window is not focused', async () => {
    const { frontdesk } = await mountWith();
    await receive(frontdesk);

    expect(frontdesk.payloadsOf('conversations:get')).toEqual([{ conversationId: 42 }]);
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]!.title).toBe('Mei Lin');
    expect(FakeNotification.shown[0]!.options.body).toBe('Can I book a cleaning for Friday?');
  });

  it('name the type when the message has no text', async () => {
    const { frontdesk } = await mountWith({
      'conversations:get': (request) =>
        ok(conversationDetail(request.conversationId, { preview: { type: 'image', direction: 'in', text: null, status: null, automatic: false, revoked: false } })),
    });
    await receive(frontdesk, received(42, 'image'));
    expect(FakeNotification.shown[0]!.options.body).toBe('Photo');
  });

  it('say only "New message" while locked, without asking core anything', async () => {
    const { frontdesk } = await mountWith({ 'workspace:state': () => ok(lockedState()) });
    await receive(frontdesk);

    expect(frontdesk.callsTo('conversations:get')).toBe(0);
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]!.title).toBe('New message');
    expect(FakeNotification.shown[0]!.options.body).toBe('');
  });

  it('say only "New message" in privacy mode', async () => {
    window.localStorage.setItem(privacyStorageKey, 'on');
    const { frontdesk } = await mountWith();
    await receive(frontdesk);

    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]!.title).toBe('New message');
    expect(FakeNotification.shown[0]!.options.body).toBe('');
    expect(JSON.stringify(FakeNotification.shown[0])).not.toContain('Mei');
  });

  it('say only "New message" when core cannot say more', async () => {
    const { frontdesk } = await mountWith({ 'conversations:get': () => fail('not_found', 'gone') });
    await receive(frontdesk);
    expect(FakeNotification.shown.map((shown) => shown.title)).toEqual(['New message']);
  });

  it('are not shown for blocked or muted contacts', async () => {
    const { frontdesk } = await mountWith({
      'conversations:get': (request) =>
        request.conversationId === 1
          ? ok(conversationDetail(1, {}, { blocked: true }))
          : ok(conversationDetail(request.conversationId, { mutedUntil: Number.MAX_SAFE_INTEGER })),
    });
    await receive(frontdesk, received(1));
    await receive(frontdesk, received(2));
    expect(FakeNotification.shown).toEqual([]);
  });

  it('are not shown while the window is focused and visible', async () => {
    focused = true;
    const { frontdesk } = await mountWith();
    await receive(frontdesk);
    expect(FakeNotification.shown).toEqual([]);
    expect(frontdesk.callsTo('conversations:get')).toBe(0);
  });

  it('are not shown without permission, which is asked once, at the first user gesture', async () => {
    FakeNotification.permission = 'default';
    const { frontdesk } = await mountWith();
    await receive(frontdesk);
    expect(FakeNotification.shown).toEqual([]);
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();

    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    window.dispatchEvent(new PointerEvent('pointerdown'));
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('open the chat when clicked: /inbox?conversation=<id>', async () => {
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    const { frontdesk, router } = await mountWith();
    await receive(frontdesk, received(42));

    FakeNotification.shown[0]!.onclick?.();
    await flushPromises();
    expect(focus).toHaveBeenCalled();
    expect(FakeNotification.shown[0]!.close).toHaveBeenCalled();
    expect(router.currentRoute.value.fullPath).toBe('/inbox?conversation=42');
  });

  it('beep when the sound preference is on (a tone made in code)', async () => {
    const started: number[] = [];
    class FakeAudioContext {
      currentTime = 0;
      destination = {};
      createGain() {
        return { connect: vi.fn(), gain: { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() } };
      }
      createOscillator() {
        return { type: '', frequency: { value: 0 }, connect: vi.fn(), start: (at: number) => started.push(at), stop: vi.fn() };
      }
    }
    vi.stubGlobal('AudioContext', FakeAudioContext);
    const { frontdesk } = await mountWith({ 'inbox:preferences': () => ok({ readReceipts: true, notificationSound: true }) });
    await receive(frontdesk);
    expect(started.length).toBeGreaterThan(0);
  });
});

describe('the unread total', () => {
  it('prefixes the document title, from inbox:unread', async () => {
    const { frontdesk } = await mountWith({ 'inbox:summary': () => ok({ unreadMessages: 2, unreadConversations: 1, labels: [] }) });
    expect(document.title).toBe('(2) Inbox · Frontdesk');

    frontdesk.emit('inbox:unread', { unreadMessages: 5, unreadConversations: 3 });
    await flushPromises();
    expect(document.title).toBe('(5) Inbox · Frontdesk');

    frontdesk.emit('inbox:unread', { unreadMessages: 0, unreadConversations: 0 });
    await flushPromises();
    expect(document.title).toBe('Inbox · Frontdesk');
  });
});

describe('isMuted', () => {
  it('is true until the time has passed, and for always', () => {
    expect(isMuted(null, 1000)).toBe(false);
    expect(isMuted(2000, 1000)).toBe(true);
    expect(isMuted(1000, 1000)).toBe(false);
    expect(isMuted(Number.MAX_SAFE_INTEGER, Date.now())).toBe(true);
  });
});
