/**
 * Webhook bodies in Meta's shapes (REFERENCE §1–§3; the fixtures `webhook-*.json` and `status-*.json`),
 * built by the sandbox's own code: an inbound text, image, document or reaction, and the statuses of an
 * outbound message (sent, delivered, read, failed). Serialised as Meta sends them — compact JSON with every
 * non-ASCII character escaped as lowercase `\uXXXX` — and signed with the app secret over those exact bytes.
 */
import { signBody } from '../../cloud/signature';
import type { SandboxStatusError } from '../graph-types';

/** The business number the webhooks are about. */
export interface WebhookTarget {
  wabaId: string;
  phoneNumberId: string;
  /** Digits only, as in `metadata.display_phone_number` (`15550783881`). */
  displayPhoneNumber: string;
}

/** A WhatsApp user as a webhook names them: a BSUID always, a phone number unless they hide it (§2.4). */
export interface WebhookPerson {
  name: string;
  /** Phone digits; absent for a user with a username who has not shared their number. */
  waId?: string;
  /** BSUID, e.g. `US.13491208655302741918`. */
  userId: string;
  parentUserId?: string;
  username?: string;
}

export type InboundContent =
  | { type: 'text'; body: string }
  | { type: 'image'; mediaId: string; mimeType: string; sha256: string; caption?: string }
  | { type: 'document'; mediaId: string; mimeType: string; sha256: string; filename: string; caption?: string }
  /** `emoji` undefined: the reaction was removed. */
  | { type: 'reaction'; messageId: string; emoji?: string };

export interface InboundOptions {
  wamid: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** The business message this one replies to (quoted). */
  replyTo?: string;
}

export type StatusValue = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusOptions {
  wamid: string;
  status: StatusValue;
  at: number;
  recipient: WebhookPerson;
  /** The client id the business sent as `biz_opaque_callback_data`. */
  clientId?: string;
  /** Per-message pricing (PMP); Meta puts it on `sent` and one of delivered/read. */
  pricing?: { billable: boolean; type: 'regular' | 'free_customer_service' | 'free_entry_point'; category: string };
  /** For `failed`: what went wrong (e.g. 131047). */
  errors?: SandboxStatusError[];
}

export type WebhookBody = {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ value: Record<string, unknown>; field: 'messages' }> }>;
};

/** A body ready to post: the exact bytes and the `X-Hub-Signature-256` value over them. */
export interface SignedWebhook {
  body: WebhookBody;
  bytes: Buffer;
  signature: string;
}

const unixSeconds = (ms: number) => String(Math.floor(ms / 1000));

function contactOf(person: WebhookPerson): Record<string, unknown> {
  return {
    profile: person.username !== undefined ? { name: person.name, username: person.username } : { name: person.name },
    ...(person.waId !== undefined ? { wa_id: person.waId } : {}),
    user_id: person.userId,
    ...(person.parentUserId !== undefined ? { parent_user_id: person.parentUserId } : {}),
  };
}

function envelope(target: WebhookTarget, value: Record<string, unknown>): WebhookBody {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: target.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: target.displayPhoneNumber, phone_number_id: target.phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

function contentObject(content: InboundContent): Record<string, unknown> {
  switch (content.type) {
    case 'text':
      return { body: content.body };
    case 'image':
      return { ...(content.caption !== undefined ? { caption: content.caption } : {}), mime_type: content.mimeType, sha256: content.sha256, id: content.mediaId };
    case 'document':
      return {
        ...(content.caption !== undefined ? { caption: content.caption } : {}),
        filename: content.filename,
        mime_type: content.mimeType,
        sha256: content.sha256,
        id: content.mediaId,
      };
    case 'reaction':
      return { message_id: content.messageId, ...(content.emoji !== undefined ? { emoji: content.emoji } : {}) };
  }
}

/** A message from a customer (`messages[]` with its `contacts[]`). */
export function inboundMessageBody(target: WebhookTarget, from: WebhookPerson, content: InboundContent, options: InboundOptions): WebhookBody {
  const message: Record<string, unknown> = {
    ...(options.replyTo !== undefined && content.type !== 'reaction' ? { context: { from: target.displayPhoneNumber, id: options.replyTo } } : {}),
    ...(from.waId !== undefined ? { from: from.waId } : {}),
    from_user_id: from.userId,
    ...(from.parentUserId !== undefined ? { from_parent_user_id: from.parentUserId } : {}),
    id: options.wamid,
    timestamp: unixSeconds(options.at),
    type: content.type,
    [content.type]: contentObject(content),
  };
  return envelope(target, { contacts: [contactOf(from)], messages: [message] });
}

/** A status of a message the business sent (`statuses[]`, v24+ shape: no `conversation`). */
export function statusBody(target: WebhookTarget, options: StatusOptions): WebhookBody {
  const { recipient } = options;
  const status: Record<string, unknown> = {
    id: options.wamid,
    status: options.status,
    timestamp: unixSeconds(options.at),
    ...(recipient.waId !== undefined ? { recipient_id: recipient.waId } : {}),
    recipient_user_id: recipient.userId,
    ...(recipient.parentUserId !== undefined ? { recipient_parent_user_id: recipient.parentUserId } : {}),
    ...(options.clientId !== undefined ? { biz_opaque_callback_data: options.clientId } : {}),
    ...(options.pricing ? { pricing: { billable: options.pricing.billable, pricing_model: 'PMP', type: options.pricing.type, category: options.pricing.category } } : {}),
    ...(options.errors && options.errors.length > 0 ? { errors: options.errors.map((e) => ({ ...e, error_data: { ...e.error_data } })) } : {}),
  };
  return envelope(target, { contacts: [contactOf(recipient)], statuses: [status] });
}

/**
 * JSON as Meta sends it: compact, every UTF-16 code unit above 0x7e escaped as lowercase `\uXXXX`
 * (`你` → `\u4f60`, `👍` → `\ud83d\udc4d`), so the bytes are plain ASCII.
 */
export function serialiseLikeMeta(body: unknown): Buffer {
  const text = JSON.stringify(body).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(text, 'ascii');
}

export function signWebhook(body: WebhookBody, appSecret: string): SignedWebhook {
  const bytes = serialiseLikeMeta(body);
  return { body, bytes, signature: signBody(bytes, appSecret) };
}
