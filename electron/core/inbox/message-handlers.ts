/**
 * The chat view and the composer (PRODUCT §2): pages of messages, sending text, media and reactions through
 * the outbox (stored first, the id returned at once), resend and cancel, stars, and "save as…".
 */
import type { ChatMessage, ChatPage, LabelChip, ReactionView } from '../../../shared/ipc';
import type { Archive } from '../archive';
import type { Conversation, Message } from '../archive/types';
import { windowState } from '../cloud/inbound/window';
import { windowClosed } from '../cloud/outbox';
import type { OutboundRequest, Outbox } from '../cloud/outbox';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import { checkAttachment, mediaRequest } from './attachments';
import { toChatMessage } from './chat-messages';
import { requireConversation } from './conversation-handlers';
import type { InboxDeps } from './inbox-deps';
import { saveMediaAs } from './media-access';
import { inboxReadModels } from './read-models';
import type { ChatRow, Position } from './repositories/chat-page';
import { currentStaffId } from './staff';

type MessageChannels = Pick<
  ChannelHandlers,
  'messages:page' | 'messages:send' | 'messages:resend' | 'messages:cancel' | 'messages:star' | 'messages:save-media'
>;

const defaultPageSize = 50;
const newest: Position = { timestamp: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };

function requireMessage(archive: Archive, id: number): Message {
  const message = archive.messages.get(id);
  if (!message) throw new AppError('not_found', 'This message no longer exists');
  return message;
}

/** Groups are shown, not answered (PRODUCT §14); free-form messages need the 24-hour window (REFERENCE §6). */
function checkCanSend(conversation: Conversation, type: string, now: number): void {
  const state = windowState(conversation, now);
  if (state.state === 'read_only') throw new AppError('read_only', 'Group chats are read-only here');
  if (state.state === 'closed' && type !== 'template') {
    throw new AppError('window_closed', `${windowClosed.code}: ${windowClosed.sentence}`, undefined, undefined, windowClosed.code);
  }
}

/** A single emoji (one grapheme, pictographic), or empty to remove the reaction. */
function checkEmoji(emoji: string): void {
  if (emoji === '') return;
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(emoji)];
  // Pictographs, flags (regional indicators) and keycaps (a digit, # or * with U+20E3).
  if (graphemes.length !== 1 || !/\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(emoji)) {
    throw new AppError('invalid_request', 'A reaction is one emoji', [{ path: 'emoji', message: 'one emoji' }]);
  }
}

export function createMessageHandlers(deps: InboxDeps): MessageChannels {
  function requireOutbox(): Outbox {
    const outbox = deps.outbox();
    if (!outbox || !deps.connected()) throw new AppError('not_connected', 'Connect a WhatsApp number first');
    return outbox;
  }

  /** The message replied to or reacted to: in this conversation, and known to Meta (it has a wamid). */
  function targetOf(archive: Archive, conversationId: number, messageId: number): Message {
    const target = requireMessage(archive, messageId);
    if (target.conversationId !== conversationId) throw new AppError('not_found', 'That message is not in this conversation');
    if (!target.wamid) {
      throw new AppError('invalid_request', 'That message has not reached WhatsApp yet', [{ path: 'messageId', message: 'not sent yet' }]);
    }
    return target;
  }

  function decorate(archive: Archive, conversation: Conversation, rows: ChatRow[]): ChatMessage[] {
    const { chat } = inboxReadModels(archive);
    const reactions = new Map<string, ReactionView[]>();
    for (const r of chat.reactions(rows.flatMap((m) => (m.wamid ? [m.wamid] : [])))) {
      const list = reactions.get(r.messageWamid) ?? [];
      list.push({ emoji: r.emoji, fromBusiness: r.reactorContactId === null });
      reactions.set(r.messageWamid, list);
    }
    const labels = new Map<number, LabelChip[]>();
    for (const l of chat.labels(rows.map((m) => m.id))) {
      labels.set(l.messageId, [...(labels.get(l.messageId) ?? []), { id: l.id, name: l.name, colour: l.colour }]);
    }
    const windowOpen = windowState(conversation, deps.clock.now()).state === 'open';
    return rows.map((r) => toChatMessage(r, { reactions, labels, windowOpen }));
  }

  function page(archive: Archive, conversation: Conversation, request: { before?: number; after?: number; around?: number; limit?: number }): { rows: ChatRow[]; hasOlder: boolean; hasNewer: boolean } {
    const { chat } = inboxReadModels(archive);
    const cid = conversation.id;
    const limit = request.limit ?? defaultPageSize;
    const cursors = [request.before, request.after, request.around].filter((c) => c !== undefined);
    if (cursors.length > 1) throw new AppError('invalid_request', 'Give one of before, after or around', [{ path: 'before', message: 'one cursor' }]);
    if (cursors.length === 0) {
      const rows = chat.older(cid, newest, limit + 1);
      return { rows: rows.slice(0, limit).reverse(), hasOlder: rows.length > limit, hasNewer: false };
    }
    const at = chat.position(cursors[0]!);
    if (!at || at.conversationId !== cid) throw new AppError('not_found', 'That message is not in this conversation');
    // Ids are integers, so (t, id + 1) is "up to and including (t, id)" and (t, id - 1) "from (t, id) on".
    const through: Position = { timestamp: at.timestamp, id: at.id + 1 };
    const from: Position = { timestamp: at.timestamp, id: at.id - 1 };
    if (request.before !== undefined) {
      const older = chat.older(cid, at, limit + 1);
      const rows = older.slice(0, limit).reverse();
      return { rows, hasOlder: older.length > limit, hasNewer: chat.hasNewer(cid, rows.at(-1) ?? from) };
    }
    if (request.after !== undefined) {
      const newer = chat.newer(cid, at, limit + 1);
      const rows = newer.slice(0, limit);
      return { rows, hasOlder: chat.hasOlder(cid, rows[0] ?? through), hasNewer: newer.length > limit };
    }
    // Around: the message and up to half a page before it, the rest after it.
    const olderWanted = Math.ceil(limit / 2);
    const older = chat.older(cid, through, olderWanted + 1);
    const olderRows = older.slice(0, olderWanted).reverse();
    const newerWanted = limit - olderRows.length;
    const newer = newerWanted > 0 ? chat.newer(cid, at, newerWanted + 1) : [];
    return {
      rows: [...olderRows, ...newer.slice(0, newerWanted)],
      hasOlder: older.length > olderWanted,
      hasNewer: newerWanted > 0 ? newer.length > newerWanted : chat.hasNewer(cid, at),
    };
  }

  function queue(archive: Archive, conversation: Conversation, request: OutboundRequest, mediaId?: number): number {
    return requireOutbox().queue({ conversationId: conversation.id, request, senderStaffId: currentStaffId(archive), ...(mediaId !== undefined ? { mediaId } : {}) });
  }

  return {
    'messages:page': (request): ChatPage => {
      const archive = deps.archive();
      const conversation = requireConversation(archive, request.conversationId);
      const { rows, hasOlder, hasNewer } = page(archive, conversation, request);
      return { messages: decorate(archive, conversation, rows), hasOlder, hasNewer };
    },

    'messages:send': async (request) => {
      const archive = deps.archive();
      const conversation = requireConversation(archive, request.conversationId);
      const now = deps.clock.now();
      checkCanSend(conversation, request.kind, now);
      requireOutbox();
      switch (request.kind) {
        case 'text': {
          const context = request.replyToMessageId !== undefined ? { message_id: targetOf(archive, conversation.id, request.replyToMessageId).wamid! } : undefined;
          return { messageId: queue(archive, conversation, { type: 'text', text: { body: request.text }, ...(context ? { context } : {}) }) };
        }
        case 'media': {
          // Checked before anything is stored: a refused file leaves no trace.
          const file = checkAttachment(request.attachment, request.caption);
          const replyTo = request.replyToMessageId !== undefined ? targetOf(archive, conversation.id, request.replyToMessageId).wamid : null;
          const store = deps.media();
          if (!store) throw new AppError('not_connected', 'The media store is not open');
          const stored = await store.put(file.bytes);
          const row = archive.media.create({ state: 'stored', mime: file.mime, size: stored.size, fileName: file.fileName, contentHash: stored.hash });
          return { messageId: queue(archive, conversation, mediaRequest(file, row.id, request.caption, replyTo), row.id) };
        }
        case 'reaction': {
          checkEmoji(request.emoji);
          const target = targetOf(archive, conversation.id, request.messageId);
          const staffId = currentStaffId(archive);
          const messageId = requireOutbox().queue({
            conversationId: conversation.id,
            request: { type: 'reaction', reaction: { message_id: target.wamid!, emoji: request.emoji } },
            senderStaffId: staffId,
          });
          // Shown on the message at once; the business is the reactor with no contact id.
          archive.reactions.apply({ messageWamid: target.wamid!, reactorContactId: null, emoji: request.emoji || null, timestamp: now, senderStaffId: staffId });
          deps.events.emit('messages:reaction', {
            messageWamid: target.wamid!,
            messageId: target.id,
            conversationId: conversation.id,
            reactorContactId: null,
            emoji: request.emoji || null,
          });
          return { messageId };
        }
      }
    },

    'messages:resend': ({ messageId }) => {
      const archive = deps.archive();
      const message = requireMessage(archive, messageId);
      if (message.direction !== 'out' || (message.status !== 'failed' && message.status !== 'not_confirmed')) {
        throw new AppError('not_resendable', 'Only a failed or not confirmed message can be sent again');
      }
      const conversation = requireConversation(archive, message.conversationId);
      checkCanSend(conversation, message.type, deps.clock.now());
      const outbox = requireOutbox();
      if (!archive.outbox.latestForMessage(messageId)) throw new AppError('not_resendable', 'This message was not sent from this desk');
      return { messageId: outbox.resend(messageId, { senderStaffId: currentStaffId(archive) }) };
    },

    'messages:cancel': ({ messageId }) => {
      const archive = deps.archive();
      requireMessage(archive, messageId);
      const outbox = deps.outbox();
      if (!outbox?.cancel(messageId)) throw new AppError('not_resendable', 'Only a message still waiting to be sent can be cancelled');
    },

    'messages:star': ({ messageId, starred }) => {
      const archive = deps.archive();
      requireMessage(archive, messageId);
      archive.messages.setStarred(messageId, starred);
    },

    'messages:save-media': async ({ messageId }) => {
      const archive = deps.archive();
      const message = requireMessage(archive, messageId);
      return { saved: await saveMediaAs(archive, deps.media(), deps.dialogs, message) };
    },
  };
}
