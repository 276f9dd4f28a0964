import { z } from 'zod';
import { maxQuickReplyText, problemMessage, quickReplyProblems } from '../rules/quick-replies';
import { channel, channelNone } from './channel';
import { attachmentSchema } from './inbox';

/**
 * Quick replies (PRODUCT §7): types, request schemas, channels and events. `contract.ts` spreads the channels and events into
 * the one contract.
 */

export interface QuickReplyAttachment {
  mediaId: number;
  fileName: string;
  mime: string;
  size: number;
}

export interface QuickReplyView {
  id: number;
  shortcut: string;
  text: string;
  keywords: string[];
  attachment: QuickReplyAttachment | null;
  usageCount: number;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface QuickReplyImportReport {
  added: number;
  updated: number;
  /** 1-based position in the file's list, the shortcut as given, and why it was refused. */
  refused: Array<{ row: number; shortcut: string; reason: string; fields: Array<{ path: string; message: string }> }>;
}

/** The export file (and what import reads). Attachments travel as base64. */
export const quickReplyFileFormat = 'frontdesk-quick-replies';

/** Shortcut, text and keywords checked by the same rules the form uses; uniqueness is core's (the archive's). */
const fieldsShape = {
  shortcut: z.string().trim().max(200),
  text: z.string().max(maxQuickReplyText * 4),
  keywords: z.array(z.string().max(200)).max(100).default([]),
};

function checkFields(value: { shortcut: string; text: string; keywords: string[] }, ctx: z.RefinementCtx): void {
  for (const problem of quickReplyProblems(value)) ctx.addIssue({ code: 'custom', path: [problem.path], message: problemMessage(problem) });
}

export const quickReplySaveSchema = z
  .object({
    /** Absent: a new quick reply. */
    id: z.number().int().positive().optional(),
    ...fieldsShape,
    /** A new file; null removes the attachment; absent keeps it as it is. */
    attachment: attachmentSchema.nullable().optional(),
  })
  .strict()
  .superRefine(checkFields);

export const quickReplyIdSchema = z.object({ id: z.number().int().positive() }).strict();
export const quickReplyReorderSchema = z.object({ ids: z.array(z.number().int().positive()).max(10_000) }).strict();
export const quickReplyImportSchema = z.object({ bytes: z.instanceof(Uint8Array) }).strict();
export const quickReplySendSchema = z
  .object({
    conversationId: z.number().int().positive(),
    quickReplyId: z.number().int().positive(),
    /** The text as the composer shows it, variables filled (the caption when there is an attachment). */
    text: z.string().trim().max(4096, 'at most 4096 characters'),
  })
  .strict();
export const quickReplyUsedSchema = z.object({ quickReplyId: z.number().int().positive() }).strict();

export const quickReplyChannels = {
  /** Every quick reply in the order staff arranged. */
  'quick-replies:list': channel<QuickReplyView[]>()(channelNone),
  /** Create (no id) or edit; fields named when wrong (`shortcut` "already used"). */
  'quick-replies:save': channel<QuickReplyView>()(quickReplySaveSchema),
  'quick-replies:delete': channel<void>()(quickReplyIdSchema),
  /** The whole order: every id once. */
  'quick-replies:reorder': channel<QuickReplyView[]>()(quickReplyReorderSchema),
  /** A JSON file (as exported): existing shortcuts updated, new ones added, bad rows refused with reasons. */
  'quick-replies:import': channel<QuickReplyImportReport>()(quickReplyImportSchema),
  /** JSON written where the user chooses (dialogs port). */
  'quick-replies:export': channel<{ saved: boolean; count: number }>()(channelNone),
  /** Sends a quick reply into a chat through the outbox (its attachment with the text as caption); counts the use. */
  'quick-replies:send': channel<{ messageId: number }>()(quickReplySendSchema),
  /** A quick reply was inserted into the composer (sent later as an ordinary message): counts the use. */
  'quick-replies:used': channel<void>()(quickReplyUsedSchema),
} as const;

export const quickReplyEvents = {
  /** Quick replies were added, edited, deleted, reordered or used: open windows refetch the list. */
  'quick-replies:changed': z.object({ ids: z.array(z.number()) }),
} as const;
