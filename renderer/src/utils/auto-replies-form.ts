import { autoRepliesSchema, maxAutoReplyText, unknownVariables } from '../../../shared/rules/auto-replies';
import { characters } from '../../../shared/rules/business-profile';
import type { AutoReplies, AwayMode, RecipientFilter } from '../../../shared/rules/auto-replies';

/**
 * The greeting and away form (PRODUCT §6) as typed, the settings it stands for, and what is wrong with it —
 * checked with `autoRepliesSchema`, the schema core validates with; the words come from `automation.replies.problems`.
 */
export interface RecipientsForm {
  kind: RecipientFilter['kind'];
  /** Kept while another kind is chosen, so switching back finds them. */
  labelIds: number[];
}

export interface RepliesForm {
  greeting: { enabled: boolean; text: string; idleDays: string; recipients: RecipientsForm };
  away: { enabled: boolean; text: string; mode: AwayMode; from: string; to: string; recipients: RecipientsForm };
  sendBoth: boolean;
  language: AutoReplies['language'];
}

export type ReplyProblemKey = 'required' | 'tooLong' | 'unknownVariable' | 'idleDays' | 'chooseLabel' | 'customRequired' | 'customOrder' | 'dateTime' | 'invalid';

export interface ReplyProblem {
  /** The field's dotted path: `greeting.text`, `greeting.idleDays`, `away.custom.to`, `away.recipients.labelIds`. */
  path: string;
  key: ReplyProblemKey;
  params?: Record<string, string | number>;
}

function recipientsForm(filter: RecipientFilter): RecipientsForm {
  return { kind: filter.kind, labelIds: filter.kind === 'except' || filter.kind === 'only' ? [...filter.labelIds] : [] };
}

export function formFromSettings(settings: AutoReplies): RepliesForm {
  return {
    greeting: {
      enabled: settings.greeting.enabled,
      text: settings.greeting.text,
      idleDays: String(settings.greeting.idleDays),
      recipients: recipientsForm(settings.greeting.recipients),
    },
    away: {
      enabled: settings.away.enabled,
      text: settings.away.text,
      mode: settings.away.mode,
      from: settings.away.custom?.from ?? '',
      to: settings.away.custom?.to ?? '',
      recipients: recipientsForm(settings.away.recipients),
    },
    sendBoth: settings.sendBoth,
    language: settings.language,
  };
}

function toRecipients(form: RecipientsForm): RecipientFilter {
  if (form.kind === 'except' || form.kind === 'only') return { kind: form.kind, labelIds: [...form.labelIds] };
  return { kind: form.kind };
}

const localDateTime = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d$/;

/** `2025-03-14T09:00:00` (some pickers add seconds) → `2025-03-14T09:00`. */
function trimSeconds(value: string): string {
  return value.trim().replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):00(?:\.0+)?$/, '$1');
}

/** A number input's model may already be a number (Vue casts it); anything but whole digits is wrong. */
function idleDaysOf(typed: string | number): number {
  const text = String(typed);
  return /^\s*\d{1,3}\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The settings the form stands for, as `automation:save` and `automation:dry-run` take them. */
export function toSettings(form: RepliesForm): AutoReplies {
  const from = trimSeconds(form.away.from);
  const to = trimSeconds(form.away.to);
  // The period is kept for later only while it is whole; it is required in custom mode (the schema says so).
  const custom = form.away.mode === 'custom' ? (from === '' && to === '' ? null : { from, to }) : localDateTime.test(from) && localDateTime.test(to) && from < to ? { from, to } : null;
  return {
    greeting: {
      enabled: form.greeting.enabled,
      text: form.greeting.text,
      idleDays: idleDaysOf(form.greeting.idleDays),
      recipients: toRecipients(form.greeting.recipients),
    },
    away: { enabled: form.away.enabled, text: form.away.text, mode: form.away.mode, custom, recipients: toRecipients(form.away.recipients) },
    sendBoth: form.sendBoth,
    language: form.language,
  };
}

function textProblem(path: string, enabled: boolean, text: string): ReplyProblem {
  const unknown = unknownVariables(text);
  if (unknown.length > 0) return { path, key: 'unknownVariable', params: { names: unknown.map((name) => `{{${name}}}`).join(', ') } };
  if (characters(text) > maxAutoReplyText) return { path, key: 'tooLong', params: { max: maxAutoReplyText } };
  if (enabled && text.trim() === '') return { path, key: 'required' };
  return { path, key: 'invalid' };
}

/** Why the field at `path` is wrong, from what the form holds (the schema said that it is). */
function problemAt(form: RepliesForm, rawPath: string): ReplyProblem {
  const path = rawPath.replace(/\.labelIds\.\d+$/, '.labelIds');
  if (path === 'greeting.text') return textProblem(path, form.greeting.enabled, form.greeting.text);
  if (path === 'away.text') return textProblem(path, form.away.enabled, form.away.text);
  if (path === 'greeting.idleDays') return { path, key: 'idleDays', params: { min: 1, max: 30 } };
  if (/^(greeting|away)\.recipients/.test(path)) return { path: path.replace(/\.recipients.*$/, '.recipients.labelIds'), key: 'chooseLabel' };
  if (path === 'away.custom') {
    return form.away.from.trim() === '' ? { path: 'away.custom.from', key: 'customRequired' } : { path: 'away.custom.to', key: 'customRequired' };
  }
  if (path === 'away.custom.from' || path === 'away.custom.to') {
    const value = trimSeconds(path.endsWith('from') ? form.away.from : form.away.to);
    if (value === '') return { path, key: 'customRequired' };
    if (!localDateTime.test(value)) return { path, key: 'dateTime' };
    return { path, key: 'customOrder' };
  }
  return { path, key: 'invalid' };
}

/** Every wrong field, one problem each; none when the settings can be tried and saved. */
export function checkRepliesForm(form: RepliesForm): { problems: ReplyProblem[]; settings: AutoReplies } {
  const settings = toSettings(form);
  const parsed = autoRepliesSchema.safeParse(settings);
  if (parsed.success) return { problems: [], settings: parsed.data };
  return { problems: problemsFromPaths(form, parsed.error.issues.map((issue) => issue.path.map(String).join('.'))), settings };
}

export function problemsFromPaths(form: RepliesForm, paths: readonly string[]): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    const problem = problemAt(form, raw);
    if (seen.has(problem.path)) continue;
    seen.add(problem.path);
    problems.push(problem);
  }
  return problems;
}

export function formMatches(form: RepliesForm, saved: AutoReplies): boolean {
  return JSON.stringify(toSettings(form)) === JSON.stringify(toSettings(formFromSettings(saved)));
}
