/**
 * Frontdesk's client for Meta's Graph API (the WhatsApp Cloud API and the management endpoints it needs):
 * sending every message type, read receipts, media, the business profile, the phone number, webhook
 * subscription, templates and the resumable upload API. The sandbox is the same API at another base URL.
 *
 * Every request body we build is checked against Meta's rules first (a broken one is refused here with the
 * field named, never sent); every answer is validated; every failure is a GraphError (graph-errors.ts).
 */
import type { z } from 'zod';
import type { LoggerPort } from '../ports';
import { GraphError, localGraphError } from './graph-errors';
import { createGraphTransport } from './graph-http';
import type { HttpMethod } from './graph-http';
import { buildSendBody } from './graph-messages';
import type { OutboundContent, Recipient, SendOptions } from './graph-messages';
import {
  baseMimeType,
  businessProfileFields,
  businessProfileResponseSchema,
  businessProfileUpdateRequestSchema,
  markReadRequestSchema,
  mediaUploadRequestSchema,
  mediaUploadResponseSchema,
  mediaUrlResponseSchema,
  phoneNumberListResponseSchema,
  phoneNumberSchema,
  sendMessageResponseSchema,
  subscribedAppsResponseSchema,
  successResponseSchema,
  templateCreateResponseSchema,
  templateListResponseSchema,
  templateStatusResponseSchema,
  uploadHandleResponseSchema,
  uploadSessionRequestSchema,
  uploadSessionResponseSchema,
  uploadStatusResponseSchema,
} from './graph-schemas';
import type { BusinessProfile, BusinessProfileUpdateRequest, MessageTemplate, PhoneNumber, SubscribedApps, TemplateCreateResponse } from './graph-schemas';
import { sendMessageRequestSchema } from './graph-send-schemas';
import { templateCreateRequestSchema } from './graph-template-schemas';
import type { TemplateCreateRequest } from './graph-template-schemas';

export type { OutboundContent, Recipient, SendOptions } from './graph-messages';

export interface GraphClientOptions {
  /** `https://graph.facebook.com`, or the sandbox's address. */
  baseUrl?: string;
  /** Graph API version (REFERENCE §0). */
  version?: string;
  /** Read for every call, so a new token takes effect at once; null → `graph_no_token`. */
  accessToken: () => string | null;
  phoneNumberId: string;
  wabaId: string;
  /** Needed only by the resumable upload API (profile photos, template media samples). */
  appId?: string;
  /** Time limit of every call. */
  timeoutMs: number;
  /** Time limit for media uploads and downloads (large files); defaults to 4 × timeoutMs. */
  mediaTimeoutMs?: number;
  fetch?: typeof fetch;
  logger?: LoggerPort;
}

export interface SendResult {
  /** Meta's message id (`wamid.…`): status webhooks refer to it. */
  wamid: string;
  /** The recipient as we sent it. */
  input: string | undefined;
  /** The WhatsApp id Meta resolved the number to (may differ from the input). */
  waId: string | undefined;
  /** The business-scoped user id, when sent to one. */
  userId: string | undefined;
  /** Template pacing: `accepted` or `held_for_quality_assessment`. */
  messageStatus: string | undefined;
}

export interface MediaInfo {
  id: string;
  /** Valid for 5 minutes; downloading it needs the token. */
  url: string;
  mimeType: string;
  sha256: string;
  fileSize: number;
}

export interface TemplateListOptions {
  /** Page size asked of Meta. */
  limit?: number;
  /** e.g. `APPROVED`. */
  status?: string;
  name?: string;
  fields?: readonly string[];
  /** After each page, with the number of templates so far: template sync reports progress from it. */
  onPage?: (loaded: number) => void;
  /** A safety stop against a server that never stops paging. */
  maxPages?: number;
}

export interface TemplatePage {
  templates: MessageTemplate[];
  /** The cursor for the next page, or undefined on the last one. */
  after: string | undefined;
}

export const defaultTemplateFields = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'sub_category', 'id', 'quality_score', 'rejected_reason'] as const;
const phoneNumberFields = ['id', 'display_phone_number', 'verified_name', 'quality_rating', 'code_verification_status', 'name_status', 'status', 'whatsapp_business_manager_messaging_limit'];

export interface GraphClient {
  readonly version: string;
  send(to: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult>;
  /**
   * A message body already in Meta's shape (as an outbox stores it, without `messaging_product`), checked
   * like any other and sent with `clientId` as `biz_opaque_callback_data`.
   */
  sendRequest(body: { type: string; [field: string]: unknown }, clientId: string): Promise<SendResult>;
  /** Blue ticks for this and every earlier message; `typing` also shows "typing…" for up to 25 s. */
  markRead(messageId: string, options?: { typing?: boolean }): Promise<void>;

  uploadMedia(file: { bytes: Uint8Array; mimeType: string; fileName: string }): Promise<{ id: string }>;
  getMedia(mediaId: string): Promise<MediaInfo>;
  /** Resolves the id to its short-lived URL and downloads it with the token, refusing more than `maxBytes`. */
  downloadMedia(mediaId: string, options: { maxBytes: number }): Promise<{ bytes: Uint8Array; mimeType: string; sha256: string }>;
  deleteMedia(mediaId: string): Promise<void>;

  getBusinessProfile(): Promise<BusinessProfile>;
  /** The profile photo at the `profile_picture_url` Meta gave (only Meta's hosts, or the sandbox's). */
  downloadProfilePhoto(url: string, maxBytes: number): Promise<{ bytes: Uint8Array; mimeType: string }>;
  updateBusinessProfile(update: Omit<BusinessProfileUpdateRequest, 'messaging_product'>): Promise<void>;

  getPhoneNumber(): Promise<PhoneNumber>;
  listPhoneNumbers(): Promise<PhoneNumber[]>;

  subscribeApp(): Promise<void>;
  listSubscribedApps(): Promise<SubscribedApps['data']>;
  unsubscribeApp(): Promise<void>;

  listTemplatesPage(options?: TemplateListOptions & { after?: string }): Promise<TemplatePage>;
  /** Every template, following Meta's cursors page by page. */
  listTemplates(options?: TemplateListOptions): Promise<MessageTemplate[]>;
  getTemplateStatus(templateId: string): Promise<{ id: string; status: string }>;
  createTemplate(template: TemplateCreateRequest): Promise<TemplateCreateResponse>;
  /** By name deletes every language; with `hsmId` only that one template. */
  deleteTemplate(target: { name: string; hsmId?: string }): Promise<void>;

  /** Meta's resumable upload API: a handle for a profile photo or a template's media sample. */
  uploadResumable(file: { bytes: Uint8Array; mimeType: string; fileName: string }): Promise<string>;
}

/** Refuses a request body that breaks Meta's rules before it leaves the computer. */
function checked<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = fields[0];
  throw localGraphError('graph_invalid_request', {
    kind: 'invalid',
    retryable: false,
    fields,
    extra: first ? `${first.path || 'request'}: ${first.message}` : undefined,
  });
}

/** Meta's media links live on its CDN hosts; the sandbox's on its own address. The token goes nowhere else. */
function isTrustedMediaUrl(target: string, baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.origin === new URL(baseUrl).origin) return true;
  const metaHosts = ['.fbsbx.com', '.facebook.com', '.whatsapp.net', '.fbcdn.net'];
  return url.protocol === 'https:' && metaHosts.some((suffix) => url.hostname.endsWith(suffix));
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const baseUrl = options.baseUrl ?? 'https://graph.facebook.com';
  const version = options.version ?? 'v25.0';
  const mediaTimeoutMs = options.mediaTimeoutMs ?? options.timeoutMs * 4;
  const transport = createGraphTransport({
    baseUrl,
    version,
    accessToken: options.accessToken,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch ?? globalThis.fetch,
    logger: options.logger,
  });
  const phone = encodeURIComponent(options.phoneNumberId);
  const waba = encodeURIComponent(options.wabaId);

  async function expectSuccess(method: HttpMethod, path: string, extra: { json?: unknown; query?: Record<string, string | undefined> } = {}): Promise<void> {
    const answer = await transport.call({ method, path, schema: successResponseSchema, ...extra });
    if (!answer.success) {
      throw localGraphError('graph_bad_response', { kind: 'server', retryable: false, maybeDelivered: method === 'POST', extra: 'Meta answered success: false' });
    }
  }

  async function postMessage(candidate: unknown): Promise<SendResult> {
    const body = checked(sendMessageRequestSchema, candidate);
    const answer = await transport.call({ method: 'POST', path: `${phone}/messages`, json: body, schema: sendMessageResponseSchema });
    const message = answer.messages[0];
    const contact = answer.contacts?.[0];
    return {
      wamid: message?.id ?? '',
      input: contact?.input,
      waId: contact?.wa_id,
      userId: contact?.user_id,
      messageStatus: message?.message_status,
    };
  }

  async function getMedia(mediaId: string): Promise<MediaInfo> {
    const answer = await transport.call({
      method: 'GET',
      path: encodeURIComponent(mediaId),
      // Checks the media belongs to our number before handing out its URL.
      query: { phone_number_id: options.phoneNumberId },
      schema: mediaUrlResponseSchema,
    });
    return { id: answer.id, url: answer.url, mimeType: answer.mime_type, sha256: answer.sha256, fileSize: Number(answer.file_size) };
  }

  async function listTemplatesPage(list: TemplateListOptions & { after?: string } = {}): Promise<TemplatePage> {
    const answer = await transport.call({
      method: 'GET',
      path: `${waba}/message_templates`,
      query: {
        fields: (list.fields ?? defaultTemplateFields).join(','),
        limit: list.limit,
        status: list.status,
        name: list.name,
        after: list.after,
      },
      schema: templateListResponseSchema,
    });
    // Graph leaves `next` out on the last page; `after` alone does not mean there is more.
    const after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
    return { templates: answer.data, after };
  }

  async function uploadResumable(file: { bytes: Uint8Array; mimeType: string; fileName: string }): Promise<string> {
    if (!options.appId) throw localGraphError('graph_no_app_id', { kind: 'invalid', retryable: false });
    const query = checked(uploadSessionRequestSchema, { file_name: file.fileName, file_length: file.bytes.byteLength, file_type: baseMimeType(file.mimeType) });
    const session = await transport.call({
      method: 'POST',
      path: `${encodeURIComponent(options.appId)}/uploads`,
      query,
      schema: uploadSessionResponseSchema,
    });
    // Meta's session id (`upload:<id>`, sometimes with `?sig=…`) is appended to the version as it is.
    const sessionPath = session.id;
    const send = (offset: number) =>
      transport.call({
        method: 'POST',
        path: sessionPath,
        authScheme: 'OAuth',
        headers: { file_offset: String(offset), 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array(file.bytes.subarray(offset)),
        schema: uploadHandleResponseSchema,
        timeoutMs: mediaTimeoutMs,
      });
    try {
      return (await send(0)).h;
    } catch (error) {
      // An interrupted upload resumes where Meta says it got to, once.
      if (!(error instanceof GraphError) || (error.kind !== 'network' && error.kind !== 'timeout')) throw error;
      const status = await transport.call({ method: 'GET', path: sessionPath, authScheme: 'OAuth', schema: uploadStatusResponseSchema });
      return (await send(status.file_offset)).h;
    }
  }

  return {
    version,

    async send(to, content, sendOptions) {
      return postMessage(buildSendBody(to, content, sendOptions));
    },

    async sendRequest(body, clientId) {
      return postMessage({ ...body, messaging_product: 'whatsapp', biz_opaque_callback_data: clientId });
    },

    async markRead(messageId, read = {}) {
      const body = checked(markReadRequestSchema, {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: messageId,
        ...(read.typing ? { typing_indicator: { type: 'text' } } : {}),
      });
      await expectSuccess('POST', `${phone}/messages`, { json: body });
    },

    async uploadMedia(file) {
      const type = baseMimeType(file.mimeType);
      checked(mediaUploadRequestSchema, {
        messaging_product: 'whatsapp',
        type,
        file: { size: file.bytes.byteLength, type, name: file.fileName },
      });
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', type);
      form.set('file', new Blob([new Uint8Array(file.bytes)], { type }), file.fileName);
      const answer = await transport.call({ method: 'POST', path: `${phone}/media`, body: form, schema: mediaUploadResponseSchema, timeoutMs: mediaTimeoutMs });
      return { id: answer.id };
    },

    getMedia,

    async downloadMedia(mediaId, limits) {
      let info = await getMedia(mediaId);
      if (info.fileSize > limits.maxBytes) {
        throw localGraphError('graph_media_too_large', { kind: 'invalid', retryable: false, extra: `${info.fileSize} bytes, over ${limits.maxBytes}` });
      }
      const fetchOnce = (url: string) => {
        if (!isTrustedMediaUrl(url, baseUrl)) throw localGraphError('graph_untrusted_media_url', { kind: 'invalid', retryable: false });
        return transport.download(url, { maxBytes: limits.maxBytes, timeoutMs: mediaTimeoutMs });
      };
      let file;
      try {
        file = await fetchOnce(info.url);
      } catch (error) {
        // The URL lives 5 minutes: on 404 ask for a fresh one, once (REFERENCE §9).
        if (!(error instanceof GraphError) || error.httpStatus !== 404) throw error;
        info = await getMedia(mediaId);
        file = await fetchOnce(info.url);
      }
      return { bytes: file.bytes, mimeType: info.mimeType, sha256: info.sha256 };
    },

    async deleteMedia(mediaId) {
      await expectSuccess('DELETE', encodeURIComponent(mediaId), { query: { phone_number_id: options.phoneNumberId } });
    },

    async getBusinessProfile() {
      const answer = await transport.call({
        method: 'GET',
        path: `${phone}/whatsapp_business_profile`,
        query: { fields: businessProfileFields.join(',') },
        schema: businessProfileResponseSchema,
      });
      return answer.data[0] as BusinessProfile;
    },

    async downloadProfilePhoto(url, maxBytes) {
      if (!isTrustedMediaUrl(url, baseUrl)) throw localGraphError('graph_untrusted_media_url', { kind: 'invalid', retryable: false });
      const file = await transport.download(url, { maxBytes, timeoutMs: mediaTimeoutMs });
      return { bytes: file.bytes, mimeType: (file.contentType ?? '').split(';')[0]!.trim() };
    },

    async updateBusinessProfile(update) {
      const body = checked(businessProfileUpdateRequestSchema, { messaging_product: 'whatsapp', ...update });
      await expectSuccess('POST', `${phone}/whatsapp_business_profile`, { json: body });
    },

    async getPhoneNumber() {
      return transport.call({ method: 'GET', path: phone, query: { fields: phoneNumberFields.join(',') }, schema: phoneNumberSchema });
    },

    async listPhoneNumbers() {
      const answer = await transport.call({ method: 'GET', path: `${waba}/phone_numbers`, schema: phoneNumberListResponseSchema });
      return answer.data;
    },

    async subscribeApp() {
      await expectSuccess('POST', `${waba}/subscribed_apps`);
    },

    async listSubscribedApps() {
      return (await transport.call({ method: 'GET', path: `${waba}/subscribed_apps`, schema: subscribedAppsResponseSchema })).data;
    },

    async unsubscribeApp() {
      await expectSuccess('DELETE', `${waba}/subscribed_apps`);
    },

    listTemplatesPage,

    async listTemplates(list = {}) {
      const all: MessageTemplate[] = [];
      const seen = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < (list.maxPages ?? 1000); page++) {
        const result = await listTemplatesPage({ ...list, after });
        all.push(...result.templates);
        list.onPage?.(all.length);
        // A cursor seen before would loop forever.
        if (!result.after || seen.has(result.after)) return all;
        seen.add(result.after);
        after = result.after;
      }
      return all;
    },

    async getTemplateStatus(templateId) {
      return transport.call({ method: 'GET', path: encodeURIComponent(templateId), query: { fields: 'status' }, schema: templateStatusResponseSchema });
    },

    async createTemplate(template) {
      const body = checked(templateCreateRequestSchema, template);
      return transport.call({ method: 'POST', path: `${waba}/message_templates`, json: body, schema: templateCreateResponseSchema });
    },

    async deleteTemplate(target) {
      await expectSuccess('DELETE', `${waba}/message_templates`, { query: { name: target.name, hsm_id: target.hsmId } });
    },

    uploadResumable,
  };
}
