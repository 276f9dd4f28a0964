import { z } from 'zod';
import { channel, channelNone } from './channel';

/**
 * Labels (PRODUCT §8): types, request schemas, channels and events. `contract.ts` spreads the channels and events into
 * the one contract.
 */

/** The UI warns past this many labels (the phone app stops at 20; we do not). */
export const labelWarnAbove = 50;
export const labelNameMax = 100;

/** One label on the Labels page: its place in the order and how much carries it. */
export interface LabelInfo {
  id: number;
  name: string;
  /** Index into the 20-colour palette. */
  colour: number;
  order: number;
  conversations: number;
  messages: number;
}

export interface LabelUsage {
  conversations: number;
  messages: number;
  /** Assignments a delete removes: conversations + messages. */
  total: number;
}

/** A message carrying a label, for the list that jumps into the chat. */
export interface LabelMessageEntry {
  messageId: number;
  conversationId: number;
  contactId: number | null;
  /** The contact's name as the inbox shows it (or the group's id). */
  contactName: string;
  direction: 'in' | 'out';
  type: string;
  /** Text or caption or file name; null when the type has none. */
  text: string | null;
  timestamp: number;
  revoked: boolean;
}

export interface LabelMessagesPage {
  entries: LabelMessageEntry[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(10_000);
const name = z.string().trim().min(1, 'required').max(labelNameMax, `at most ${labelNameMax} characters`);
const colour = z.number().int().min(0).max(19);

export const labelCreateSchema = z.object({ name, colour }).strict();
export const labelUpdateSchema = z.object({ id, name: name.optional(), colour: colour.optional() }).strict();
export const labelReorderSchema = z.object({ ids: z.array(id).max(10_000) }).strict();
export const labelIdSchema = z.object({ id }).strict();
/** `confirmCount`: the number of assignments the confirmation named; refused if it has changed since. */
export const labelDeleteSchema = z.object({ id, confirmCount: z.number().int().min(0) }).strict();
/** One label onto (or off) many conversations — the bulk bar — or some messages. */
export const labelAssignSchema = z.union([
  z.object({ labelId: id, conversationIds: ids }).strict(),
  z.object({ labelId: id, messageIds: z.array(id).min(1).max(1000) }).strict(),
]);
export const labelMessagesSchema = z
  .object({
    labelId: id,
    /** Older than this message (the last one of the previous page). */
    before: id.optional(),
    limit: z.number().int().min(1).max(200),
  })
  .strict();

export const labelChannels = {
  /** Every label in order, with counts of conversations and messages. */
  'labels:list': channel<LabelInfo[]>()(channelNone),
  /** Name unique in any case (`invalid_request`, field `name`); appended at the end of the order. */
  'labels:create': channel<LabelInfo>()(labelCreateSchema),
  /** Rename and/or recolour; assignments are untouched. */
  'labels:update': channel<LabelInfo>()(labelUpdateSchema),
  /** The given ids first, in that order; returns the new list. */
  'labels:reorder': channel<LabelInfo[]>()(labelReorderSchema),
  /** What a delete would remove (the confirmation names it). */
  'labels:usage': channel<LabelUsage>()(labelIdSchema),
  /** Deletes the label and its assignments; returns how many assignments went. */
  'labels:delete': channel<{ removed: number }>()(labelDeleteSchema),
  /** Returns how many new assignments were made (ones already there do not count). */
  'labels:assign': channel<{ changed: number }>()(labelAssignSchema),
  'labels:unassign': channel<{ changed: number }>()(labelAssignSchema),
  /** Messages with a label, newest first. */
  'labels:messages': channel<LabelMessagesPage>()(labelMessagesSchema),
} as const;

export const labelEvents = {
  /** Labels or their assignments changed: the filters, chips, pickers and pages fetch again. */
  'labels:changed': z.object({
    /** Labels created, renamed, recoloured, reordered, deleted, assigned or removed. */
    labelIds: z.array(z.number()),
    /** Messages whose labels changed (the open chat refreshes them). */
    messageIds: z.array(z.number()),
    /** The conversations those messages are in. */
    conversationIds: z.array(z.number()),
  }),
} as const;
