import { z } from 'zod';
import { isValidDate } from '../rules/local-dates';
import { channel, channelNone } from './channel';

/**
 * Transcripts, data rights and the audit log (PRODUCT §11, §13): types, request schemas and channels.
 * `contract.ts` spreads the channels into the one contract. Files and folders are chosen through core's dialogs
 * port, never sent from the renderer; answers name only the file or folder written (for the toast), no path.
 */

/** The languages an exported file can be written in (the UI's languages). */
export const exportLocales = ['en', 'zh-CN'] as const;
export type ExportLocale = (typeof exportLocales)[number];

/** Retention: at most ten years; 0 turns it off. */
export const retentionMaxMonths = 120;
/** The most audit entries one page returns. */
export const auditPageMax = 200;

const id = z.number().int().positive();
const localDate = z.string().refine(isValidDate, 'not a date as YYYY-MM-DD');

/** One conversation, or the days `from` … `to` of it (both included, business timezone; either may be open). */
export const transcriptRequestSchema = z
  .object({
    conversationId: id,
    locale: z.enum(exportLocales),
    from: localDate.nullable().optional(),
    to: localDate.nullable().optional(),
  })
  .strict()
  .refine((r) => !r.from || !r.to || r.from <= r.to, { path: ['to'], message: 'before the start date' });
export type TranscriptRequest = z.input<typeof transcriptRequestSchema>;

export const contactRefSchema = z.object({ contactId: id }).strict();
export const contactExportRequestSchema = z.object({ contactId: id, locale: z.enum(exportLocales) }).strict();
/**
 * `confirmMessages`: the message count the confirmation showed. Refused with `confirmation_stale` when the
 * contact has more (or fewer) messages now, so nobody erases more than they were shown.
 */
export const eraseRequestSchema = z.object({ contactId: id, confirmMessages: z.number().int().min(0) }).strict();
export const retentionMonthsSchema = z.object({ months: z.number().int().min(0, 'at least 0').max(retentionMaxMonths, `at most ${retentionMaxMonths}`) }).strict();
export const auditPageRequestSchema = z
  .object({
    /** Older than this entry (the `next` of the previous page). */
    before: id.nullable().optional(),
    limit: z.number().int().min(1).max(auditPageMax).optional(),
  })
  .strict();

export interface TranscriptExportResult {
  /** False: the save dialog was cancelled, nothing was written. */
  saved: boolean;
  /** The file's name (not its folder), for the toast; null when not saved. */
  fileName: string | null;
  messages: number;
  /** Pictures and files carried inside the HTML. */
  mediaEmbedded: number;
  bytes: number;
}

export interface TranscriptPrintResult {
  /** False: the print dialog was cancelled (or printing failed). */
  printed: boolean;
  messages: number;
}

export interface ContactExportResult {
  /** False: the folder dialog was cancelled, nothing was written. */
  saved: boolean;
  /** The bundle folder's name inside the chosen folder (`frontdesk-contact-…`); null when not saved. */
  folderName: string | null;
  messages: number;
  mediaFiles: number;
  bytes: number;
}

/** What an erasure would remove: the confirmation names it. */
export interface ErasurePreview {
  contactId: number;
  messages: number;
  conversations: number;
  /** Pictures, voice notes and documents (their files go unless another message still uses them). */
  mediaFiles: number;
  labelAssignments: number;
}

export interface ErasureSummary {
  contactId: number;
  messages: number;
  conversations: number;
  mediaFiles: number;
  labelAssignments: number;
  /** Webhook bodies naming the person, deleted or redacted. */
  webhookBodies: number;
}

export interface RetentionCounts {
  /** 0: off. */
  months: number;
  /** Messages sent or received before this instant go; null when off. */
  cutoff: number | null;
  /** The business timezone the months are counted in. */
  timezone: string;
  messages: number;
  mediaFiles: number;
}

export interface RetentionView {
  months: number;
  /** What a run now would delete with the saved setting. */
  preview: RetentionCounts;
  lastRunAt: number | null;
  /** When the daily run is due next; null when it is not scheduled (no workspace services running). */
  nextRunAt: number | null;
}

export interface RetentionRunResult extends RetentionCounts {
  /** False when retention is off (nothing was looked at). */
  ran: boolean;
}

export type AuditDetailValue = string | number | boolean | null;

export interface AuditEntryView {
  seq: number;
  at: number;
  /** A code word (`privacy.contact-erased`); the view says it in words. */
  action: string;
  /** An opaque id (`contact:42`, a backup's id), never a name or a number. */
  subject: string | null;
  details: Record<string, AuditDetailValue>;
  hash: string;
}

export interface AuditLogPage {
  entries: AuditEntryView[];
  /** Pass as `before` for the next (older) page; null at the start of the log. */
  next: number | null;
}

export type AuditBreakReason = 'entry_altered' | 'entries_missing' | 'link_broken' | 'entries_missing_at_end';

export interface AuditVerification {
  ok: boolean;
  /** Entries checked before the check stopped (all of them when ok). */
  entries: number;
  brokenAt: number | null;
  reason: AuditBreakReason | null;
  /** The last entry still proven by the chain. */
  lastGoodSeq: number | null;
}

export const privacyChannels = {
  /** Asks where (save dialog), then writes the conversation (or the date range) as one self-contained HTML file. */
  'transcript:export': channel<TranscriptExportResult>()(transcriptRequestSchema),
  /** The same file, shown in the system print dialog (a PDF printer makes a PDF); the temporary copy is removed after. */
  'transcript:print': channel<TranscriptPrintResult>()(transcriptRequestSchema),
  /** Asks for a folder, then writes contact.json, contact.html and media/ there (a folder of its own). */
  'privacy:export-contact': channel<ContactExportResult>()(contactExportRequestSchema),
  'privacy:erase-preview': channel<ErasurePreview>()(contactRefSchema),
  /** Erases the contact for good, with tombstones so a replayed webhook does not bring them back. */
  'privacy:erase': channel<ErasureSummary>()(eraseRequestSchema),
  'privacy:retention': channel<RetentionView>()(channelNone),
  /** What a setting of `months` would delete now, before it is saved. */
  'privacy:retention-preview': channel<RetentionCounts>()(retentionMonthsSchema),
  'privacy:set-retention': channel<RetentionView>()(retentionMonthsSchema),
  'privacy:run-retention': channel<RetentionRunResult>()(channelNone),
  /** Newest first. */
  'audit:page': channel<AuditLogPage>()(auditPageRequestSchema),
  /** Whether the hash chain holds, and where and how it breaks. */
  'audit:verify': channel<AuditVerification>()(channelNone),
} as const;
