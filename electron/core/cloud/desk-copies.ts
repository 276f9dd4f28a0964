/**
 * Several desks on one number (DESIGN: several desks): Meta tells only the desk that sent a message about it,
 * so each desk posts a sealed copy of every message Meta accepted from it through the relay, and the other
 * desks store it as an outbound message of the same chat with its sender's name. Statuses then reach every
 * desk from Meta's own webhooks (matched by wamid, in any order: a status that came first waits for the copy).
 *
 * Media are not copied (the other desks show the message with its caption, without the file).
 */
import { z } from 'zod';
import type { Archive } from '../archive';
import { isTombstoned } from './inbound/contacts';

export const deskCopySchema = z.object({
  v: z.literal(1),
  wamid: z.string().min(1).max(200),
  clientId: z.string().max(200).nullable(),
  /** Whom it went to: the chat is found or created from these, like an inbound message's. */
  to: z.object({ waId: z.string().max(40).nullable(), userId: z.string().max(200).nullable(), groupId: z.string().max(200).nullable() }),
  type: z.string().min(1).max(40),
  text: z.string().max(65_536).nullable(),
  caption: z.string().max(4096).nullable(),
  payloadJson: z.string().max(200_000).nullable(),
  replyToWamid: z.string().max(200).nullable(),
  automatic: z.enum(['greeting', 'away']).nullable(),
  sender: z.object({ id: z.string().min(1).max(64), name: z.string().max(80) }).nullable(),
  timestamp: z.number(),
});
export type DeskCopy = z.infer<typeof deskCopySchema>;

/** The copy of a message this desk sent and Meta accepted; null when it is not one (or not accepted yet). */
export function buildDeskCopy(archive: Archive, messageId: number): DeskCopy | null {
  const message = archive.messages.get(messageId);
  if (!message || message.direction !== 'out' || !message.wamid) return null;
  const conversation = archive.conversations.get(message.conversationId);
  if (!conversation) return null;
  const contact = conversation.contactId ? archive.contacts.get(conversation.contactId) : undefined;
  const staff = message.senderStaffId ? archive.staff.get(message.senderStaffId) : undefined;
  return {
    v: 1,
    wamid: message.wamid,
    clientId: message.clientId,
    to: { waId: contact?.waId ?? null, userId: contact?.userId ?? null, groupId: conversation.groupId },
    type: message.type,
    text: message.text,
    caption: message.caption,
    payloadJson: message.payloadJson,
    replyToWamid: message.replyToWamid,
    automatic: message.automatic,
    sender: staff ? { id: staff.id, name: staff.name } : null,
    timestamp: message.timestamp,
  };
}

/**
 * Stores another desk's copy as an outbound message, inside the caller's transaction. Idempotent (the wamid
 * is unique). Returns the stored message's ids, or null when it was already stored or names nobody.
 */
export function applyDeskCopy(archive: Archive, copy: DeskCopy): { messageId: number; conversationId: number } | null {
  if (archive.messages.getByWamid(copy.wamid)) return null;
  let conversationId: number;
  if (copy.to.groupId) {
    conversationId = archive.conversations.getOrCreateForGroup(copy.to.groupId).conversation.id;
  } else {
    if (!copy.to.waId && !copy.to.userId) return null;
    // An erased customer (PRODUCT §13) is not brought back by another desk's copy.
    if (isTombstoned(archive, copy.to)) return null;
    const identity = { waId: copy.to.waId, userId: copy.to.userId };
    const contact = archive.contacts.findByIdentity(identity) ?? archive.contacts.get(archive.contacts.upsertByIdentity({ ...identity, phone: copy.to.waId }, 'webhook').id);
    if (!contact) return null;
    conversationId = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
  }
  // The sender is recorded as a (not selectable) member of this desk's staff, so the bubble shows their name.
  if (copy.sender && !archive.staff.get(copy.sender.id)) archive.staff.create({ id: copy.sender.id, name: copy.sender.name || '—', pinHash: null, active: false });
  const result = archive.messages.insert({
    conversationId,
    wamid: copy.wamid,
    clientId: copy.clientId,
    direction: 'out',
    type: copy.type,
    text: copy.text,
    caption: copy.caption,
    payload: copy.payloadJson === null ? null : (JSON.parse(copy.payloadJson) as unknown),
    replyToWamid: copy.replyToWamid,
    status: 'sent',
    statusAt: copy.timestamp,
    senderStaffId: copy.sender?.id ?? null,
    automatic: copy.automatic,
    timestamp: copy.timestamp,
  });
  return result.inserted ? { messageId: result.id, conversationId } : null;
}
