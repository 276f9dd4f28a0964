import { z } from 'zod';

/**
 * The inbox's part of the IPC contract (PRODUCT §2, §3): the conversation list, the chat view, the composer,
 * contacts and staff. Types and request schemas live here; `contract.ts` registers the channels.
 */

export type OutboundStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'unknown' | 'not_confirmed';

/** The outbox's view of an outbound message (absent once Meta accepted it and statuses took over). */
export type OutboxState = 'queued' | 'sending' | 'sent' | 'unknown' | 'not_confirmed' | 'failed' | 'cancelled';

export interface LabelChip {
  id: number;
  name: string;
  /** Index into the 20-colour palette (PRODUCT §8). */
  colour: number;
}

export interface LabelSummary extends LabelChip {
  order: number;
  /** Conversations carrying it (not archived ones included). */
  conversations: number;
}

export interface ConversationPreview {
  type: string;
  direction: 'in' | 'out';
  /** Text, caption, file name, or null (the UI shows the type's icon and name). */
  text: string | null;
  status: OutboundStatus | null;
  automatic: boolean;
  revoked: boolean;
}

/** One row of the conversation list. */
export interface ConversationRow {
  id: number;
  contactId: number | null;
  groupId: string | null;
  /** Saved name, profile name, number in international format, username, or the BSUID — the first there is. */
  title: string;
  /** The number (international format) or @username under the title, when the title is a name. */
  subtitle: string | null;
  preview: ConversationPreview | null;
  lastActivityAt: number;
  unreadCount: number;
  manualUnread: boolean;
  pinned: boolean;
  archived: boolean;
  /** Muted until then (ms); `Number.MAX_SAFE_INTEGER` is "always". Null: not muted. */
  mutedUntil: number | null;
  labels: LabelChip[];
  /** The 24-hour customer-service window, computed by core on its clock. */
  windowOpen: boolean;
  windowClosesAt: number | null;
  /** The customer's last message has no staff answer after it (automatic replies are not answers). */
  needsReply: boolean;
  /** Group chats are read-only. */
  readOnly: boolean;
}

export const inboxFilterSchema = z
  .object({
    unread: z.boolean().optional(),
    labelIds: z.array(z.number().int().positive()).max(50).optional(),
    labelMode: z.enum(['any', 'all']).optional(),
    window: z.enum(['open', 'closed']).optional(),
    needsReply: z.boolean().optional(),
    /** false (default): the inbox; true: the archived conversations only. */
    archived: z.boolean().optional(),
    /** Last activity in [from, to), ms since epoch. */
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    /** Names, numbers, usernames, and the messages' text. */
    query: z.string().trim().max(200).optional(),
  })
  .strict();
export type InboxFilter = z.input<typeof inboxFilterSchema>;

export const inboxListSchema = z
  .object({
    filter: inboxFilterSchema.optional(),
    /** Position in the filtered list (the virtual list asks for the rows it shows). */
    offset: z.number().int().min(0).max(10_000_000),
    limit: z.number().int().min(1).max(500),
  })
  .strict();

export interface InboxPage {
  rows: ConversationRow[];
  /** How many conversations the filter matches in all. */
  total: number;
  offset: number;
}

export interface InboxSummary {
  /** Conversations with unread messages (or marked unread), archived ones excluded. */
  unreadConversations: number;
  /** Unread messages over unmuted conversations: the badge and tray count. */
  unreadMessages: number;
  labels: LabelSummary[];
}

const ids = z.array(z.number().int().positive()).min(1).max(10_000);

export const conversationActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pin'), ids }).strict(),
  z.object({ action: z.literal('unpin'), ids }).strict(),
  z.object({ action: z.literal('archive'), ids }).strict(),
  z.object({ action: z.literal('unarchive'), ids }).strict(),
  /** until: ms since epoch, or null for "always". */
  z.object({ action: z.literal('mute'), ids, until: z.number().int().positive().nullable() }).strict(),
  z.object({ action: z.literal('unmute'), ids }).strict(),
  z.object({ action: z.literal('mark-unread'), ids }).strict(),
  z.object({ action: z.literal('mark-read'), ids }).strict(),
]);

export const conversationIdSchema = z.object({ conversationId: z.number().int().positive() }).strict();

/** A new chat by number: any common way of writing it; validated and normalised by core (libphonenumber). */
export const openByNumberSchema = z.object({ phone: z.string().trim().min(3, 'required').max(40) }).strict();

export interface ContactView {
  id: number;
  /** Meta's business-scoped user id, when given. */
  userId: string | null;
  waId: string | null;
  /** International format, or null (a username-only contact). */
  phone: string | null;
  username: string | null;
  profileName: string | null;
  savedName: string | null;
  displayName: string;
  notes: string;
  labels: LabelChip[];
  blocked: boolean;
  marketingOptOut: boolean;
  firstContactAt: number | null;
  lastContactAt: number | null;
  conversationId: number | null;
}

export interface ConversationDetail {
  row: ConversationRow;
  contact: ContactView | null;
  draft: string;
}

export interface QuotedMessage {
  /** Null when the quoted message is not in the archive. */
  id: number | null;
  direction: 'in' | 'out' | null;
  type: string | null;
  text: string | null;
}

export interface ReactionView {
  emoji: string;
  /** Reacted by the business (a staff reaction) rather than the customer. */
  fromBusiness: boolean;
}

export interface MediaView {
  id: number;
  state: 'pending' | 'downloading' | 'stored' | 'failed' | 'expired';
  mime: string | null;
  size: number | null;
  fileName: string | null;
  error: string | null;
}

export interface ChatMessage {
  id: number;
  conversationId: number;
  wamid: string | null;
  clientId: string | null;
  direction: 'in' | 'out';
  /** Meta's type as given: text, image, …, unknown/unsupported kept as they came. */
  type: string;
  text: string | null;
  caption: string | null;
  /** The type's own fields (location, contacts, interactive reply, template as sent, …). */
  payload: Record<string, unknown> | null;
  replyTo: QuotedMessage | null;
  status: OutboundStatus | null;
  statusAt: number | null;
  outboxState: OutboxState | null;
  /** Meta's error code and, for staff, the reason in words. */
  error: { code: number | null; message: string } | null;
  /** Whether "retry" makes sense (never for a permanent refusal). */
  retryable: boolean;
  sender: { id: string; name: string } | null;
  automatic: 'greeting' | 'away' | null;
  /** Group messages: who wrote it. */
  authorName: string | null;
  timestamp: number;
  editedAt: number | null;
  revokedAt: number | null;
  starred: boolean;
  reactions: ReactionView[];
  media: MediaView | null;
  labels: LabelChip[];
}

export const chatPageSchema = z
  .object({
    conversationId: z.number().int().positive(),
    /** Older than this message; newer than `after`; around `around` (jump to a message); none: the newest. */
    before: z.number().int().positive().optional(),
    after: z.number().int().positive().optional(),
    around: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict();

export interface ChatPage {
  messages: ChatMessage[];
  /** Oldest first. */
  hasOlder: boolean;
  hasNewer: boolean;
}

/** Meta's media limits (REFERENCE): checked before upload; the refusal names the reason. */
export const attachmentSchema = z
  .object({
    fileName: z.string().trim().min(1).max(240),
    mime: z.string().trim().min(3).max(120),
    bytes: z.instanceof(Uint8Array),
  })
  .strict();

export const sendMessageSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('text'),
      conversationId: z.number().int().positive(),
      text: z.string().trim().min(1, 'required').max(4096, 'at most 4096 characters'),
      replyToMessageId: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('media'),
      conversationId: z.number().int().positive(),
      attachment: attachmentSchema,
      caption: z.string().trim().max(1024, 'at most 1024 characters').optional(),
      replyToMessageId: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('reaction'),
      conversationId: z.number().int().positive(),
      messageId: z.number().int().positive(),
      /** One emoji; empty removes the reaction. */
      emoji: z.string().max(32),
    })
    .strict(),
]);

export const messageIdSchema = z.object({ messageId: z.number().int().positive() }).strict();
export const starSchema = z.object({ messageId: z.number().int().positive(), starred: z.boolean() }).strict();
export const draftSchema = z.object({ conversationId: z.number().int().positive(), draft: z.string().max(4096) }).strict();

export const contactsListSchema = z
  .object({
    query: z.string().trim().max(200).optional(),
    labelId: z.number().int().positive().optional(),
    offset: z.number().int().min(0).max(10_000_000),
    limit: z.number().int().min(1).max(500),
  })
  .strict();

export interface ContactsPage {
  rows: ContactView[];
  total: number;
  offset: number;
}

export const contactUpdateSchema = z
  .object({
    contactId: z.number().int().positive(),
    savedName: z.string().trim().max(100).nullable().optional(),
    notes: z.string().max(10_000).optional(),
    blocked: z.boolean().optional(),
  })
  .strict();

export const contactsImportSchema = z
  .object({
    format: z.enum(['csv', 'vcard']),
    /** The file as chosen by the user (bytes: the encoding is detected, UTF-8 with or without BOM). */
    bytes: z.instanceof(Uint8Array),
  })
  .strict();

export interface ContactsImportReport {
  added: number;
  updated: number;
  /** 1-based row (CSV line or vCard card) and the reason, for each refused row. */
  rejected: Array<{ row: number; reason: string; value: string }>;
}

export interface StaffMember {
  id: string;
  name: string;
  hasPin: boolean;
  active: boolean;
}

export interface StaffState {
  members: StaffMember[];
  /** Who is at the desk now; their name goes on every message sent. */
  currentId: string | null;
}

export const staffCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(100),
    pin: z.string().regex(/^\d{4}$/, '4 digits').optional(),
  })
  .strict();

export const staffSwitchSchema = z
  .object({
    staffId: z.string().min(1).max(100),
    pin: z.string().max(8).optional(),
  })
  .strict();

/** Desk preferences of the inbox (per workspace). */
export interface InboxPreferences {
  readReceipts: boolean;
  notificationSound: boolean;
}
export const inboxPreferencesSchema = z.object({ readReceipts: z.boolean().optional(), notificationSound: z.boolean().optional() }).strict();
