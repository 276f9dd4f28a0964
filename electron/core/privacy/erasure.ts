/**
 * Erasing a contact (PRODUCT §13: a customer's request to be forgotten).
 *
 * In ONE transaction: status events (also orphans naming the person only in the raw event), reactions on and
 * by them, outbox rows, messages (their own chat and what they wrote in groups; search entries and statistics
 * follow by trigger), label assignments, notes and the contact itself (identity history by cascade), media
 * rows no other message uses, raw webhook bodies that name them (processed ones deleted, waiting ones
 * redacted), tombstones (keyed hashes) for every identity and message id so a replayed or late webhook is
 * dropped by the inbound processor, and the audit entry (opaque id and counts only).
 *
 * After commit: media files no row names any more are removed (a file shared with another message stays),
 * the full-text indexes are optimised so no deleted token survives in them, and the WAL is checkpointed and
 * truncated so no old page version stays in it. `secure_delete` (connection.ts) zeroes the freed space.
 */
import { z } from 'zod';
import type { Archive, MediaStore } from '../archive';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { parseRequest } from '../transcript';
import type { AuditService } from './audit';
import { parseBody, redactWebhookBody } from './inbox-redaction';
import { privacyStore } from './repositories/privacy-store';
import type { PrivacyStore } from './repositories/privacy-store';

export const contactRequestSchema = z.object({ contactId: z.number().int().positive() }).strict();

export interface ErasureDeps {
  archive: Archive;
  /** Null when the media store is not open: rows go, files wait for the next erasure or garbage collection. */
  media: Pick<MediaStore, 'remove' | 'collectGarbage'> | null;
  audit: AuditService;
  clock: Pick<ClockPort, 'now'>;
  logger: Logger;
}

/** What an erasure would remove: the confirmation names it. */
export interface ErasurePreview {
  contactId: number;
  messages: number;
  conversations: number;
  mediaRows: number;
  labelAssignments: number;
}

export interface ErasureResult {
  contactId: number;
  messages: number;
  conversations: number;
  reactions: number;
  statusEvents: number;
  outbox: number;
  labelAssignments: number;
  mediaFiles: number;
  inboxBodies: { deleted: number; redacted: number; /** Spooled bodies not yet signature-checked: the inbox scrub removes them once processed. */ waiting: number };
  tombstones: number;
  /** False when another connection kept the WAL from being truncated (retried at the next checkpoint). */
  walTruncated: boolean;
}

type TombstoneKind = 'user_id' | 'wa_id' | 'phone';

/** Every identity the contact has or had, by tombstone kind. */
function identitiesOf(archive: Archive, store: PrivacyStore, contactId: number) {
  const contact = archive.contacts.get(contactId);
  if (!contact) throw new AppError('not_found', 'The contact no longer exists');
  const byKind: Record<TombstoneKind, Set<string>> = { user_id: new Set(), wa_id: new Set(), phone: new Set() };
  if (contact.userId) byKind.user_id.add(contact.userId);
  if (contact.waId) byKind.wa_id.add(contact.waId);
  if (contact.phone) byKind.phone.add(contact.phone);
  for (const h of store.identityHistory(contactId)) {
    if (h.kind === 'username') continue;
    for (const value of [h.oldValue, h.newValue]) if (value) byKind[h.kind].add(value);
  }
  const all = [...new Set([...byKind.user_id, ...byKind.wa_id, ...byKind.phone])];
  return { contact, byKind, all };
}

/** Needles shorter than this would match unrelated bodies (ids of other things, timestamps). */
const minNeedle = 6;

export function createErasure(deps: ErasureDeps) {
  const { archive } = deps;
  const store = privacyStore(archive.db);

  function preview(request: unknown): ErasurePreview {
    const { contactId } = parseRequest(contactRequestSchema, request, 'erasure preview');
    identitiesOf(archive, store, contactId);
    const conversations = store.ownConversations(contactId);
    const target = store.erasureTarget(contactId, conversations);
    return {
      contactId,
      messages: target.messageIds.length,
      conversations: conversations.length,
      mediaRows: target.mediaIds.length,
      labelAssignments: store.countLabelAssignments(conversations, target.messageIds),
    };
  }

  function eraseRows(contactId: number) {
    const { byKind, all } = identitiesOf(archive, store, contactId);
    const conversations = store.ownConversations(contactId);
    const target = store.erasureTarget(contactId, conversations);
    const clientIds = [...new Set([...target.clientIds, ...target.outboxClientIds])];
    const labelAssignments = store.countLabelAssignments(conversations, target.messageIds);
    const statusEvents = store.deleteStatusEvents(target.wamids, clientIds, all);
    const reactions = store.deleteReactions(target.wamids, contactId);
    const outbox = store.deleteOutbox(conversations, target.messageIds);
    const messages = store.deleteMessages(target.messageIds);
    for (const id of target.otherConversationIds) archive.conversations.refreshLastMessage(id);
    const conversationCount = store.deleteConversations(conversations);
    store.deleteAutoReplies(contactId);
    store.deleteContact(contactId);
    const released = store.releaseMedia(target.mediaIds);

    // Raw webhook bodies naming the person.
    const identitySet = new Set(all);
    const wamidSet = new Set(target.wamids);
    const matcher = { identity: (v: string) => identitySet.has(v), wamid: (v: string) => wamidSet.has(v) };
    const inbox = { deleted: 0, redacted: 0, waiting: 0 };
    const toDelete: number[] = [];
    for (const row of store.inboxMentioning(all.filter((v) => v.length >= minNeedle))) {
      if (row.processed) {
        toDelete.push(row.id);
        continue;
      }
      if (!row.verified) {
        // Its signature covers the bytes as received: redacting now would make it fail the check at unlock.
        inbox.waiting++;
        continue;
      }
      const parsed = parseBody(row.body);
      if (parsed === null) {
        toDelete.push(row.id);
        continue;
      }
      const redacted = redactWebhookBody(parsed, matcher);
      if (redacted.removed === 0) continue;
      if (redacted.body === null) toDelete.push(row.id);
      else if (store.replaceInboxBody(row.id, Buffer.from(JSON.stringify(redacted.body), 'utf8'))) inbox.redacted++;
    }
    inbox.deleted = store.deleteInboxRows(toDelete);

    let tombstones = 0;
    for (const kind of ['user_id', 'wa_id', 'phone'] as const) {
      for (const value of byKind[kind]) {
        archive.tombstones.add(kind, value);
        tombstones++;
      }
    }
    // A phone number is also what a later webhook calls the person's wa_id (and the reverse).
    for (const value of byKind.phone) if (!byKind.wa_id.has(value)) archive.tombstones.add('wa_id', value);
    for (const value of byKind.wa_id) if (!byKind.phone.has(value)) archive.tombstones.add('phone', value);
    for (const wamid of wamidSet) {
      archive.tombstones.add('wamid', wamid);
      tombstones++;
    }
    return { messages, conversations: conversationCount, reactions, statusEvents, outbox, labelAssignments, hashes: released.hashes, inbox, tombstones };
  }

  async function erase(request: unknown): Promise<ErasureResult> {
    const { contactId } = parseRequest(contactRequestSchema, request, 'erasure');
    const removed = archive.transaction(() => {
      const rows = eraseRows(contactId);
      deps.audit.contactErased(contactId, {
        messages: rows.messages,
        mediaFiles: rows.hashes.length,
        conversations: rows.conversations,
        reactions: rows.reactions,
        statusEvents: rows.statusEvents,
        outbox: rows.outbox,
        inboxBodies: rows.inbox.deleted + rows.inbox.redacted,
        tombstones: rows.tombstones,
      });
      return rows;
    });

    let mediaFiles = 0;
    if (deps.media) {
      for (const hash of removed.hashes) {
        // Checked again now: a message stored since the commit may have reused the same content.
        if (!store.hashUnreferenced(hash)) continue;
        await deps.media.remove(hash);
        mediaFiles++;
      }
      try {
        // Media rows a revoke detached earlier (revoked messages keep no link to their file) go too.
        await deps.media.collectGarbage(archive.media, { now: deps.clock.now() });
      } catch (error) {
        deps.logger.warn('Media garbage collection after an erasure failed', { error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    archive.search.optimize();
    const walTruncated = store.truncateWal();
    deps.logger.info('A contact was erased', { messages: removed.messages, mediaFiles, walTruncated });
    return {
      contactId,
      messages: removed.messages,
      conversations: removed.conversations,
      reactions: removed.reactions,
      statusEvents: removed.statusEvents,
      outbox: removed.outbox,
      labelAssignments: removed.labelAssignments,
      mediaFiles,
      inboxBodies: removed.inbox,
      tombstones: removed.tombstones,
      walTruncated,
    };
  }

  return { preview, erase };
}

export type Erasure = ReturnType<typeof createErasure>;
