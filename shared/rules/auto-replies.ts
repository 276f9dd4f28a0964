import { z } from 'zod';
import { characters } from './business-profile';

/**
 * Greeting and away messages (PRODUCT §6): their settings, the variables they may use and how those are
 * filled. The settings form and core's boundary validate with the same schema; core decides when each is
 * sent (electron/core/automation/auto-replies.ts), the form's live preview fills the same way core does.
 */

export const autoReplyVariables = ['name', 'business', 'next_open'] as const;
export type AutoReplyVariable = (typeof autoReplyVariables)[number];

/** `{{ name }}` — spaces inside the braces are allowed. */
const variablePattern = /\{\{\s*([a-z_]+)\s*\}\}/gi;

/** The variables a text uses that are not known (the form names them before saving). */
export function unknownVariables(text: string, known: readonly string[] = autoReplyVariables): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(variablePattern)) if (!known.includes(match[1]!.toLowerCase())) unknown.add(match[1]!);
  return [...unknown];
}

/**
 * Fills `{{variable}}`s. An empty value does not leave a gap behind: "Hello {{name}}!" with no name becomes
 * "Hello!" (the space before it and before punctuation goes too).
 */
export function fillVariables(text: string, values: Partial<Record<string, string>>): string {
  // An empty value first becomes a marker (a private-use character), so the gap around it can be tidied.
  const filled = text.replace(variablePattern, (whole, name: string) => {
    const value = values[name.toLowerCase()];
    return value === undefined ? whole : value === '' ? '\uE000' : value;
  });
  if (!filled.includes('\uE000')) return filled;
  return filled
    .replace(/[ \t]*\uE000(?=[ \t]*[,.!?;:，。！？；：])/g, '')
    .replace(/[ \t]*\uE000[ \t]*/g, (gap) => (/^[ \t]/.test(gap) && /[ \t]$/.test(gap) ? ' ' : ''))
    .trim();
}

/** Meta's longest text message; a filled auto-reply must fit. The text itself is kept shorter. */
export const maxAutoReplyText = 1024;

export const recipientFilterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  /** Contacts without a name saved by staff. */
  z.object({ kind: z.literal('unsaved') }).strict(),
  z.object({ kind: z.literal('except'), labelIds: z.array(z.number().int().positive()).min(1, 'choose at least one label').max(100) }).strict(),
  z.object({ kind: z.literal('only'), labelIds: z.array(z.number().int().positive()).min(1, 'choose at least one label').max(100) }).strict(),
]);
export type RecipientFilter = z.infer<typeof recipientFilterSchema>;

/** Local date and time in the business timezone, `YYYY-MM-DDTHH:MM` (as a datetime-local input gives it). */
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d$/, 'a date and time');

const replyText = z.string().refine((text) => characters(text) <= maxAutoReplyText, `at most ${maxAutoReplyText} characters`);

export const greetingSettingsSchema = z
  .object({
    enabled: z.boolean(),
    text: replyText,
    /** Sent again when the contact's last message, either way, is at least this many days old. */
    idleDays: z.number().int().min(1).max(30),
    recipients: recipientFilterSchema,
  })
  .strict();

export const awayModes = ['always', 'outsideHours', 'custom'] as const;
export type AwayMode = (typeof awayModes)[number];

export const awaySettingsSchema = z
  .object({
    enabled: z.boolean(),
    text: replyText,
    mode: z.enum(awayModes),
    /** For `custom`: from and to, wall-clock times in the business timezone. */
    custom: z.object({ from: localDateTime, to: localDateTime }).strict().nullable(),
    recipients: recipientFilterSchema,
  })
  .strict();

export const autoReplyLanguages = ['en', 'zh-CN'] as const;

export const autoRepliesSchema = z
  .object({
    greeting: greetingSettingsSchema,
    away: awaySettingsSchema,
    /** When both would fire for one message, send both (by default only the away message goes). */
    sendBoth: z.boolean(),
    /** The language `{{next_open}}` is written in. */
    language: z.enum(autoReplyLanguages),
  })
  .strict()
  .superRefine((settings, ctx) => {
    for (const kind of ['greeting', 'away'] as const) {
      const { enabled, text } = settings[kind];
      if (enabled && text.trim() === '') ctx.addIssue({ code: 'custom', path: [kind, 'text'], message: 'required while it is on' });
      const unknown = unknownVariables(text);
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', path: [kind, 'text'], message: `unknown variable ${unknown.map((v) => `{{${v}}}`).join(', ')}` });
    }
    const { mode, custom } = settings.away;
    if (mode === 'custom') {
      if (!custom) ctx.addIssue({ code: 'custom', path: ['away', 'custom'], message: 'required for a custom period' });
      else if (custom.from >= custom.to) ctx.addIssue({ code: 'custom', path: ['away', 'custom', 'to'], message: 'must be after the start' });
    }
  });
export type AutoReplies = z.infer<typeof autoRepliesSchema>;

export const defaultAutoReplies: AutoReplies = {
  greeting: {
    enabled: false,
    text: 'Hello {{name}}, thank you for contacting {{business}}. How can we help?',
    idleDays: 14,
    recipients: { kind: 'everyone' },
  },
  away: {
    enabled: false,
    text: 'Thank you for your message. We are closed right now and will reply when we open ({{next_open}}).',
    mode: 'outsideHours',
    custom: null,
    recipients: { kind: 'everyone' },
  },
  sendBoth: false,
  language: 'en',
};

/** Staff wrote to the contact this recently: no away message (PRODUCT §6). */
export const staffQuietMs = 5 * 60_000;

/**
 * `{{next_open}}` in words: the weekday and time in the business timezone ("Monday 09:00", "星期一 09:00"),
 * with the date when it is a week or more away. Empty when the business never opens again.
 */
export function formatNextOpen(at: number | null, timezone: string, language: string, now: number): string {
  if (at === null) return '';
  const farAway = at - now >= 6 * 24 * 60 * 60_000;
  const format = new Intl.DateTimeFormat(language, {
    timeZone: timezone,
    weekday: 'long',
    ...(farAway ? { day: 'numeric', month: 'long' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return format.format(at);
}
