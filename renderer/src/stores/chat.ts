import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { ChatMessage, ChatPage, ConversationDetail, OutboundStatus } from '../../../shared/ipc/inbox';
import type { IpcError } from '../../../shared/ipc/errors';
import { fail } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { useWorkspaceStore } from './workspace';

/** Messages per `messages:page` request. */
export const chatPageSize = 50;
/** At most this many messages are held (and in the DOM); scrolling far back drops the newest, and back again. */
export const chatMaxHeld = 400;
/** Typing waits this long before the draft is saved. */
export const draftDebounceMs = 600;

const statusRank: Record<OutboundStatus, number> = { pending: 0, unknown: 0, not_confirmed: 0, sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

export type SendRequest = RequestOf<'messages:send'>;

/**
 * The open chat (PRODUCT §2): the conversation's detail, a window of its messages (oldest first) that grows
 * backwards as the user scrolls up and jumps to a message from search, kept live by core's events (new
 * messages, statuses, outbox states, edits, revokes, reactions, the 24-hour window), and what the composer
 * does with it: send, reply, react, resend, cancel, star, save media, drafts.
 */
export const useChatStore = defineStore('chat', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const conversationId = ref<number | null>(null);
  const detail = ref<ConversationDetail | null>(null);
  const messages = shallowRef<ChatMessage[]>([]);
  const hasOlder = ref(false);
  const hasNewer = ref(false);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<IpcError | null>(null);
  const loadingOlder = ref(false);
  const loadingNewer = ref(false);
  /** A message to show highlighted (a jump from search, a click on a quote). */
  const highlightId = ref<number | null>(null);
  /** Bumped when messages are appended at the end (new arrival, own send): the view scrolls down if it was there. */
  const appendedSeq = ref(0);
  /** The newest inbound messages that arrived live, for the screen reader's announcement. */
  const lastArrival = ref<ChatMessage | null>(null);
  /** Bumped when the held window is replaced (open, jump): the view scrolls to the highlight or the end. */
  const windowSeq = ref(0);
  /** The message the composer answers (the reply-to bar). */
  const replyTo = ref<ChatMessage | null>(null);

  let generation = 0;

  const row = computed(() => detail.value?.row ?? null);
  const windowOpen = computed(() => row.value?.windowOpen ?? false);
  const readOnly = computed(() => row.value?.readOnly ?? false);

  function indexOf(id: number): number {
    return messages.value.findIndex((message) => message.id === id);
  }

  function replaceMessage(next: ChatMessage): void {
    const index = indexOf(next.id);
    if (index < 0) return;
    const copy = [...messages.value];
    copy[index] = next;
    messages.value = copy;
  }

  function patchMessage(id: number, patch: (message: ChatMessage) => ChatMessage): void {
    const index = indexOf(id);
    if (index < 0) return;
    const copy = [...messages.value];
    copy[index] = patch(copy[index]!);
    messages.value = copy;
  }

  /** Adds messages, keeping the order (timestamp, then id) and no duplicates; an id already held is replaced. */
  function merge(incoming: ChatMessage[]): ChatMessage[] {
    const byId = new Map(messages.value.map((message) => [message.id, message]));
    for (const message of incoming) byId.set(message.id, message);
    return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
  }

  async function page(request: Omit<RequestOf<'messages:page'>, 'conversationId'>): Promise<Result<ChatPage> | null> {
    const id = conversationId.value;
    if (id === null) return null;
    const gen = generation;
    const result = await settle(() => frontdesk.messages.page({ conversationId: id, limit: chatPageSize, ...request }));
    return gen === generation ? result : null;
  }

  async function markRead(): Promise<void> {
    const id = conversationId.value;
    if (id === null) return;
    await settle(() => frontdesk.conversations['mark-read']({ conversationId: id }));
  }

  /** Opens a chat: its detail, its newest page (or the page around `around`), and marks it read. */
  async function open(id: number, options: { around?: number } = {}): Promise<void> {
    if (conversationId.value !== id) {
      generation += 1;
      conversationId.value = id;
      detail.value = null;
      messages.value = [];
      hasOlder.value = false;
      hasNewer.value = false;
      lastArrival.value = null;
      replyTo.value = null;
    }
    const gen = generation;
    status.value = 'loading';
    error.value = null;
    highlightId.value = options.around ?? null;
    const [got, paged] = await Promise.all([
      settle(() => frontdesk.conversations.get({ conversationId: id })),
      settle(() => frontdesk.messages.page({ conversationId: id, limit: chatPageSize, ...(options.around ? { around: options.around } : {}) })),
    ]);
    if (gen !== generation) return;
    if (!got.ok || !paged.ok) {
      error.value = !got.ok ? got.error : (paged as { ok: false; error: IpcError }).error;
      status.value = 'error';
      return;
    }
    detail.value = got.value;
    messages.value = [...paged.value.messages].sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
    hasOlder.value = paged.value.hasOlder;
    hasNewer.value = paged.value.hasNewer;
    status.value = 'ready';
    windowSeq.value += 1;
    void markRead();
  }

  function close(): void {
    generation += 1;
    conversationId.value = null;
    detail.value = null;
    messages.value = [];
    hasOlder.value = false;
    hasNewer.value = false;
    status.value = 'idle';
    error.value = null;
    highlightId.value = null;
    lastArrival.value = null;
    replyTo.value = null;
  }

  /** The page before the oldest held message, prepended. Returns how many were added. */
  async function loadOlder(): Promise<number> {
    const oldest = messages.value[0];
    if (!oldest || !hasOlder.value || loadingOlder.value) return 0;
    loadingOlder.value = true;
    try {
      const result = await page({ before: oldest.id });
      if (!result?.ok) {
        if (result) error.value = result.error;
        return 0;
      }
      const before = messages.value.length;
      let next = merge(result.value.messages);
      hasOlder.value = result.value.hasOlder;
      if (next.length > chatMaxHeld) {
        next = next.slice(0, chatMaxHeld);
        hasNewer.value = true;
      }
      messages.value = next;
      return Math.max(0, next.length - before);
    } finally {
      loadingOlder.value = false;
    }
  }

  /** The page after the newest held message, appended (after a jump, or when something new arrived). */
  async function loadNewer(): Promise<number> {
    const newest = messages.value[messages.value.length - 1];
    if (!newest || loadingNewer.value) return 0;
    loadingNewer.value = true;
    try {
      const result = await page({ after: newest.id });
      if (!result?.ok) return 0;
      const before = new Set(messages.value.map((message) => message.id));
      let next = merge(result.value.messages);
      hasNewer.value = result.value.hasNewer;
      if (next.length > chatMaxHeld) {
        next = next.slice(next.length - chatMaxHeld);
        hasOlder.value = true;
      }
      messages.value = next;
      const added = result.value.messages.filter((message) => !before.has(message.id));
      if (added.length > 0) appendedSeq.value += 1;
      return added.length;
    } finally {
      loadingNewer.value = false;
    }
  }

  /** Back to the newest messages (after a jump far back). */
  async function jumpToLatest(): Promise<void> {
    const id = conversationId.value;
    if (id !== null) await open(id);
  }

  /** Jumps to a message: highlighted if held, else the page around it is fetched. */
  async function jumpTo(messageId: number): Promise<void> {
    if (indexOf(messageId) >= 0) {
      highlightId.value = messageId;
      windowSeq.value += 1;
      return;
    }
    const id = conversationId.value;
    if (id !== null) await open(id, { around: messageId });
  }

  /** Fetches one message again (edited, revoked, reacted to, failed). */
  async function refreshMessage(messageId: number): Promise<void> {
    if (indexOf(messageId) < 0) return;
    const result = await page({ around: messageId, limit: 1 });
    const found = result?.ok ? result.value.messages.find((message) => message.id === messageId) : undefined;
    if (found) replaceMessage(found);
  }

  async function refreshDetail(): Promise<void> {
    const id = conversationId.value;
    if (id === null) return;
    const gen = generation;
    const result = await settle(() => frontdesk.conversations.get({ conversationId: id }));
    if (gen !== generation || !result.ok) return;
    detail.value = result.value;
  }

  /** Something of ours was queued or a message arrived: fetch what is new, unless we are looking far back. */
  async function catchUp(): Promise<number> {
    if (status.value !== 'ready' || hasNewer.value) return 0;
    if (messages.value.length === 0) {
      const id = conversationId.value;
      if (id !== null) await open(id);
      return messages.value.length;
    }
    return loadNewer();
  }

  const unsubscribers = [
    frontdesk.on('messages:received', (event) => {
      if (event.conversationId !== conversationId.value) return;
      void catchUp().then((added) => {
        if (added === 0) return;
        const newest = [...messages.value].reverse().find((message) => message.direction === 'in');
        if (newest) lastArrival.value = newest;
        // The chat is open in front of staff: it is read (blue ticks), unless the window is in the background.
        if (typeof document === 'undefined' || document.visibilityState === 'visible') void markRead();
      });
    }),
    frontdesk.on('messages:status', (event) => {
      if (event.conversationId !== conversationId.value) return;
      if (indexOf(event.messageId) < 0) {
        void catchUp();
        return;
      }
      patchMessage(event.messageId, (message) => {
        // Statuses can arrive out of order: never step back (a late "sent" after "read"), except to failed.
        const current = message.status;
        if (current && event.status !== 'failed' && statusRank[event.status] < statusRank[current]) return message;
        const error = event.errorCode !== null || event.errorTitle ? { code: event.errorCode, message: event.errorTitle ?? '' } : message.error;
        return { ...message, status: event.status, statusAt: event.statusAt, error };
      });
      if (event.status === 'failed') void refreshMessage(event.messageId);
    }),
    frontdesk.on('outbox:state', (event) => {
      if (event.conversationId !== conversationId.value) return;
      if (indexOf(event.messageId) < 0) {
        if (event.state !== 'cancelled') void catchUp();
        return;
      }
      if (event.state === 'cancelled') {
        // A cancelled message was never sent: core may keep it (shown as cancelled) or drop it.
        void refreshMessage(event.messageId);
      }
      patchMessage(event.messageId, (message) => ({ ...message, outboxState: event.state, error: event.error ?? message.error }));
      if (event.state === 'failed' || event.state === 'not_confirmed') void refreshMessage(event.messageId);
    }),
    frontdesk.on('messages:changed', (event) => {
      if (event.conversationId === conversationId.value) void refreshMessage(event.messageId);
    }),
    frontdesk.on('messages:reaction', (event) => {
      if (event.messageId !== null && (event.conversationId === null || event.conversationId === conversationId.value)) void refreshMessage(event.messageId);
    }),
    frontdesk.on('conversations:window', (event) => {
      if (event.conversationId !== conversationId.value || !detail.value) return;
      detail.value = { ...detail.value, row: { ...detail.value.row, windowOpen: event.open, windowClosesAt: event.closesAt } };
    }),
    frontdesk.on('conversations:changed', (event) => {
      if (conversationId.value !== null && event.ids.includes(conversationId.value)) void refreshDetail();
    }),
    frontdesk.on('labels:changed', (event) => {
      // A message labelled or unlabelled shows its chips; a renamed, recoloured or deleted label, its new look.
      const touched = new Set(event.messageIds);
      for (const m of messages.value) if (touched.has(m.id) || m.labels.some((l) => event.labelIds.includes(l.id))) void refreshMessage(m.id);
    }),
  ];

  async function send(request: SendRequest): Promise<Result<{ messageId: number }>> {
    const result = await settle(() => frontdesk.messages.send(request));
    if (result.ok && request.kind === 'reaction') {
      await refreshMessage(request.messageId);
    } else if (result.ok) {
      if (replyTo.value && 'replyToMessageId' in request && request.replyToMessageId === replyTo.value.id) replyTo.value = null;
      if (hasNewer.value) await jumpToLatest();
      else await catchUp();
    }
    return result;
  }

  async function resend(messageId: number): Promise<Result<{ messageId: number }>> {
    const result = await settle(() => frontdesk.messages.resend({ messageId }));
    if (result.ok) {
      await refreshMessage(messageId);
      await catchUp();
    }
    return result;
  }

  async function cancel(messageId: number): Promise<Result<void>> {
    const result = await settle(() => frontdesk.messages.cancel({ messageId }));
    if (result.ok) await refreshMessage(messageId);
    return result;
  }

  async function star(messageId: number, starred: boolean): Promise<Result<void>> {
    const result = await settle(() => frontdesk.messages.star({ messageId, starred }));
    if (result.ok) patchMessage(messageId, (message) => ({ ...message, starred }));
    return result;
  }

  function saveMedia(messageId: number): Promise<Result<{ saved: boolean }>> {
    return settle(() => frontdesk.messages['save-media']({ messageId }));
  }

  // Drafts: saved a moment after typing stops, and at once when leaving the chat.
  let draftTimer: ReturnType<typeof setTimeout> | undefined;
  let pendingDraft: { conversationId: number; draft: string } | null = null;

  function flushDraft(): Promise<unknown> {
    if (draftTimer !== undefined) clearTimeout(draftTimer);
    draftTimer = undefined;
    const pending = pendingDraft;
    pendingDraft = null;
    if (!pending) return Promise.resolve();
    if (detail.value && detail.value.row.id === pending.conversationId) detail.value = { ...detail.value, draft: pending.draft };
    return settle(() => frontdesk.conversations['set-draft'](pending));
  }

  function saveDraftSoon(draft: string): void {
    const id = conversationId.value;
    if (id === null) return;
    if (pendingDraft && pendingDraft.conversationId !== id) void flushDraft();
    pendingDraft = { conversationId: id, draft: draft.slice(0, 4096) };
    if (draftTimer !== undefined) clearTimeout(draftTimer);
    draftTimer = setTimeout(() => void flushDraft(), draftDebounceMs);
  }

  watch(
    () => workspace.unlocked,
    (unlocked) => {
      if (unlocked) return;
      if (draftTimer !== undefined) clearTimeout(draftTimer);
      draftTimer = undefined;
      pendingDraft = null;
      close();
    },
  );

  onScopeDispose(() => {
    for (const off of unsubscribers) off();
    void flushDraft();
  });

  return {
    conversationId,
    detail,
    row,
    messages,
    hasOlder,
    hasNewer,
    status,
    error,
    loadingOlder,
    loadingNewer,
    highlightId,
    appendedSeq,
    windowSeq,
    lastArrival,
    replyTo,
    windowOpen,
    readOnly,
    open,
    close,
    loadOlder,
    loadNewer,
    jumpTo,
    jumpToLatest,
    refreshMessage,
    refreshDetail,
    markRead,
    send,
    resend,
    cancel,
    star,
    saveMedia,
    saveDraftSoon,
    flushDraft,
  };
});
