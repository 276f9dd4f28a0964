/**
 * Message templates (PRODUCT §9): types, request schemas, channels and events. `contract.ts` spreads the channels and events into
 * the one contract.
 */
import { z } from 'zod';
import type { TemplateComponent } from '../rules/templates';
import { channel, channelNone } from './channel';
import { attachmentSchema } from './inbox';

/** A template as the archive holds it (synced from Meta, kept current by webhooks). */
export interface TemplateView {
  id: number;
  metaId: string | null;
  name: string;
  /** API form (`en_US`). */
  language: string;
  category: string;
  subCategory: string | null;
  status: string;
  quality: string | null;
  rejectionReason: string | null;
  parameterFormat: 'positional' | 'named' | null;
  components: TemplateComponent[];
  syncedAt: number | null;
  updatedAt: number;
}

export const templateListSchema = z
  .object({
    status: z.string().trim().min(1).max(40).optional(),
    category: z.string().trim().min(1).max(40).optional(),
    language: z.string().trim().min(1).max(20).optional(),
  })
  .strict()
  .optional();

const componentSchema = z.looseObject({ type: z.string().min(1).max(40) });

/** The create body in Meta's shape; Meta's rules are checked by core (`shared/rules/templates.ts`), naming the field. */
export const templateCreateSchema = z
  .object({
    definition: z.looseObject({
      name: z.string().max(600),
      language: z.string().max(20),
      category: z.string().max(40),
      parameter_format: z.enum(['named', 'positional', 'NAMED', 'POSITIONAL']).optional(),
      components: z.array(componentSchema).max(10),
    }),
    /** A media header's sample file: core uploads it (resumable upload) and sends the handle. */
    headerSample: attachmentSchema.optional(),
  })
  .strict();

export const templateDeleteSchema = z.object({ name: z.string().trim().min(1).max(512) }).strict();

export const templateSendSchema = z
  .object({
    conversationId: z.number().int().positive(),
    templateId: z.number().int().positive(),
    /** Text values by variable key (`body.1`, `header.first_name`, `button.1`, `lto.expiration`). */
    values: z.record(z.string().max(80), z.string().max(1024)).default({}),
    /** A media header's file: stored in the media store, uploaded when sent. */
    headerFile: attachmentSchema.optional(),
    headerLocation: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        name: z.string().max(1000).optional(),
        address: z.string().max(1000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface TemplateSyncResult {
  count: number;
  at: number;
}

export const templateChannels = {
  /** Templates in the archive, by name then language; deleted ones left out unless asked for by status. */
  'templates:list': channel<TemplateView[]>()(templateListSchema),
  /** Every page from the Business Account; `task:progress` with task `template-sync`. */
  'templates:sync': channel<TemplateSyncResult>()(channelNone),
  /** Validated, media sample uploaded, created at Meta; stored PENDING. */
  'templates:create': channel<TemplateView>()(templateCreateSchema),
  /** By name: every language. */
  'templates:delete': channel<{ deleted: number }>()(templateDeleteSchema),
  /** Queued through the outbox as the current staff member; allowed with the window closed. */
  'templates:send': channel<{ messageId: number }>()(templateSendSchema),
} as const;

export const templateEvents = {} as const;
