/**
 * The body of `POST /{phone-number-id}/messages` for every message type we send (REFERENCE §4, fixtures
 * `send-request-*.json`), with Meta's documented limits. Strict objects: an unknown key is refused here
 * rather than ignored or refused at Meta.
 */
import { z } from 'zod';

const mediaRefShape = { id: z.string().min(1).optional(), link: z.url({ protocol: /^https$/ }).optional() };

function oneOfIdOrLink(value: { id?: string; link?: string }, ctx: z.RefinementCtx): void {
  if ((value.id === undefined) === (value.link === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'Give exactly one of id (an uploaded media id) or link (an https URL)' });
  }
}

const caption = z.string().max(1024);

const imageSchema = z.strictObject({ ...mediaRefShape, caption: caption.optional() }).superRefine(oneOfIdOrLink);
const videoSchema = z.strictObject({ ...mediaRefShape, caption: caption.optional() }).superRefine(oneOfIdOrLink);
const documentSchema = z.strictObject({ ...mediaRefShape, caption: caption.optional(), filename: z.string().min(1).max(240).optional() }).superRefine(oneOfIdOrLink);
const audioSchema = z.strictObject({ ...mediaRefShape, voice: z.boolean().optional() }).superRefine(oneOfIdOrLink);
const stickerSchema = z.strictObject({ ...mediaRefShape }).superRefine(oneOfIdOrLink);

// Meta's own example sends coordinates as strings; the reference says numbers. Both are accepted.
const coordinate = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);

const locationSchema = z.strictObject({
  latitude: coordinate,
  longitude: coordinate,
  name: z.string().optional(),
  address: z.string().optional(),
});

const contactCardSchema = z.strictObject({
  name: z.strictObject({
    formatted_name: z.string().min(1),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    middle_name: z.string().optional(),
    suffix: z.string().optional(),
    prefix: z.string().optional(),
  }),
  phones: z.array(z.strictObject({ phone: z.string().optional(), type: z.string().optional(), wa_id: z.string().optional() })).optional(),
  emails: z.array(z.strictObject({ email: z.string().optional(), type: z.string().optional() })).optional(),
  addresses: z
    .array(
      z.strictObject({
        street: z.string().optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        zip: z.string().optional(),
        country: z.string().optional(),
        country_code: z.string().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
  org: z.strictObject({ company: z.string().optional(), department: z.string().optional(), title: z.string().optional() }).optional(),
  urls: z.array(z.strictObject({ url: z.string().optional(), type: z.string().optional() })).optional(),
  birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export type ContactCard = z.infer<typeof contactCardSchema>;

const reactionSchema = z.strictObject({
  message_id: z.string().min(1),
  // An empty string removes an earlier reaction.
  emoji: z.string(),
});

const textSchema = z.strictObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() });

// Interactive messages -----------------------------------------------------------------------------------

const mediaRefSchema = z.strictObject({ ...mediaRefShape }).superRefine(oneOfIdOrLink);

const interactiveHeaderSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(60) }),
  z.strictObject({ type: z.literal('image'), image: mediaRefSchema }),
  z.strictObject({ type: z.literal('video'), video: mediaRefSchema }),
  z.strictObject({ type: z.literal('document'), document: mediaRefSchema }),
]);

const footerSchema = z.strictObject({ text: z.string().min(1).max(60) });

const buttonInteractiveSchema = z.strictObject({
  type: z.literal('button'),
  header: interactiveHeaderSchema.optional(),
  body: z.strictObject({ text: z.string().min(1).max(1024) }),
  footer: footerSchema.optional(),
  action: z.strictObject({
    buttons: z
      .array(z.strictObject({ type: z.literal('reply'), reply: z.strictObject({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }) }))
      .min(1)
      .max(3)
      .superRefine((buttons, ctx) => {
        if (new Set(buttons.map((b) => b.reply.id)).size !== buttons.length) ctx.addIssue({ code: 'custom', message: 'Button ids must be unique' });
        if (new Set(buttons.map((b) => b.reply.title)).size !== buttons.length) ctx.addIssue({ code: 'custom', message: 'Button titles must be unique' });
      }),
  }),
});

const listInteractiveSchema = z.strictObject({
  type: z.literal('list'),
  header: z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(60) }).optional(),
  body: z.strictObject({ text: z.string().min(1).max(4096) }),
  footer: footerSchema.optional(),
  action: z
    .strictObject({
      button: z.string().min(1).max(20),
      sections: z
        .array(
          z.strictObject({
            title: z.string().min(1).max(24).optional(),
            rows: z.array(z.strictObject({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().max(72).optional() })).min(1),
          }),
        )
        .min(1)
        .max(10),
    })
    .superRefine((action, ctx) => {
      const rows = action.sections.flatMap((s) => s.rows);
      if (rows.length > 10) ctx.addIssue({ code: 'custom', path: ['sections'], message: 'A list has at most 10 rows in all' });
      if (new Set(rows.map((r) => r.id)).size !== rows.length) ctx.addIssue({ code: 'custom', path: ['sections'], message: 'Row ids must be unique' });
      if (action.sections.length > 1 && action.sections.some((s) => !s.title)) {
        ctx.addIssue({ code: 'custom', path: ['sections'], message: 'Every section needs a title when there are several' });
      }
    }),
});

const ctaUrlInteractiveSchema = z.strictObject({
  type: z.literal('cta_url'),
  header: interactiveHeaderSchema.optional(),
  body: z.strictObject({ text: z.string().min(1).max(1024) }),
  footer: footerSchema.optional(),
  action: z.strictObject({
    name: z.literal('cta_url'),
    parameters: z.strictObject({ display_text: z.string().min(1), url: z.url({ protocol: /^https?$/ }) }),
  }),
});

const interactiveSchema = z.discriminatedUnion('type', [buttonInteractiveSchema, listInteractiveSchema, ctaUrlInteractiveSchema]);

// Templates (REFERENCE §8 "Send") -------------------------------------------------------------------------

const templateTextParam = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  // Named-parameter templates name each value; positional ones leave it out.
  parameter_name: z.string().regex(/^[a-z0-9_]+$/).optional(),
});

const templateParameterSchema = z.discriminatedUnion('type', [
  templateTextParam,
  z.strictObject({ type: z.literal('image'), image: mediaRefSchema }),
  z.strictObject({ type: z.literal('video'), video: mediaRefSchema }),
  z.strictObject({
    type: z.literal('document'),
    document: z.strictObject({ ...mediaRefShape, filename: z.string().min(1).optional() }).superRefine(oneOfIdOrLink),
  }),
  z.strictObject({ type: z.literal('location'), location: locationSchema }),
  z.strictObject({ type: z.literal('currency'), currency: z.strictObject({ fallback_value: z.string(), code: z.string().length(3), amount_1000: z.number().int() }), parameter_name: z.string().optional() }),
  z.strictObject({ type: z.literal('date_time'), date_time: z.strictObject({ fallback_value: z.string() }), parameter_name: z.string().optional() }),
  z.strictObject({ type: z.literal('payload'), payload: z.string().min(1) }),
  z.strictObject({ type: z.literal('coupon_code'), coupon_code: z.string().min(1).max(20) }),
  z.strictObject({ type: z.literal('limited_time_offer'), limited_time_offer: z.strictObject({ expiration_time_ms: z.number().int() }) }),
]);

const templateComponentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), parameters: z.array(templateParameterSchema).min(1).max(1) }),
  z.strictObject({ type: z.literal('body'), parameters: z.array(templateParameterSchema).min(1) }),
  z.strictObject({
    type: z.literal('button'),
    sub_type: z.enum(['quick_reply', 'url', 'copy_code', 'flow', 'catalog', 'mpm', 'voice_call']),
    index: z.union([z.number().int().min(0).max(9), z.string().regex(/^\d$/)]),
    parameters: z.array(templateParameterSchema).min(1),
  }),
  z.strictObject({ type: z.literal('limited_time_offer'), parameters: z.array(templateParameterSchema).min(1) }),
]);

const templateSchema = z.strictObject({
  name: z.string().min(1).max(512),
  language: z.strictObject({ code: z.string().min(2), policy: z.literal('deterministic').optional() }),
  components: z.array(templateComponentSchema).optional(),
});

// The whole body ----------------------------------------------------------------------------------------

const common = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.enum(['individual', 'group']).optional(),
  /** A phone number (with `+` and country code) or a group id. */
  to: z.string().min(1).optional(),
  /** A business-scoped user id (BSUID), for contacts known only by username. */
  recipient: z.string().min(1).optional(),
  context: z.strictObject({ message_id: z.string().min(1) }).optional(),
  /** Our client id: status webhooks echo it back, which is how an unknown outcome is reconciled. */
  biz_opaque_callback_data: z.string().min(1).max(512).optional(),
};

export const sendMessageRequestSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ ...common, type: z.literal('text'), text: textSchema }),
    z.strictObject({ ...common, type: z.literal('image'), image: imageSchema }),
    z.strictObject({ ...common, type: z.literal('video'), video: videoSchema }),
    z.strictObject({ ...common, type: z.literal('audio'), audio: audioSchema }),
    z.strictObject({ ...common, type: z.literal('document'), document: documentSchema }),
    z.strictObject({ ...common, type: z.literal('sticker'), sticker: stickerSchema }),
    z.strictObject({ ...common, type: z.literal('location'), location: locationSchema }),
    z.strictObject({ ...common, type: z.literal('contacts'), contacts: z.array(contactCardSchema).min(1) }),
    z.strictObject({ ...common, type: z.literal('interactive'), interactive: interactiveSchema }),
    z.strictObject({ ...common, type: z.literal('reaction'), reaction: reactionSchema }),
    z.strictObject({ ...common, type: z.literal('template'), template: templateSchema }),
  ])
  .superRefine((body, ctx) => {
    if (body.to === undefined && body.recipient === undefined) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'A message needs a recipient: to (phone number) or recipient (user id)' });
    }
    if (body.type === 'reaction' && body.context) {
      ctx.addIssue({ code: 'custom', path: ['context'], message: 'A reaction cannot be a reply' });
    }
  });
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;
export type SendMessageType = SendMessageRequest['type'];
