import { z } from 'zod';
import { autoRepliesSchema } from '../rules/auto-replies';
import type { AutoReplies } from '../rules/auto-replies';
import { businessHoursSchema } from '../rules/business-hours';
import type { BusinessHours } from '../rules/business-hours';
import { businessProfileFieldsSchema, profileExtrasSchema, profilePhotoSchema } from '../rules/business-profile';
import type { BusinessProfileFields, ProfileExtras } from '../rules/business-profile';
import type { OutboundStatus } from './inbox';

/**
 * The business profile, business hours, greeting and away messages (PRODUCT §4, §5, §6): types and request
 * schemas; `contract.ts` registers the channels.
 */

export interface ProfileView {
  /** Meta's fields as last read from or saved to the Cloud API. */
  fields: BusinessProfileFields;
  /** The profile photo's stored copy (shown through the media protocol: useMediaUrl), or null. */
  photoMediaId: number | null;
  /** When Meta last confirmed these fields; null: never (not connected yet). */
  syncedAt: number | null;
  /** Meta could not be reached just now: the fields are the last ones read. */
  stale: boolean;
  /** Why Meta could not be read, in words (with `stale`). */
  staleReason: string | null;
  extras: ProfileExtras;
  /** The business's name for the card and `{{business}}`: the number's verified name, else the workspace's. */
  businessName: string;
}

export const profileSaveSchema = businessProfileFieldsSchema;
export const profileExtrasSaveSchema = profileExtrasSchema;
export const profilePhotoRequestSchema = profilePhotoSchema;

/** Open or closed now, by the hours in force, on core's clock. */
export interface HoursState {
  open: boolean;
  /** Closed by appointment-only hours (open to customers who booked). */
  appointment: boolean;
  /** When open/closed next changes; null: never (always open, or never opens again). */
  nextChange: number | null;
  /** The next opening time while closed; null while open or when it never opens again. */
  nextOpen: number | null;
  timezone: string;
}

export interface HoursVersionSummary {
  id: number;
  effectiveFrom: number;
  timezone: string;
}

export interface HoursView {
  /** The hours in force (a default schedule, not yet saved, when `effectiveFrom` is null). */
  hours: BusinessHours;
  effectiveFrom: number | null;
  state: HoursState;
  /** Every saved version, newest first (statistics use the one in force at each time). */
  history: HoursVersionSummary[];
}

export const hoursSaveSchema = businessHoursSchema;

export interface AutoRepliesView {
  settings: AutoReplies;
  /** Sample values the live preview fills in (`name` is an example; the others are the real ones). */
  preview: { name: string; business: string; nextOpen: number | null; timezone: string };
}

export const autoRepliesSaveSchema = autoRepliesSchema;

export interface DryRunEntry {
  kind: 'greeting' | 'away';
  /** When it would have been sent: the inbound message's time. */
  at: number;
  contactId: number;
  contactName: string;
  conversationId: number;
  inboundMessageId: number;
  /** The text as it would have been sent, variables filled. */
  text: string;
}

export interface DryRunResult {
  from: number;
  to: number;
  entries: DryRunEntry[];
  /** Inbound messages looked at. */
  considered: number;
  /** More entries than listed (the list stops at `limit`). */
  truncated: boolean;
}

export const dryRunSchema = z
  .object({
    settings: autoRepliesSchema,
    /** Hours to try instead of the ones in force (the hours editor's dry run). */
    hours: businessHoursSchema.optional(),
  })
  .strict();

export interface AutomationLogEntry {
  id: number;
  kind: 'greeting' | 'away';
  at: number;
  contactId: number;
  contactName: string;
  conversationId: number | null;
  /** The customer's message that triggered it (null once erased). */
  inboundMessageId: number | null;
  inboundText: string | null;
  /** The automatic message (null once erased). */
  messageId: number | null;
  text: string | null;
  status: OutboundStatus | null;
  /** For an away message: the away period it answered in (one message per contact per period). */
  period: AwayPeriodRef | null;
}

/** An away period: a closed period of the business hours (from when it closed), a calendar day, or the custom period. */
export type AwayPeriodRef =
  | { mode: 'outsideHours'; closedSince: number | null }
  | { mode: 'always'; day: string }
  | { mode: 'custom'; from: string; to: string };

export interface AutomationLogPage {
  entries: AutomationLogEntry[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

export const automationLogSchema = z
  .object({
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
