/**
 * Tells the renderer what changed in the conversation list (PRODUCT §2): `conversations:changed` with the
 * ids whose rows must be fetched again, and `inbox:unread` whenever the unread total moves (the badge and
 * tray). Changes are collected and announced once per turn of the event loop, so a batch of webhooks or a
 * bulk action of 1,000 conversations is one event, not a thousand.
 *
 * It learns of changes from the inbox's own handlers and by watching the events the cloud runtime emits
 * (new messages, statuses, outbox states, windows, contact merges).
 */
import type { EventName, EventPayload } from '../../../shared/ipc';
import type { Archive } from '../archive';
import type { Logger } from '../logger';
import type { ClockPort, EventSinkPort } from '../ports';
import { inboxReadModels } from './read-models';

export interface InboxNotifier {
  /** These conversations' rows changed; the unread total is checked again too. */
  changed(ids: Iterable<number>): void;
  /** An event sink that passes everything on to `sink` and notes what changes rows. */
  observe(sink: EventSinkPort): EventSinkPort;
}

export function createInboxNotifier(deps: { archive: () => Archive | null; clock: Pick<ClockPort, 'now' | 'setTimer'>; events: EventSinkPort; logger: Logger }): InboxNotifier {
  const pending = new Set<number>();
  let scheduled = false;
  let lastUnread: { archive: Archive; messages: number; conversations: number } | null = null;
  let muteTimer: { at: number; cancel: () => void } | null = null;

  /** A timed mute ending brings its unread back into the badge: look again when the next one ends. */
  function watchMuteExpiry(archive: Archive): void {
    const at = inboxReadModels(archive).list.nextMuteExpiry(deps.clock.now());
    if (muteTimer?.at === at) return;
    muteTimer?.cancel();
    if (at === null) {
      muteTimer = null;
      return;
    }
    const cancel = deps.clock.setTimer(at - deps.clock.now(), () => {
      muteTimer = null;
      changed([]);
    });
    muteTimer = { at, cancel };
  }

  function flush(): void {
    scheduled = false;
    const ids = [...pending];
    pending.clear();
    const archive = deps.archive();
    if (!archive) return;
    try {
      if (ids.length > 0) deps.events.emit('conversations:changed', { ids });
      const unread = inboxReadModels(archive).list.unread(deps.clock.now());
      if (lastUnread?.archive !== archive || lastUnread.messages !== unread.messages || lastUnread.conversations !== unread.conversations) {
        lastUnread = { archive, ...unread };
        deps.events.emit('inbox:unread', { unreadMessages: unread.messages, unreadConversations: unread.conversations });
      }
      watchMuteExpiry(archive);
    } catch (error) {
      // The archive closed under us (workspace switch): the next open announces afresh.
      deps.logger.warn('Announcing inbox changes failed', { error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  function changed(ids: Iterable<number>): void {
    for (const id of ids) pending.add(id);
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  }

  /** A message event changes the row only when it is about the conversation's last message. */
  function ifLast(conversationId: number, messageId: number): void {
    const conversation = deps.archive()?.conversations.get(conversationId);
    if (conversation?.lastMessageId === messageId) changed([conversationId]);
  }

  function note<E extends EventName>(event: E, payload: EventPayload<E>): void {
    switch (event) {
      case 'messages:received':
      case 'conversations:window': {
        const p = payload as EventPayload<'messages:received'>;
        return changed([p.conversationId]);
      }
      case 'messages:status':
      case 'messages:changed':
      case 'outbox:state': {
        const p = payload as EventPayload<'messages:status'>;
        return ifLast(p.conversationId, p.messageId);
      }
      case 'contacts:changed': {
        const p = payload as EventPayload<'contacts:changed'>;
        const conversation = deps.archive()?.conversations.forContact(p.contactId);
        if (conversation) changed([conversation.id]);
        return;
      }
      default:
        return;
    }
  }

  return {
    changed,
    observe(sink) {
      return {
        emit(event, payload) {
          sink.emit(event, payload);
          try {
            note(event, payload);
          } catch (error) {
            deps.logger.warn('Noting an inbox change failed', { event, error: error instanceof Error ? error.message : 'unknown' });
          }
        },
      };
    },
  };
}
