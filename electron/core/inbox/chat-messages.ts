/** A stored message as a chat bubble shows it (PRODUCT §2 chat view; §14 errors in words). */
import type { ChatMessage, LabelChip, OutboxState, ReactionView } from '../../../shared/ipc';
import { contactDisplayName } from '../archive';
import { classifyMetaError } from '../cloud/graph-errors';
import type { ChatRow } from './repositories/chat-page';

const windowClosedCode = 131047;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type's own object (location, contacts, interactive, template as sent, …); an array is wrapped by its type. */
function payloadOf(r: ChatRow): Record<string, unknown> | null {
  if (!r.payloadJson) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(r.payloadJson);
  } catch {
    return null;
  }
  if (!isRecord(stored)) return null;
  const own = stored[r.type];
  if (own === undefined) return null;
  return isRecord(own) ? own : { [r.type]: own };
}

/** The outbox's view until Meta accepted the message; after that its statuses speak (`null`). */
function outboxStateOf(r: ChatRow): OutboxState | null {
  switch (r.outboxState) {
    case null:
    case 'sent':
      return null;
    case 'sending':
      return r.status === 'unknown' ? 'unknown' : 'sending';
    default:
      return r.outboxState;
  }
}

function errorOf(r: ChatRow): ChatMessage['error'] {
  if (r.status !== 'failed' && r.errorCode === null) return null;
  if (r.errorCode !== null) return { code: r.errorCode, message: classifyMetaError({ code: r.errorCode, title: r.errorTitle ?? undefined }).sentence };
  return { code: null, message: r.errorTitle ?? 'not sent' };
}

/** Retry makes sense for what may go through now: not for a permanent refusal, nor 131047 while the window is shut. */
function retryableOf(r: ChatRow, windowOpen: boolean): boolean {
  if (r.direction !== 'out') return false;
  if (r.status === 'not_confirmed') return true;
  if (r.status !== 'failed') return false;
  if (r.errorCode === null) return true;
  if (r.errorCode === windowClosedCode) return windowOpen || r.type === 'template';
  return classifyMetaError({ code: r.errorCode }).retryable;
}

export interface ChatExtras {
  reactions: ReadonlyMap<string, ReactionView[]>;
  labels: ReadonlyMap<number, LabelChip[]>;
  windowOpen: boolean;
}

export function toChatMessage(r: ChatRow, extras: ChatExtras): ChatMessage {
  const revoked = r.revokedAt !== null;
  const quotedRevoked = r.quotedRevokedAt !== null;
  return {
    id: r.id,
    conversationId: r.conversationId,
    wamid: r.wamid,
    clientId: r.clientId,
    direction: r.direction,
    type: r.type,
    text: revoked ? null : r.text,
    caption: revoked ? null : r.caption,
    payload: revoked ? null : payloadOf(r),
    replyTo: r.replyToWamid
      ? {
          id: r.quotedId,
          direction: r.quotedDirection,
          type: r.quotedType,
          text: quotedRevoked ? null : (r.quotedText ?? r.quotedCaption),
        }
      : null,
    status: r.status,
    statusAt: r.statusAt,
    outboxState: outboxStateOf(r),
    error: errorOf(r),
    retryable: retryableOf(r, extras.windowOpen),
    sender: r.senderStaffId ? { id: r.senderStaffId, name: r.senderName ?? 'Staff member' } : null,
    automatic: r.automatic,
    authorName:
      r.isGroup === 1 && r.authorContactId !== null
        ? contactDisplayName({ savedName: r.authorSavedName, profileName: r.authorProfileName, phone: r.authorPhone, username: r.authorUsername, waId: r.authorWaId })
        : null,
    timestamp: r.timestamp,
    editedAt: r.editedAt,
    revokedAt: r.revokedAt,
    starred: r.starred === 1,
    reactions: r.wamid ? (extras.reactions.get(r.wamid) ?? []) : [],
    media:
      r.mediaId !== null && r.mediaState !== null
        ? { id: r.mediaId, state: r.mediaState, mime: r.mediaMime, size: r.mediaSize, fileName: r.mediaFileName, error: r.mediaError }
        : null,
    labels: extras.labels.get(r.id) ?? [],
  };
}
