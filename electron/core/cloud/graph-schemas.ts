/**
 * zod schemas for the Graph API: Meta's responses (loose — Meta adds fields, and an answer with extra fields
 * is still the answer) and the request bodies we build (strict — a misspelt key must fail here, not at
 * Meta). The sandbox validates what it receives with the same request schemas, so a test against the
 * sandbox proves the client's requests are ones Meta accepts. Shapes and limits: REFERENCE §4–§10 and the
 * fixtures in `shared/cloud-api/fixtures/`.
 *
 * Message bodies live in graph-send-schemas.ts and template creation in graph-template-schemas.ts.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------
// Errors (REFERENCE §5)

export const graphErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int(),
    // Documented as gone since v16, yet Meta's own example has one: optional.
    error_subcode: z.number().int().optional(),
    error_data: z.looseObject({ messaging_product: z.string().optional(), details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
    is_transient: z.boolean().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;

// ---------------------------------------------------------------------------------------------------------
// Sending (REFERENCE §4)

export const sendMessageResponseSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  // Absent for group sends; `wa_id` absent when sent to a BSUID (`user_id` instead).
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string().optional(), user_id: z.string().optional() })).optional(),
  messages: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        message_status: z.string().optional(), // accepted | held_for_quality_assessment (template pacing)
        group_id: z.string().optional(),
      }),
    )
    .min(1),
});
export type SendMessageResponse = z.infer<typeof sendMessageResponseSchema>;

export const successResponseSchema = z.looseObject({ success: z.boolean() });

export const markReadRequestSchema = z.strictObject({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().min(1),
  typing_indicator: z.strictObject({ type: z.literal('text') }).optional(),
});
export type MarkReadRequest = z.infer<typeof markReadRequestSchema>;

// ---------------------------------------------------------------------------------------------------------
// Media (REFERENCE §9)

const mebibyte = 1024 * 1024;

/** Meta's accepted upload types and their size limits, by MIME type without parameters. */
export const mediaLimits: Readonly<Record<string, { category: 'audio' | 'document' | 'image' | 'sticker' | 'video'; maxBytes: number }>> = {
  'audio/aac': { category: 'audio', maxBytes: 16 * mebibyte },
  'audio/amr': { category: 'audio', maxBytes: 16 * mebibyte },
  'audio/mpeg': { category: 'audio', maxBytes: 16 * mebibyte },
  'audio/mp4': { category: 'audio', maxBytes: 16 * mebibyte },
  'audio/ogg': { category: 'audio', maxBytes: 16 * mebibyte },
  'text/plain': { category: 'document', maxBytes: 100 * mebibyte },
  'application/pdf': { category: 'document', maxBytes: 100 * mebibyte },
  'application/msword': { category: 'document', maxBytes: 100 * mebibyte },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { category: 'document', maxBytes: 100 * mebibyte },
  'application/vnd.ms-excel': { category: 'document', maxBytes: 100 * mebibyte },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { category: 'document', maxBytes: 100 * mebibyte },
  'application/vnd.ms-powerpoint': { category: 'document', maxBytes: 100 * mebibyte },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { category: 'document', maxBytes: 100 * mebibyte },
  'image/jpeg': { category: 'image', maxBytes: 5 * mebibyte },
  'image/png': { category: 'image', maxBytes: 5 * mebibyte },
  // 100 KB static, 500 KB animated: the type alone cannot tell which, so the larger cap.
  'image/webp': { category: 'sticker', maxBytes: 500 * 1024 },
  'video/mp4': { category: 'video', maxBytes: 16 * mebibyte },
  'video/3gpp': { category: 'video', maxBytes: 16 * mebibyte },
};

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** The form fields of `POST /{phone-number-id}/media` (the file itself described by type and size). */
export const mediaUploadRequestSchema = z
  .strictObject({
    messaging_product: z.literal('whatsapp'),
    type: z.string().min(1),
    file: z.strictObject({ size: z.number().int().min(1), type: z.string(), name: z.string().min(1) }),
  })
  .superRefine((value, ctx) => {
    const limit = mediaLimits[baseMimeType(value.file.type || value.type)];
    if (!limit) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: `WhatsApp does not accept ${value.type} files` });
    } else if (value.file.size > limit.maxBytes) {
      ctx.addIssue({ code: 'custom', path: ['file'], message: `${limit.category} files may be at most ${formatBytes(limit.maxBytes)}` });
    }
  });

export function formatBytes(bytes: number): string {
  return bytes >= mebibyte ? `${Math.round(bytes / mebibyte)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export const mediaUploadResponseSchema = z.looseObject({ id: z.string().min(1) });

export const mediaUrlResponseSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  url: z.string().min(1),
  mime_type: z.string(),
  sha256: z.string(),
  // A string in Meta's example ("303833"); accept a number too and read both as a count.
  file_size: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
  id: z.string().min(1),
});
export type MediaUrlResponse = z.infer<typeof mediaUrlResponseSchema>;

// ---------------------------------------------------------------------------------------------------------
// Resumable upload API (Graph: POST /{app-id}/uploads, then POST /upload:{session} → handle)

/** The types the resumable upload API takes. */
export const resumableUploadTypes = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'] as const;

export const uploadSessionRequestSchema = z.strictObject({
  file_name: z.string().min(1),
  file_length: z.coerce.number().int().min(1),
  file_type: z.enum(resumableUploadTypes),
});

// No slash, so the id cannot steer the next request to another endpoint.
export const uploadSessionResponseSchema = z.looseObject({ id: z.string().regex(/^upload:[^/\s#]+$/) });
export const uploadHandleResponseSchema = z.looseObject({ h: z.string().min(1) });
export const uploadStatusResponseSchema = z.looseObject({ id: z.string(), file_offset: z.coerce.number().int().nonnegative() });

// ---------------------------------------------------------------------------------------------------------
// Business profile (REFERENCE §7)

/** Values POST accepts; GET may also show UNDEFINED or NOT_A_BIZ (and Meta's docs a placeholder). */
export const settableVerticals = [
  'ALCOHOL', 'APPAREL', 'AUTO', 'BEAUTY', 'EDU', 'ENTERTAIN', 'EVENT_PLAN', 'FINANCE', 'GOVT', 'GROCERY', 'HEALTH',
  'HOTEL', 'NONPROFIT', 'ONLINE_GAMBLING', 'OTC_DRUGS', 'OTHER', 'PHYSICAL_GAMBLING', 'PROF_SERVICES', 'RESTAURANT',
  'RETAIL', 'TRAVEL',
] as const;

export const businessProfileFields = ['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical'] as const;

export const businessProfileSchema = z.looseObject({
  about: z.string().optional(),
  address: z.string().optional(),
  description: z.string().optional(),
  email: z.string().optional(),
  profile_picture_url: z.string().optional(),
  websites: z.array(z.string()).optional(),
  vertical: z.string().optional(),
  messaging_product: z.literal('whatsapp'),
});
export type BusinessProfile = z.infer<typeof businessProfileSchema>;

export const businessProfileResponseSchema = z.looseObject({ data: z.array(businessProfileSchema).min(1) });

export const businessProfileUpdateRequestSchema = z.strictObject({
  messaging_product: z.literal('whatsapp'),
  about: z.string().min(1).max(139).optional(),
  address: z.string().max(256).optional(),
  description: z.string().max(512).optional(),
  email: z.email().max(128).optional(),
  // An array (the reference schema); the guide's example sends a JSON-encoded string, which we never do.
  websites: z
    .array(z.string().max(256).regex(/^https?:\/\/\S+$/i, 'A website must start with http:// or https://'))
    .max(2)
    .optional(),
  vertical: z.union([z.literal(''), z.enum(settableVerticals)]).optional(),
  profile_picture_handle: z.string().min(1).optional(),
});
export type BusinessProfileUpdateRequest = z.infer<typeof businessProfileUpdateRequestSchema>;

// ---------------------------------------------------------------------------------------------------------
// Phone numbers (REFERENCE §10)

export const phoneNumberSchema = z.looseObject({
  id: z.string().min(1),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(), // GREEN | YELLOW | RED | NA | UNKNOWN
  code_verification_status: z.string().optional(),
  name_status: z.string().optional(),
  status: z.string().optional(),
  whatsapp_business_manager_messaging_limit: z.string().optional(),
  throughput: z.looseObject({ level: z.string().optional() }).optional(),
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

const pagingSchema = z.looseObject({
  cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
  next: z.string().optional(),
  previous: z.string().optional(),
});

export const phoneNumberListResponseSchema = z.looseObject({ data: z.array(phoneNumberSchema), paging: pagingSchema.optional() });

// ---------------------------------------------------------------------------------------------------------
// subscribed_apps on the WABA (REFERENCE §1.1). Not among the fixtures: the Graph reference's
// WhatsAppBusinessApiData node (id, name, link) under `whatsapp_business_api_data`.

export const subscribedAppsResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      whatsapp_business_api_data: z.looseObject({ id: z.string().optional(), name: z.string().optional(), link: z.string().optional() }).optional(),
      override_callback_uri: z.string().optional(),
    }),
  ),
  paging: pagingSchema.optional(),
});
export type SubscribedApps = z.infer<typeof subscribedAppsResponseSchema>;

// ---------------------------------------------------------------------------------------------------------
// Templates (REFERENCE §8): responses. Creation requests: graph-template-schemas.ts.

export const templateStatuses = [
  'APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'ARCHIVED', 'LIMIT_EXCEEDED',
] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

export const templateComponentSchema = z.looseObject({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  example: z.looseObject({}).optional(),
  buttons: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
});

export const messageTemplateSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  language: z.string().optional(),
  // A string, not an enum: an unknown new status must not make the whole list unreadable.
  status: z.string().optional(),
  category: z.string().optional(),
  sub_category: z.string().optional(),
  parameter_format: z.string().optional(),
  components: z.array(templateComponentSchema).optional(),
  quality_score: z.looseObject({ score: z.string().optional() }).optional(),
  rejected_reason: z.string().optional(),
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

export const templateListResponseSchema = z.looseObject({ data: z.array(messageTemplateSchema), paging: pagingSchema.optional() });
export type TemplateListResponse = z.infer<typeof templateListResponseSchema>;

export const templateCreateResponseSchema = z.looseObject({ id: z.string().min(1), status: z.string(), category: z.string().optional() });
export type TemplateCreateResponse = z.infer<typeof templateCreateResponseSchema>;

export const templateStatusResponseSchema = z.looseObject({ id: z.string().min(1), status: z.string() });
