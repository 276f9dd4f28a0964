/**
 * What staff send, in our own words, turned into Meta's message body (REFERENCE §4, §8 "Send"). Pure: the
 * client validates the result with `sendMessageRequestSchema` before anything leaves the computer.
 */
import type { ContactCard, SendMessageRequest } from './graph-send-schemas';

/** An uploaded media id, or an https link Meta fetches (and caches for 10 minutes). */
export type MediaRef = { id: string } | { link: string };

export type InteractiveHeader = { type: 'text'; text: string } | { type: 'image' | 'video' | 'document'; media: MediaRef };

export interface TemplateTextValue {
  text: string;
  /** For templates with named parameters: the variable's name (`first_name`). */
  name?: string;
}

export type TemplateHeaderValue =
  | ({ type: 'text' } & TemplateTextValue)
  | { type: 'image' | 'video'; media: MediaRef }
  | { type: 'document'; media: MediaRef; filename?: string }
  | { type: 'location'; latitude: number | string; longitude: number | string; name?: string; address?: string };

export type TemplateButtonValue =
  | { type: 'quick_reply'; index: number; payload: string }
  /** The value for the URL button's trailing variable, already percent-encoded where needed. */
  | { type: 'url'; index: number; text: string }
  | { type: 'copy_code'; index: number; couponCode: string };

export type OutboundContent =
  | { type: 'text'; body: string; previewUrl?: boolean }
  /** `emoji: ''` removes an earlier reaction. */
  | { type: 'reaction'; messageId: string; emoji: string }
  | { type: 'image' | 'video'; media: MediaRef; caption?: string }
  | { type: 'document'; media: MediaRef; caption?: string; filename?: string }
  /** `voice: true` sends a voice note (OGG/OPUS). */
  | { type: 'audio'; media: MediaRef; voice?: boolean }
  | { type: 'sticker'; media: MediaRef }
  | { type: 'location'; latitude: number | string; longitude: number | string; name?: string; address?: string }
  | { type: 'contacts'; contacts: ContactCard[] }
  | { type: 'buttons'; header?: InteractiveHeader; body: string; footer?: string; buttons: Array<{ id: string; title: string }> }
  | {
      type: 'list';
      header?: string;
      body: string;
      footer?: string;
      button: string;
      sections: Array<{ title?: string; rows: Array<{ id: string; title: string; description?: string }> }>;
    }
  | { type: 'cta_url'; header?: InteractiveHeader; body: string; footer?: string; displayText: string; url: string }
  | {
      type: 'template';
      name: string;
      language: string;
      header?: TemplateHeaderValue;
      body?: TemplateTextValue[];
      limitedTimeOffer?: { expirationTimeMs: number };
      buttons?: TemplateButtonValue[];
    };

/** A phone number (`+16505551234`), or a contact known only by business-scoped user id. */
export type Recipient = string | { phone?: string; userId?: string };

export interface SendOptions {
  /** Our outbox id, sent as `biz_opaque_callback_data` so status webhooks carry it back. */
  clientId: string;
  /** Quote this message (a reply). Not allowed for reactions. */
  replyTo?: string;
}

function mediaRef(media: MediaRef): { id: string } | { link: string } {
  return 'id' in media ? { id: media.id } : { link: media.link };
}

function interactiveHeader(header: InteractiveHeader) {
  if (header.type === 'text') return { type: 'text' as const, text: header.text };
  if (header.type === 'image') return { type: 'image' as const, image: mediaRef(header.media) };
  if (header.type === 'video') return { type: 'video' as const, video: mediaRef(header.media) };
  return { type: 'document' as const, document: mediaRef(header.media) };
}

function textParameter(value: TemplateTextValue) {
  return { type: 'text' as const, text: value.text, ...(value.name ? { parameter_name: value.name } : {}) };
}

function templateHeader(header: TemplateHeaderValue) {
  switch (header.type) {
    case 'text':
      return textParameter(header);
    case 'image':
      return { type: 'image' as const, image: mediaRef(header.media) };
    case 'video':
      return { type: 'video' as const, video: mediaRef(header.media) };
    case 'document':
      return { type: 'document' as const, document: { ...mediaRef(header.media), ...(header.filename ? { filename: header.filename } : {}) } };
    case 'location':
      return { type: 'location' as const, location: location(header) };
  }
}

function templateButton(button: TemplateButtonValue) {
  const base = { type: 'button' as const, sub_type: button.type, index: button.index };
  if (button.type === 'quick_reply') return { ...base, parameters: [{ type: 'payload' as const, payload: button.payload }] };
  if (button.type === 'url') return { ...base, parameters: [{ type: 'text' as const, text: button.text }] };
  return { ...base, parameters: [{ type: 'coupon_code' as const, coupon_code: button.couponCode }] };
}

function location(value: { latitude: number | string; longitude: number | string; name?: string; address?: string }) {
  return {
    latitude: value.latitude,
    longitude: value.longitude,
    ...(value.name !== undefined ? { name: value.name } : {}),
    ...(value.address !== undefined ? { address: value.address } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The type-specific part of the body: `{ type, <type>: {...} }`. */
export function buildContent(content: OutboundContent): Record<string, unknown> {
  switch (content.type) {
    case 'text':
      return { type: 'text', text: { body: content.body, ...optional('preview_url', content.previewUrl) } };
    case 'reaction':
      return { type: 'reaction', reaction: { message_id: content.messageId, emoji: content.emoji } };
    case 'image':
    case 'video':
      return { type: content.type, [content.type]: { ...mediaRef(content.media), ...optional('caption', content.caption) } };
    case 'document':
      return { type: 'document', document: { ...mediaRef(content.media), ...optional('caption', content.caption), ...optional('filename', content.filename) } };
    case 'audio':
      return { type: 'audio', audio: { ...mediaRef(content.media), ...optional('voice', content.voice) } };
    case 'sticker':
      return { type: 'sticker', sticker: mediaRef(content.media) };
    case 'location':
      return { type: 'location', location: location(content) };
    case 'contacts':
      return { type: 'contacts', contacts: content.contacts };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: {
          type: 'button',
          ...optional('header', content.header && interactiveHeader(content.header)),
          body: { text: content.body },
          ...optional('footer', content.footer === undefined ? undefined : { text: content.footer }),
          action: { buttons: content.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
        },
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: {
          type: 'list',
          ...optional('header', content.header === undefined ? undefined : { type: 'text', text: content.header }),
          body: { text: content.body },
          ...optional('footer', content.footer === undefined ? undefined : { text: content.footer }),
          action: {
            button: content.button,
            sections: content.sections.map((s) => ({
              ...optional('title', s.title),
              rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...optional('description', r.description) })),
            })),
          },
        },
      };
    case 'cta_url':
      return {
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          ...optional('header', content.header && interactiveHeader(content.header)),
          body: { text: content.body },
          ...optional('footer', content.footer === undefined ? undefined : { text: content.footer }),
          action: { name: 'cta_url', parameters: { display_text: content.displayText, url: content.url } },
        },
      };
    case 'template': {
      const components: unknown[] = [];
      if (content.header) components.push({ type: 'header', parameters: [templateHeader(content.header)] });
      if (content.body?.length) components.push({ type: 'body', parameters: content.body.map(textParameter) });
      if (content.limitedTimeOffer) {
        components.push({
          type: 'limited_time_offer',
          parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: content.limitedTimeOffer.expirationTimeMs } }],
        });
      }
      for (const button of content.buttons ?? []) components.push(templateButton(button));
      return {
        type: 'template',
        template: { name: content.name, language: { code: content.language }, ...(components.length ? { components } : {}) },
      };
    }
  }
}

/** The whole body of `POST /{phone-number-id}/messages`, not yet validated. */
export function buildSendBody(to: Recipient, content: OutboundContent, options: SendOptions): SendMessageRequest {
  const recipient = typeof to === 'string' ? { to } : { ...optional('to', to.phone), ...optional('recipient', to.userId) };
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...recipient,
    ...(options.replyTo ? { context: { message_id: options.replyTo } } : {}),
    ...buildContent(content),
    biz_opaque_callback_data: options.clientId,
  } as SendMessageRequest;
}
