import { autoReplyVariables, fillVariables, unknownVariables } from './auto-replies';

/**
 * Quick replies (PRODUCT §7): what a shortcut, a text and keywords may be, and how the composer's `/query`
 * ranks them. The management form, core's boundary and the picker all use these, so they agree.
 */

export const maxShortcut = 25;
export const maxQuickReplyText = 1024;
export const maxKeywords = 10;
export const maxKeywordLength = 30;

const shortcutPattern = /^[A-Za-z0-9_-]+$/;

/** A problem with one field: `kind` is stable (the form translates it), `variables` names unknown ones. */
export interface QuickReplyProblem {
  path: 'shortcut' | 'text' | 'keywords' | 'attachment';
  kind: 'required' | 'too_long' | 'characters' | 'already_used' | 'unknown_variables' | 'too_many' | 'keyword_too_long';
  variables?: string[];
}

/** Core's English words for each problem (the `message` of an `invalid_request` field). */
export function problemMessage(problem: QuickReplyProblem): string {
  switch (problem.kind) {
    case 'required':
      return 'required';
    case 'too_long':
      return problem.path === 'shortcut' ? `at most ${maxShortcut} characters` : `at most ${maxQuickReplyText} characters`;
    case 'characters':
      return 'letters, digits, - and _ only';
    case 'already_used':
      return 'already used';
    case 'unknown_variables':
      return `unknown variable ${(problem.variables ?? []).map((v) => `{{${v}}}`).join(', ')}`;
    case 'too_many':
      return `at most ${maxKeywords} keywords`;
    case 'keyword_too_long':
      return `each keyword at most ${maxKeywordLength} characters`;
  }
}

/** The problem behind a field message core sent (so the form can show it in the UI language). */
export function problemFromField(field: { path: string; message: string }): QuickReplyProblem | null {
  const path = field.path.split('.')[0];
  if (path !== 'shortcut' && path !== 'text' && path !== 'keywords' && path !== 'attachment') return null;
  const kinds: QuickReplyProblem['kind'][] = ['required', 'too_long', 'characters', 'already_used', 'too_many', 'keyword_too_long'];
  for (const kind of kinds) if (problemMessage({ path, kind }) === field.message) return { path, kind };
  const unknown = /^unknown variable (.+)$/.exec(field.message);
  if (unknown) return { path, kind: 'unknown_variables', variables: [...unknown[1]!.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]!) };
  return null;
}

/** Characters as people count them (an emoji or a CJK character is one). */
const length = (text: string) => [...text].length;

export function shortcutProblem(shortcut: string): QuickReplyProblem | null {
  if (shortcut === '') return { path: 'shortcut', kind: 'required' };
  if (length(shortcut) > maxShortcut) return { path: 'shortcut', kind: 'too_long' };
  if (!shortcutPattern.test(shortcut)) return { path: 'shortcut', kind: 'characters' };
  return null;
}

export function textProblem(text: string): QuickReplyProblem | null {
  if (text.trim() === '') return { path: 'text', kind: 'required' };
  if (length(text) > maxQuickReplyText) return { path: 'text', kind: 'too_long' };
  const unknown = unknownVariables(text);
  if (unknown.length > 0) return { path: 'text', kind: 'unknown_variables', variables: unknown };
  return null;
}

/** Keywords trimmed, empty ones dropped, repeats (any case) kept once. */
export function normalizeKeywords(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of keywords) {
    const keyword = raw.trim();
    const key = keyword.toLowerCase();
    if (keyword === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(keyword);
  }
  return result;
}

/** Keywords typed in one box: split on commas (also the Chinese comma) and whitespace. */
export function parseKeywords(input: string): string[] {
  return normalizeKeywords(input.split(/[,，、\s]+/u));
}

export function keywordsProblem(keywords: readonly string[]): QuickReplyProblem | null {
  const normalized = normalizeKeywords(keywords);
  if (normalized.length > maxKeywords) return { path: 'keywords', kind: 'too_many' };
  if (normalized.some((k) => length(k) > maxKeywordLength)) return { path: 'keywords', kind: 'keyword_too_long' };
  return null;
}

/**
 * Every problem with a quick reply, by field. `taken` answers whether another quick reply already uses the
 * shortcut (case-insensitive); the form passes the ones it has, core checks the archive.
 */
export function quickReplyProblems(
  draft: { shortcut: string; text: string; keywords: readonly string[] },
  taken: (shortcut: string) => boolean = () => false,
): QuickReplyProblem[] {
  const problems: QuickReplyProblem[] = [];
  const shortcut = shortcutProblem(draft.shortcut) ?? (taken(draft.shortcut) ? { path: 'shortcut' as const, kind: 'already_used' as const } : null);
  if (shortcut) problems.push(shortcut);
  const text = textProblem(draft.text);
  if (text) problems.push(text);
  const keywords = keywordsProblem(draft.keywords);
  if (keywords) problems.push(keywords);
  return problems;
}

export const sameShortcut = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface RankableQuickReply {
  shortcut: string;
  text: string;
  keywords: readonly string[];
  usageCount: number;
}

/** 0 shortcut starts with, 1 shortcut contains, 2 a keyword starts with, 3 text contains; null: no match. */
export function matchRank(reply: RankableQuickReply, query: string): 0 | 1 | 2 | 3 | null {
  const q = query.trim().toLowerCase();
  const shortcut = reply.shortcut.toLowerCase();
  if (shortcut.startsWith(q)) return 0;
  if (shortcut.includes(q)) return 1;
  if (reply.keywords.some((k) => k.toLowerCase().startsWith(q))) return 2;
  if (reply.text.toLowerCase().includes(q)) return 3;
  return null;
}

/**
 * The quick replies matching `/query`, best first: by rank, then the most used, then by shortcut
 * alphabetically. Case-insensitive; an empty query lists every one.
 */
export function rankQuickReplies<T extends RankableQuickReply>(replies: readonly T[], query: string): T[] {
  const ranked: { reply: T; rank: number }[] = [];
  for (const reply of replies) {
    const rank = matchRank(reply, query);
    if (rank !== null) ranked.push({ reply, rank });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      b.reply.usageCount - a.reply.usageCount ||
      a.reply.shortcut.toLowerCase().localeCompare(b.reply.shortcut.toLowerCase(), 'en'),
  );
  return ranked.map((r) => r.reply);
}

export interface QuickReplyValues {
  name: string;
  business: string;
  /** `{{next_open}}` already in words (formatNextOpen). */
  nextOpen: string;
}

/** The text as it is inserted into the composer, variables filled. */
export function fillQuickReply(text: string, values: QuickReplyValues): string {
  return fillVariables(text, { name: values.name, business: values.business, next_open: values.nextOpen });
}

export const quickReplyVariables = autoReplyVariables;
