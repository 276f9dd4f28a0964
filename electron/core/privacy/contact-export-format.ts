/**
 * `contact.json`, the machine-readable half of a contact export (PRODUCT §13), version 1.
 *
 * The bundle is a folder `frontdesk-contact-<id>-<date>/` holding:
 *   contact.json   this document
 *   contact.html   the contact's conversation as a readable transcript (the transcript renderer's output)
 *   media/         every stored file of the contact's messages, decrypted, named `<message id>-<file name>`
 *
 * Conventions: times are ISO 8601 strings in UTC (`2026-01-05T09:00:00.000Z`); `timezone` names the business
 * timezone the HTML uses. Text is exactly as stored (WhatsApp formatting characters included). `content` is
 * the message object as Meta delivered it (or the request the business sent), kept whole. Ids are this
 * archive's row ids, meaningful only inside this document (messages refer to conversations, files to
 * messages). Identities of other people are not exported: a reaction or label is attributed to "business",
 * "customer" (this contact) or "other".
 *
 * Versioning: fields may be added within a version; removing or changing a field's meaning makes a new
 * version. Readers check `format` and `version`.
 */
import { z } from 'zod';

export const contactExportFormat = 'frontdesk.contact-export';
export const contactExportVersion = 1;

const iso = z.iso.datetime({ offset: false });
const nullableIso = iso.nullable();

export const exportedMediaSchema = z
  .object({
    /** pending, downloading, stored, failed or expired: only stored media have a file. */
    state: z.string(),
    mime: z.string().nullable(),
    size: z.number().int().nonnegative().nullable(),
    fileName: z.string().nullable(),
    /** Meta's base64 SHA-256 of the file as it announced it. */
    metaSha256: z.string().nullable(),
    /** Path of the file inside the bundle (`media/…`), or null when the file is not included. */
    file: z.string().nullable(),
  })
  .strict();

export const exportedMessageSchema = z
  .object({
    id: z.number().int().positive(),
    wamid: z.string().nullable(),
    clientId: z.string().nullable(),
    conversationId: z.number().int().positive(),
    /** `direct`: the contact's own chat; `group`: something the contact wrote in a group. */
    conversationKind: z.enum(['direct', 'group']),
    direction: z.enum(['in', 'out']),
    /** Meta's type as given (`text`, `image`, … or anything newer). */
    type: z.string(),
    timestamp: iso,
    receivedAt: iso,
    sender: z
      .object({
        kind: z.enum(['customer', 'staff', 'automatic', 'business']),
        staffId: z.string().nullable(),
        staffName: z.string().nullable(),
        automatic: z.enum(['greeting', 'away']).nullable(),
      })
      .strict(),
    text: z.string().nullable(),
    caption: z.string().nullable(),
    content: z.unknown(),
    replyToWamid: z.string().nullable(),
    /** Outbound delivery state; null for inbound messages. */
    status: z.string().nullable(),
    statusAt: nullableIso,
    error: z.object({ code: z.number().int().nullable(), title: z.string().nullable() }).strict().nullable(),
    readAt: nullableIso,
    editedAt: nullableIso,
    revokedAt: nullableIso,
    starred: z.boolean(),
    labels: z.array(z.object({ name: z.string(), assignedAt: iso }).strict()),
    reactions: z.array(z.object({ emoji: z.string(), by: z.enum(['customer', 'business', 'other']), staffId: z.string().nullable(), at: iso }).strict()),
    /** Every status Meta reported (and the customer's edits and deletions), oldest first. */
    statusEvents: z.array(z.object({ status: z.string(), at: iso, errorCode: z.number().int().nullable(), errorTitle: z.string().nullable() }).strict()),
    media: exportedMediaSchema.nullable(),
  })
  .strict();

export const exportedConversationSchema = z
  .object({
    id: z.number().int().positive(),
    kind: z.enum(['direct', 'group']),
    groupId: z.string().nullable(),
    /** The business's own state of the chat; null for groups (not the contact's). */
    createdAt: nullableIso,
    archived: z.boolean().nullable(),
    pinned: z.boolean().nullable(),
    mutedUntil: nullableIso,
    draft: z.string().nullable(),
    labels: z.array(z.object({ name: z.string(), colour: z.number().int(), assignedAt: iso }).strict()),
  })
  .strict();

export const contactExportHeaderSchema = z
  .object({
    format: z.literal(contactExportFormat),
    version: z.literal(contactExportVersion),
    exportedAt: iso,
    timezone: z.string(),
    contact: z
      .object({
        id: z.number().int().positive(),
        displayName: z.string(),
        savedName: z.string().nullable(),
        profileName: z.string().nullable(),
        username: z.string().nullable(),
        identities: z
          .object({ waId: z.string().nullable(), userId: z.string().nullable(), parentUserId: z.string().nullable(), phone: z.string().nullable() })
          .strict(),
        /** Numbers and ids the contact had before (number changes, merged duplicates). */
        identityHistory: z
          .array(z.object({ kind: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable(), reason: z.string(), at: iso }).strict()),
        notes: z.string(),
        blocked: z.boolean(),
        createdAt: iso,
        updatedAt: iso,
      })
      .strict(),
    /** Marketing messages (Meta's `user_preferences`): the state now, and every stop / resume received. */
    marketing: z
      .object({
        optedOut: z.boolean(),
        decidedAt: nullableIso,
        events: z.array(z.object({ category: z.string(), value: z.string(), at: iso, detail: z.string().nullable(), receivedAt: iso }).strict()),
      })
      .strict(),
    /** The contact's own chat (none when they never had one). */
    conversations: z.array(exportedConversationSchema),
    /** Reactions the contact made (to any message, also ones not exported here). */
    reactionsByContact: z.array(z.object({ messageWamid: z.string(), emoji: z.string(), at: iso }).strict()),
    /** Greeting and away messages sent to the contact, and the inbound message each answered. */
    automaticReplies: z.array(z.object({ kind: z.enum(['greeting', 'away']), at: iso, inboundWamid: z.string(), messageId: z.number().int().nullable() }).strict()),
  })
  .strict();

export const exportedFileSchema = z
  .object({
    path: z.string().regex(/^media\/[^/\\]+$/),
    /** SHA-256 (hex) of the file as written. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative(),
    mime: z.string().nullable(),
    messageIds: z.array(z.number().int().positive()).min(1),
  })
  .strict();

export const contactExportSchema = contactExportHeaderSchema.extend({
  /** Oldest first. */
  messages: z.array(exportedMessageSchema),
  /** Groups the contact wrote in (their messages there are in `messages`, kind `group`). */
  groupConversations: z.array(exportedConversationSchema),
  files: z.array(exportedFileSchema),
});

export type ContactExportHeader = z.infer<typeof contactExportHeaderSchema>;
export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
export type ExportedFile = z.infer<typeof exportedFileSchema>;
export type ContactExport = z.infer<typeof contactExportSchema>;
