/**
 * zod schemas for the webhooks Meta posts (REFERENCE §1–§3, §8; real payloads in
 * `shared/cloud-api/fixtures/webhook-*.json` and `status-*.json`). The receiver stores raw bytes; the inbound
 * processor parses them here; the sandbox validates the webhooks it generates against the same schemas.
 *
 * Loose where Meta adds things (every object keeps unknown keys; open-ended values such as status names,
 * template events or categories are plain strings), strict on what Frontdesk relies on (ids, timestamps, the
 * content of the message types it shows). A message type or a change field we do not know is accepted as
 * "unknown" and kept, never refused (PRODUCT §14); a known type missing what we rely on is refused.
 */
import { z } from 'zod';

/**
 * A discriminated union open to new types: a known `type` is checked by its own schema (precise issues
 * when what we rely on is missing), any other by `other`. zod's union would report the fallback's
 * complaint instead of the real one.
 */
function dispatch<K extends z.ZodType, O extends z.ZodType>(known: ReadonlySet<string>, knownSchema: K, other: O) {
  return z.looseObject({ type: z.string() }).transform((value, ctx): z.output<K> | z.output<O> => {
    const result = (known.has(value.type) ? knownSchema : other).safeParse(value);
    if (result.success) return result.data as z.output<K> | z.output<O>;
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as (typeof ctx.issues)[number]);
    return z.NEVER;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Pieces shared by several webhooks

/** Unix seconds as a digit string: how messages and statuses carry `timestamp`. */
export const unixSecondsString = z.string().regex(/^\d{1,12}$/, 'expected Unix seconds as a digit string');
/** Unix seconds as a JSON number (`entry[].time`, `user_preferences[].timestamp`); strings tolerated. */
const unixSecondsLoose = z.union([z.number().int().nonnegative(), unixSecondsString]);
/** Template ids are JSON numbers in webhooks and strings in the API (REFERENCE §12): both accepted. */
const templateId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]);

export const webhookErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WebhookError = z.infer<typeof webhookErrorSchema>;

export const webhookMetadataSchema = z.looseObject({
  display_phone_number: z.string(),
  phone_number_id: z.string().min(1),
});

/**
 * `value.contacts[]`: who a message came from or a status went to. Since 2026 `user_id` (BSUID) is the
 * stable key; `wa_id` is omitted for users with a username who have not shared their number (§2.4).
 */
export const webhookContactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
  identity_key_hash: z.string().optional(),
});
export type WebhookContact = z.infer<typeof webhookContactSchema>;

// ---------------------------------------------------------------------------------------------------------
// Inbound messages (REFERENCE §2)

export const messageContextSchema = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z.looseObject({ catalog_id: z.string(), product_retailer_id: z.string() }).optional(),
});

/** Click-to-WhatsApp ad referral: kept whole in the message payload, nothing relied on. */
export const messageReferralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  body: z.string().optional(),
  headline: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
  welcome_message: z.looseObject({ text: z.string().optional() }).optional(),
});

const messageBase = {
  id: z.string().min(1),
  timestamp: unixSecondsString,
  /** The user's phone number; omitted for username users (§2.4). */
  from: z.string().min(1).optional(),
  from_user_id: z.string().min(1).optional(),
  from_parent_user_id: z.string().min(1).optional(),
  /** Groups API: the message was posted in a group. */
  group_id: z.string().min(1).optional(),
  context: messageContextSchema.optional(),
  referral: messageReferralSchema.optional(),
  errors: z.array(webhookErrorSchema).optional(),
};

/** Media objects: `id` is what the download needs; `url` is being rolled out and optional (§2.2). */
const mediaFields = {
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  url: z.string().optional(),
};

export const textContentSchema = z.looseObject({ body: z.string() });
export const imageContentSchema = z.looseObject({ ...mediaFields, caption: z.string().optional() });
export const videoContentSchema = z.looseObject({ ...mediaFields, caption: z.string().optional() });
export const audioContentSchema = z.looseObject({ ...mediaFields, voice: z.boolean().optional() });
export const documentContentSchema = z.looseObject({ ...mediaFields, caption: z.string().optional(), filename: z.string().optional() });
export const stickerContentSchema = z.looseObject({ ...mediaFields, animated: z.boolean().optional() });
export const locationContentSchema = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});
export const sharedContactSchema = z.looseObject({
  name: z.looseObject({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
  org: z.looseObject({ company: z.string().optional() }).optional(),
  phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() })).optional(),
  emails: z.array(z.looseObject({ email: z.string().optional() })).optional(),
});
export const buttonContentSchema = z.looseObject({ text: z.string(), payload: z.string().optional() });
export const reactionContentSchema = z.looseObject({
  message_id: z.string().min(1),
  /** Omitted (or empty) when the user removed the reaction. */
  emoji: z.string().optional(),
});
export const orderContentSchema = z.looseObject({
  catalog_id: z.string(),
  text: z.string().optional(),
  product_items: z.array(
    z.looseObject({ product_retailer_id: z.string(), quantity: z.number(), item_price: z.number(), currency: z.string() }),
  ),
});
export const systemContentSchema = z.looseObject({
  body: z.string().optional(),
  /** `user_changed_number`, or others Meta may add: open-ended. */
  type: z.string().optional(),
  /** The new number (user_changed_number). */
  wa_id: z.string().min(1).optional(),
  /** The new BSUID, when the change gave the user one. */
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
});
export const unsupportedContentSchema = z.looseObject({ type: z.string().optional() });
export const revokeContentSchema = z.looseObject({ original_message_id: z.string().min(1) });
/** The edited message as it now reads: its own `type` and content object, like a message without envelope. */
export const editContentSchema = z.looseObject({
  original_message_id: z.string().min(1),
  message: z.looseObject({ type: z.string().min(1), context: messageContextSchema.optional() }),
});

const interactiveKnownSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('button_reply'), button_reply: z.looseObject({ id: z.string(), title: z.string() }) }),
  z.looseObject({
    type: z.literal('list_reply'),
    list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
  }),
  // Flows and address messages: `response_json` is a JSON-encoded string (§2.2).
  z.looseObject({
    type: z.literal('nfm_reply'),
    nfm_reply: z.looseObject({ name: z.string().optional(), body: z.string().optional(), response_json: z.string().optional() }),
  }),
]);
const interactiveKnownTypes: ReadonlySet<string> = new Set(['button_reply', 'list_reply', 'nfm_reply']);
/** Interactive replies of a sub-type not listed here (call_permission_reply, anything new) are kept as they are. */
const interactiveOtherSchema = z.looseObject({ type: z.string().min(1) });
export const interactiveContentSchema = dispatch(interactiveKnownTypes, interactiveKnownSchema, interactiveOtherSchema);

const message = <T extends string, C extends z.ZodType>(type: T, content: C) =>
  z.looseObject({ ...messageBase, type: z.literal(type), [type]: content } as typeof messageBase & { type: z.ZodLiteral<T> } & Record<T, C>);

export const textMessageSchema = message('text', textContentSchema);
export const imageMessageSchema = message('image', imageContentSchema);
export const videoMessageSchema = message('video', videoContentSchema);
export const audioMessageSchema = message('audio', audioContentSchema);
export const documentMessageSchema = message('document', documentContentSchema);
export const stickerMessageSchema = message('sticker', stickerContentSchema);
export const locationMessageSchema = message('location', locationContentSchema);
export const contactsMessageSchema = message('contacts', z.array(sharedContactSchema));
export const interactiveMessageSchema = message('interactive', interactiveContentSchema);
export const buttonMessageSchema = message('button', buttonContentSchema);
export const reactionMessageSchema = message('reaction', reactionContentSchema);
export const orderMessageSchema = message('order', orderContentSchema);
export const systemMessageSchema = message('system', systemContentSchema);
export const unsupportedMessageSchema = message('unsupported', unsupportedContentSchema);
export const editMessageSchema = message('edit', editContentSchema);
export const revokeMessageSchema = message('revoke', revokeContentSchema);

const knownMessageSchema = z.discriminatedUnion('type', [
  textMessageSchema,
  imageMessageSchema,
  videoMessageSchema,
  audioMessageSchema,
  documentMessageSchema,
  stickerMessageSchema,
  locationMessageSchema,
  contactsMessageSchema,
  interactiveMessageSchema,
  buttonMessageSchema,
  reactionMessageSchema,
  orderMessageSchema,
  systemMessageSchema,
  unsupportedMessageSchema,
  editMessageSchema,
  revokeMessageSchema,
]);
export type KnownInboundMessage = z.infer<typeof knownMessageSchema>;
export type KnownMessageType = KnownInboundMessage['type'];

export const knownMessageTypes: ReadonlySet<string> = new Set<KnownMessageType>([
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button',
  'reaction', 'order', 'system', 'unsupported', 'edit', 'revoke',
]);

/**
 * A type Frontdesk has no schema for (Meta's own `unknown`, `poll`, anything new): the envelope is still
 * checked and the message is stored with its type and whole payload, shown as such.
 */
const otherMessageSchema = z.looseObject({ ...messageBase, type: z.string().min(1).max(64) });
export type OtherInboundMessage = z.infer<typeof otherMessageSchema>;

export const inboundMessageSchema = dispatch(knownMessageTypes, knownMessageSchema, otherMessageSchema).refine(
  (m) => m.from !== undefined || m.from_user_id !== undefined,
  'a message names its sender (from or from_user_id)',
);
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export function isKnownMessage(m: InboundMessage): m is KnownInboundMessage {
  return knownMessageTypes.has(m.type);
}

// ---------------------------------------------------------------------------------------------------------
// Statuses of outbound messages (REFERENCE §3)

/** Status values whose meaning Frontdesk applies; anything else is stored and left unapplied. */
export const knownStatusValues = ['sent', 'delivered', 'read', 'played', 'failed'] as const;
export type KnownStatusValue = (typeof knownStatusValues)[number];

export const messageStatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixSecondsString,
  recipient_id: z.string().min(1).optional(),
  recipient_user_id: z.string().min(1).optional(),
  recipient_parent_user_id: z.string().min(1).optional(),
  recipient_type: z.string().optional(),
  recipient_participant_id: z.string().optional(),
  recipient_identity_key_hash: z.string().optional(),
  /** Echo of what we sent as `biz_opaque_callback_data`: our client id. */
  biz_opaque_callback_data: z.string().optional(),
  // Omitted on v24.0+ (except free entry points) and on most delivered/read webhooks.
  conversation: z
    .looseObject({
      id: z.string().optional(),
      expiration_timestamp: unixSecondsString.optional(),
      origin: z.looseObject({ type: z.string().optional() }).optional(),
    })
    .optional(),
  pricing: z
    .looseObject({
      billable: z.boolean().optional(),
      pricing_model: z.string().optional(),
      type: z.string().optional(),
      category: z.string().optional(),
    })
    .optional(),
  errors: z.array(webhookErrorSchema).optional(),
});
export type MessageStatusEvent = z.infer<typeof messageStatusSchema>;

// ---------------------------------------------------------------------------------------------------------
// Change values, per `field` (REFERENCE §1.5)

export const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: webhookMetadataSchema,
  contacts: z.array(webhookContactSchema).optional(),
  messages: z.array(inboundMessageSchema).optional(),
  statuses: z.array(messageStatusSchema).optional(),
  /** Errors not tied to one message (e.g. 130429 rate limit hit). */
  errors: z.array(webhookErrorSchema).optional(),
});
export type MessagesValue = z.infer<typeof messagesValueSchema>;

export const userPreferenceSchema = z.looseObject({
  wa_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
  detail: z.string().optional(),
  /** `marketing_messages` today; open-ended. */
  category: z.string().min(1),
  /** `stop` or `resume` for marketing messages; open-ended. */
  value: z.string().min(1),
  timestamp: unixSecondsLoose,
});
export const userPreferencesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: webhookMetadataSchema,
  contacts: z.array(webhookContactSchema).optional(),
  user_preferences: z.array(userPreferenceSchema),
});
export type UserPreferencesValue = z.infer<typeof userPreferencesValueSchema>;

const templateIdentity = {
  message_template_id: templateId,
  message_template_name: z.string().min(1),
  /** `en-US` form in webhooks, `en_US` in the API (§8). */
  message_template_language: z.string().min(1),
};

export const templateStatusUpdateValueSchema = z.looseObject({
  ...templateIdentity,
  /** APPROVED, REJECTED, PAUSED, … and webhook-only events (FLAGGED, REINSTATED, …): open-ended. */
  event: z.string().min(1),
  reason: z.string().nullable().optional(),
  message_template_category: z.string().optional(),
  disable_info: z.looseObject({ disable_date: z.union([z.string(), z.number()]).optional() }).optional(),
  other_info: z.looseObject({ title: z.string().optional(), description: z.string().optional() }).optional(),
  rejection_info: z.looseObject({ reason: z.string().optional(), recommendation: z.string().optional() }).optional(),
});
export type TemplateStatusUpdateValue = z.infer<typeof templateStatusUpdateValueSchema>;

export const templateQualityUpdateValueSchema = z.looseObject({
  ...templateIdentity,
  previous_quality_score: z.string().optional(),
  new_quality_score: z.string().min(1),
});
export type TemplateQualityUpdateValue = z.infer<typeof templateQualityUpdateValueSchema>;

/**
 * Two shapes under one field: an impending change (`new_category` is the CURRENT category,
 * `correct_category` takes effect at `category_update_timestamp`) and a completed one (`previous_category`
 * → `new_category`).
 */
export const templateCategoryUpdateValueSchema = z.looseObject({
  ...templateIdentity,
  new_category: z.string().min(1),
  previous_category: z.string().optional(),
  correct_category: z.string().optional(),
  category_update_timestamp: unixSecondsLoose.optional(),
});
export type TemplateCategoryUpdateValue = z.infer<typeof templateCategoryUpdateValueSchema>;

export const phoneNumberQualityUpdateValueSchema = z.looseObject({
  display_phone_number: z.string(),
  /** THROUGHPUT_UPGRADE, FLAGGED, UPGRADE, DOWNGRADE, …: open-ended. */
  event: z.string().min(1),
  // `current_limit` is being replaced by `max_daily_conversations_per_business` (§12): accept both.
  current_limit: z.string().optional(),
  old_limit: z.string().optional(),
  max_daily_conversations_per_business: z.union([z.string(), z.number()]).optional(),
});
export type PhoneNumberQualityUpdateValue = z.infer<typeof phoneNumberQualityUpdateValueSchema>;

export const accountAlertsValueSchema = z.looseObject({
  entity_type: z.string().min(1),
  entity_id: z.string().min(1),
  alert_info: z.looseObject({
    alert_severity: z.string().min(1),
    alert_status: z.string().min(1),
    alert_type: z.string().min(1),
    alert_description: z.string().optional(),
  }),
});
export type AccountAlertsValue = z.infer<typeof accountAlertsValueSchema>;

/** The change fields Frontdesk acts on, each with the schema of its `value`. */
export const changeValueSchemas = {
  messages: messagesValueSchema,
  user_preferences: userPreferencesValueSchema,
  message_template_status_update: templateStatusUpdateValueSchema,
  message_template_quality_update: templateQualityUpdateValueSchema,
  template_category_update: templateCategoryUpdateValueSchema,
  phone_number_quality_update: phoneNumberQualityUpdateValueSchema,
  account_alerts: accountAlertsValueSchema,
} as const;
export type KnownChangeField = keyof typeof changeValueSchemas;

// ---------------------------------------------------------------------------------------------------------
// The envelope

export const webhookChangeSchema = z.looseObject({ field: z.string().min(1), value: z.looseObject({}) });

export const webhookEntrySchema = z.looseObject({
  /** The WhatsApp Business Account id. */
  id: z.string().min(1),
  /** Unix seconds; present on account and template webhooks, absent on `messages`. */
  time: z.number().int().nonnegative().optional(),
  changes: z.array(webhookChangeSchema),
});

export const webhookEnvelopeSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(webhookEntrySchema),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

export type ParsedChange = {
  [F in KnownChangeField]: { field: F; known: true; wabaId: string; time: number | null; value: z.infer<(typeof changeValueSchemas)[F]> };
}[KnownChangeField];

/** A change field Frontdesk does not act on: accepted and left in the inbox (the raw body is kept there). */
export interface UnknownChange {
  field: string;
  known: false;
  wabaId: string;
  time: number | null;
  value: Record<string, unknown>;
}

export type WebhookParseResult =
  | { ok: true; changes: Array<ParsedChange | UnknownChange> }
  | { ok: false; code: 'invalid_json' | 'invalid_webhook'; reason: string };

function isKnownField(field: string): field is KnownChangeField {
  return Object.hasOwn(changeValueSchemas, field);
}

/** At most a few issues, with their paths: stored as the inbox row's error, never with customer content. */
export function describeIssues(error: z.ZodError, prefix: string): string {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return issues.join('; ') + more;
}

/**
 * JSON.parse keeping integers too large for a double as their source text (template ids are JSON numbers of
 * 15–16 digits; one day they may pass 2^53). Node ≥ 21 passes the source text to the reviver.
 */
function parseJson(text: string): unknown {
  return JSON.parse(text, function revive(_key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) return context.source;
    return value;
  });
}

/**
 * Parses a raw webhook body: JSON, then the envelope, then each change's value by its field. Any invalid
 * part of a known field refuses the whole body (it stays in the inbox with the reason); unknown fields and
 * unknown message types pass.
 */
export function parseWebhookBody(body: Buffer | Uint8Array | string): WebhookParseResult {
  let json: unknown;
  try {
    json = parseJson(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'invalid_json', reason: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const envelope = webhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, code: 'invalid_webhook', reason: describeIssues(envelope.error, '') };

  const changes: Array<ParsedChange | UnknownChange> = [];
  for (const [e, entry] of envelope.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      const time = entry.time ?? null;
      if (!isKnownField(change.field)) {
        changes.push({ field: change.field, known: false, wabaId: entry.id, time, value: change.value });
        continue;
      }
      const parsed = changeValueSchemas[change.field].safeParse(change.value);
      if (!parsed.success) {
        return { ok: false, code: 'invalid_webhook', reason: `${change.field}: ${describeIssues(parsed.error, `entry.${e}.changes.${c}.value`)}` };
      }
      changes.push({ field: change.field, known: true, wabaId: entry.id, time, value: parsed.data } as ParsedChange);
    }
  }
  return { ok: true, changes };
}
