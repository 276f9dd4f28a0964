/**
 * The archive's own value types: what repositories take and return. Times are milliseconds since the epoch
 * everywhere (Meta's second-resolution timestamps are multiplied on the way in), so one clock port and one
 * unit serve core, the sandbox and the statistics.
 */

export type Direction = 'in' | 'out';

/** Outbound delivery state; inbound messages carry `null` (their read state is `readAt`). */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'unknown' | 'not_confirmed';

export const messageStatuses: readonly MessageStatus[] = ['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'unknown', 'not_confirmed'];

export type AutomaticKind = 'greeting' | 'away';

export interface ContactIdentity {
  /** Meta's business-scoped user id (BSUID), the primary identity since 2026. */
  userId?: string | null;
  parentUserId?: string | null;
  waId?: string | null;
  /** Digits only, no `+`. Missing for users who chose a username and never shared their number. */
  phone?: string | null;
  username?: string | null;
  profileName?: string | null;
}

export interface Contact {
  id: number;
  userId: string | null;
  parentUserId: string | null;
  waId: string | null;
  phone: string | null;
  username: string | null;
  profileName: string | null;
  savedName: string | null;
  notes: string;
  blocked: boolean;
  marketingOptOut: boolean;
  marketingOptOutAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactUpsertResult {
  id: number;
  created: boolean;
  /** Ids of contacts found to be the same person and merged into `id` (they no longer exist). */
  mergedIds: number[];
}

export interface Conversation {
  id: number;
  contactId: number | null;
  groupId: string | null;
  pinnedAt: number | null;
  archived: boolean;
  mutedUntil: number | null;
  unreadCount: number;
  manualUnread: boolean;
  lastActivityAt: number;
  lastInboundAt: number | null;
  lastStaffAt: number | null;
  lastMessageId: number | null;
  draft: string | null;
  createdAt: number;
}

/** A conversation as the inbox list shows it: the contact's names and the last message's preview fields. */
export interface ConversationListItem extends Conversation {
  contactDisplayName: string;
  contactPhone: string | null;
  contactUsername: string | null;
  lastMessage: {
    id: number;
    direction: Direction;
    type: string;
    text: string | null;
    caption: string | null;
    status: MessageStatus | null;
    timestamp: number;
  } | null;
  labelIds: number[];
}

/** Position in the conversation list: pinned first, then newest activity, ties broken by id. */
export interface ConversationCursor {
  pinned: boolean;
  lastActivityAt: number;
  id: number;
}

export interface ConversationPageQuery {
  archived?: boolean;
  unreadOnly?: boolean;
  labelIds?: number[];
  /** `any`: at least one of `labelIds`; `all`: every one of them. */
  labelMode?: 'any' | 'all';
  after?: ConversationCursor | null;
  limit?: number;
}

export interface Page<T, C> {
  items: T[];
  /** Pass back to get the next page; null at the end. */
  next: C | null;
}

export interface NewMessage {
  conversationId: number;
  /** Meta's id; null for an outbox row not yet accepted by Meta. */
  wamid?: string | null;
  /** Our id for an outbound message (also sent as `biz_opaque_callback_data`). */
  clientId?: string | null;
  direction: Direction;
  /** Meta's type as given (`text`, `image`, … or anything new): unknown types are stored, never dropped. */
  type: string;
  text?: string | null;
  caption?: string | null;
  /** The original content object from Meta (or the request we sent), kept whole. */
  payload?: unknown;
  replyToWamid?: string | null;
  status?: MessageStatus | null;
  statusAt?: number | null;
  errorCode?: number | null;
  errorTitle?: string | null;
  senderStaffId?: string | null;
  automatic?: AutomaticKind | null;
  timestamp: number;
  receivedAt?: number;
  groupId?: string | null;
  authorContactId?: number | null;
  mediaId?: number | null;
}

export interface Message {
  id: number;
  wamid: string | null;
  clientId: string | null;
  conversationId: number;
  direction: Direction;
  type: string;
  text: string | null;
  caption: string | null;
  payloadJson: string | null;
  replyToWamid: string | null;
  status: MessageStatus | null;
  statusAt: number | null;
  errorCode: number | null;
  errorTitle: string | null;
  senderStaffId: string | null;
  automatic: AutomaticKind | null;
  timestamp: number;
  receivedAt: number;
  readAt: number | null;
  editedAt: number | null;
  revokedAt: number | null;
  starred: boolean;
  isGroup: boolean;
  groupId: string | null;
  authorContactId: number | null;
  mediaId: number | null;
}

export interface MessageInsertResult {
  id: number;
  /** False when a message with the same wamid or client id was already stored (webhooks repeat). */
  inserted: boolean;
}

/** Position in a conversation's history: Meta's timestamp, ties broken by arrival (id). */
export interface MessageCursor {
  timestamp: number;
  id: number;
}

export interface Label {
  id: number;
  name: string;
  /** Index into the 20-colour palette. */
  colour: number;
  position: number;
  createdAt: number;
}

export interface LabelWithCounts extends Label {
  conversationCount: number;
  messageCount: number;
}

export type MediaState = 'pending' | 'downloading' | 'stored' | 'failed' | 'expired';

export interface NewMedia {
  state: MediaState;
  mime?: string | null;
  size?: number | null;
  fileName?: string | null;
  /** Meta's base64 SHA-256 of the file, checked after download. */
  sha256?: string | null;
  metaMediaId?: string | null;
  /** The media store's name for the encrypted file, once stored. */
  contentHash?: string | null;
}

export interface MediaRecord {
  id: number;
  state: MediaState;
  mime: string | null;
  size: number | null;
  fileName: string | null;
  sha256: string | null;
  metaMediaId: string | null;
  contentHash: string | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface MessageSearchQuery {
  text: string;
  contactId?: number;
  /** Messages carrying the label, or in a conversation carrying it. */
  labelId?: number;
  /** Inclusive lower bound on the message's timestamp. */
  from?: number;
  /** Exclusive upper bound on the message's timestamp. */
  to?: number;
  direction?: Direction;
  type?: string;
  status?: MessageStatus;
  staffId?: string;
  /** The `next` of the previous page. */
  before?: number | null;
  limit?: number;
}

export interface Snippet {
  text: string;
  /** UTF-16 offsets into `text` of the matched words, for the renderer to mark (it escapes, we never build HTML). */
  highlights: Array<{ start: number; end: number }>;
}

export interface MessageSearchHit {
  messageId: number;
  conversationId: number;
  contactId: number | null;
  contactDisplayName: string;
  timestamp: number;
  direction: Direction;
  type: string;
  status: MessageStatus | null;
  snippet: Snippet;
}

export interface ContactSearchHit {
  contactId: number;
  displayName: string;
  phone: string | null;
  username: string | null;
}
