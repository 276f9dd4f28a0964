import { onScopeDispose, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { ConversationDetail } from '../../../shared/ipc/inbox';
import { chatLocation } from '../router/locations';
import { usePreferencesStore } from '../stores/preferences';
import { usePrivacyStore } from '../stores/privacy';
import { useUnreadStore } from '../stores/unread';
import { useCoreClockStore } from '../stores/core-clock';
import { useWorkspaceStore } from '../stores/workspace';
import { isSearchMessageType } from './use-message-search';
import { useFrontdesk } from './use-frontdesk';

/** What a desktop notification says. */
export interface NotificationContent {
  title: string;
  body: string;
}

/** The longest preview shown in a notification (the OS cuts it anyway; this keeps it to a line or two). */
const previewLength = 140;

/** User gestures after which the permission may be asked (browsers ignore an unprompted request). */
const gestureEvents = ['pointerdown', 'keydown'] as const;

function notificationApi(): typeof Notification | null {
  return typeof globalThis.Notification === 'function' ? globalThis.Notification : null;
}

function windowInUse(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/** Muted until a time still ahead (core's clock), or for always. */
export function isMuted(mutedUntil: number | null, now: number): boolean {
  return mutedUntil !== null && mutedUntil > now;
}

let audio: AudioContext | null = null;

/** A short two-tone beep generated in code (no sound file): 120 ms at 880 Hz, then 120 ms at 1320 Hz. */
export function playBeep(): void {
  const Context = globalThis.AudioContext as typeof AudioContext | undefined;
  if (typeof Context !== 'function') return;
  try {
    audio ??= new Context();
    const start = audio.currentTime + 0.01;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.26);
    for (const [frequency, offset] of [
      [880, 0],
      [1320, 0.12],
    ] as const) {
      const tone = audio.createOscillator();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(start + offset);
      tone.stop(start + offset + 0.12);
    }
  } catch {
    // No audio device, or the engine refused: the notification itself still shows.
  }
}

/**
 * Desktop notifications for inbound messages (PRODUCT §2), started once from App.vue.
 *
 * - Only while the window is hidden or not focused; permission is asked once, at the first user gesture.
 * - The contact's name and the preview come from `conversations:get`; while locked (no lookup at all) or in
 *   privacy mode, the notification says only "New message". Blocked and muted contacts get none.
 * - The optional sound (Settings → Inbox preferences) is a beep generated in code.
 * - Clicking one focuses the window and opens the chat: `/inbox?conversation=<id>`.
 * - The unread total (`inbox:unread`) is kept in the unread store; App.vue shows it in the document title.
 */
export function useNotifications() {
  const frontdesk = useFrontdesk();
  const router = useRouter();
  const { t } = useI18n();
  const workspace = useWorkspaceStore();
  const privacy = usePrivacyStore();
  const preferences = usePreferencesStore();
  const clock = useCoreClockStore();
  useUnreadStore();

  function askPermissionOnce(): void {
    for (const type of gestureEvents) window.removeEventListener(type, askPermissionOnce, true);
    const api = notificationApi();
    if (api?.permission !== 'default') return;
    try {
      void Promise.resolve(api.requestPermission()).catch(() => undefined);
    } catch {
      // An engine without the promise form: nothing more to do.
    }
  }
  for (const type of gestureEvents) window.addEventListener(type, askPermissionOnce, true);

  watch(
    () => workspace.unlocked,
    (unlocked) => {
      if (unlocked) void preferences.load();
    },
    { immediate: true },
  );

  function typeText(type: string): string {
    return isSearchMessageType(type) ? t(`search.types.${type}`) : t('notifications.otherType');
  }

  function generic(): NotificationContent {
    return { title: t('notifications.newMessage'), body: '' };
  }

  /** The name and what was said; the type's name when the message has no text (a photo, a location). */
  function detailed(detail: ConversationDetail, type: string): NotificationContent {
    const preview = detail.row.preview;
    const text = preview?.direction === 'in' && preview.text ? preview.text.trim() : '';
    const body = text ? (text.length > previewLength ? `${text.slice(0, previewLength - 1)}…` : text) : typeText(type);
    return { title: detail.row.title || t('notifications.newMessage'), body };
  }

  /** What to show for the message, or null for nothing at all (blocked, muted). */
  async function contentFor(event: EventPayload<'messages:received'>): Promise<NotificationContent | null> {
    if (!workspace.unlocked) return generic();
    let result;
    try {
      result = await frontdesk.conversations.get({ conversationId: event.conversationId });
    } catch {
      return generic();
    }
    if (!result.ok) return generic();
    const detail = result.value;
    if (detail.contact?.blocked) return null;
    if (isMuted(detail.row.mutedUntil, clock.at ?? Date.now())) return null;
    // Locked or privacy mode turned on while core answered: say nothing more than "New message".
    if (!workspace.unlocked || privacy.enabled) return generic();
    return detailed(detail, event.type);
  }

  function show(content: NotificationContent, conversationId: number): void {
    const api = notificationApi();
    if (api?.permission !== 'granted') return;
    try {
      const notification = new api(content.title, { body: content.body, tag: `conversation-${conversationId}`, silent: true });
      notification.onclick = () => {
        window.focus();
        notification.close();
        void router.push(chatLocation(conversationId));
      };
    } catch {
      // Some platforms refuse notifications from a page: the unread count still shows in the title.
    }
  }

  async function notify(event: EventPayload<'messages:received'>): Promise<void> {
    if (windowInUse()) return;
    const content = await contentFor(event);
    if (content === null) return;
    show(content, event.conversationId);
    if (preferences.preferences?.notificationSound) playBeep();
  }

  const unsubscribe = frontdesk.on('messages:received', (event) => void notify(event));
  onScopeDispose(() => {
    unsubscribe();
    for (const type of gestureEvents) window.removeEventListener(type, askPermissionOnce, true);
  });

  return { notify };
}
