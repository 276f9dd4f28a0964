import type { ChatMessage, OutboundStatus, OutboxState } from '../../../shared/ipc/inbox';
import { contactCardsFrom, isObj, locationFrom, str } from '../../../shared/rules/message-content';
import type { ContactCard, LocationContent } from '../../../shared/rules/message-content';

/**
 * What the inbox knows about Meta's message types: which icon and name a preview shows, and how to read a
 * type's own fields from the stored payload (the webhook's message object, or what was sent). Everything is
 * read defensively: a type or shape this build does not know is shown as unsupported, never dropped.
 */

export const knownMessageTypes = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'template',
  'reaction',
  'order',
  'system',
  'unsupported',
] as const;
export type KnownMessageType = (typeof knownMessageTypes)[number];

export { isObj, mapUrl, str } from '../../../shared/rules/message-content';
export type { ContactCard, LocationContent } from '../../../shared/rules/message-content';

/** The preview's kind: Meta's type, audio recorded in WhatsApp as a voice note, anything else as unsupported. */
export function previewKind(type: string, payload?: Record<string, unknown> | null): KnownMessageType {
  if (type === 'audio' && isObj(payload) && isObj(payload.audio) && payload.audio.voice === true) return 'voice';
  return (knownMessageTypes as readonly string[]).includes(type) && type !== 'voice' ? (type as KnownMessageType) : 'unsupported';
}

/** The type's own object: `payload[type]` (a webhook message or a Graph send body), else the payload itself. */
export function typeContent(message: Pick<ChatMessage, 'type' | 'payload'>): unknown {
  const payload = message.payload;
  if (!isObj(payload)) return null;
  return message.type in payload ? payload[message.type] : payload;
}

export function locationOf(message: Pick<ChatMessage, 'type' | 'payload'>): LocationContent | null {
  return locationFrom(typeContent(message));
}

export function contactCardsOf(message: Pick<ChatMessage, 'type' | 'payload'>): ContactCard[] {
  return contactCardsFrom(typeContent(message));
}

/** An interactive or button reply: the title the customer chose (and a list row's description). */
export function chosenReplyOf(message: Pick<ChatMessage, 'type' | 'payload' | 'text'>): { title: string; description: string | null } | null {
  const content = typeContent(message);
  if (message.type === 'button') {
    const text = isObj(content) ? (str(content.text) ?? str(content.payload)) : null;
    return text ? { title: text, description: null } : message.text ? { title: message.text, description: null } : null;
  }
  if (!isObj(content)) return null;
  const reply = isObj(content.button_reply) ? content.button_reply : isObj(content.list_reply) ? content.list_reply : null;
  if (reply) {
    const title = str(reply.title);
    return title ? { title, description: str(reply.description) } : null;
  }
  if (isObj(content.nfm_reply)) {
    const body = str(content.nfm_reply.body) ?? str(content.nfm_reply.name);
    return body ? { title: body, description: null } : null;
  }
  return null;
}

/** An interactive message the business sent: its body and the buttons or list it offered. */
export function sentInteractiveOf(message: Pick<ChatMessage, 'type' | 'payload'>): { body: string | null; options: string[] } | null {
  const content = typeContent(message);
  if (!isObj(content) || !isObj(content.body)) return null;
  const action = isObj(content.action) ? content.action : {};
  const buttons = Array.isArray(action.buttons)
    ? action.buttons.filter(isObj).map((button) => (isObj(button.reply) ? str(button.reply.title) : str(button.title)))
    : [];
  const rows = Array.isArray(action.sections)
    ? action.sections.filter(isObj).flatMap((section) => (Array.isArray(section.rows) ? section.rows.filter(isObj).map((row) => str(row.title)) : []))
    : [];
  return { body: str(content.body.text), options: [...buttons, ...rows].filter((o): o is string => o !== null) };
}

/** A template as sent: its name and language (the rendered text, when core kept it, is the message's text). */
export function templateOf(message: Pick<ChatMessage, 'type' | 'payload'>): { name: string; language: string | null } | null {
  const content = typeContent(message);
  if (!isObj(content)) return null;
  const name = str(content.name);
  if (!name) return null;
  const language = isObj(content.language) ? str(content.language.code) : str(content.language);
  return { name, language };
}

/** An unsupported message: the type Meta said it could not deliver (`unsupported.type`), if given. */
export function unsupportedTypeOf(message: Pick<ChatMessage, 'type' | 'payload'>): string | null {
  const content = typeContent(message);
  return isObj(content) ? str(content.type) : null;
}

export function isAnimatedSticker(message: Pick<ChatMessage, 'type' | 'payload'>): boolean {
  const content = typeContent(message);
  return isObj(content) && content.animated === true;
}

export function isVoiceNote(message: Pick<ChatMessage, 'type' | 'payload'>): boolean {
  const content = typeContent(message);
  return message.type === 'audio' && isObj(content) && content.voice === true;
}

export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'notConfirmed' | 'cancelled';

/**
 * One state for the ticks from Meta's status and the outbox's state: failed and cancelled win, then the
 * furthest status Meta reported, then "not confirmed", then what the outbox knows (queued and sending wait).
 */
export function deliveryState(status: OutboundStatus | null, outboxState: OutboxState | null = null): DeliveryState {
  if (status === 'failed' || outboxState === 'failed') return 'failed';
  if (outboxState === 'cancelled') return 'cancelled';
  if (status === 'read' || status === 'played') return 'read';
  if (status === 'delivered') return 'delivered';
  if (status === 'sent') return 'sent';
  if (status === 'not_confirmed' || outboxState === 'not_confirmed') return 'notConfirmed';
  if (outboxState === 'sent') return 'sent';
  return 'pending';
}
