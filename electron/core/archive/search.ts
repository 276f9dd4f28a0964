/**
 * Text side of full-text search (no SQL here; the search-index repository holds it).
 *
 * FTS5's unicode61 tokenizer splits on spaces and punctuation only, so a run of Chinese characters would be
 * one giant token. Text is therefore segmented into words with Intl.Segmenter (ICU's dictionary for CJK,
 * UAX #29 for the rest) at index time AND at query time, and stored as space-separated words; unicode61 then
 * folds case and diacritics. Both sides go through the same pipeline, so whatever ICU decides (已发货 →
 * 已 发 货), a query for a word of the text segments the same way and matches as a phrase.
 */
import type { Snippet } from './types';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** The ICU version that segmented the index: an index built by another one may split words differently. */
export const segmenterVersion = `icu-${process.versions.icu ?? 'unknown'}`;

/** A user's query is capped so a pasted paragraph cannot become a 500-term query. */
const maxQueryTerms = 16;

/** Word-like segments of `text` (punctuation, spaces and emoji dropped), NFKC-normalised (full-width → ASCII). */
export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const part of segmenter.segment(text.normalize('NFKC'))) if (part.isWordLike) words.push(part.segment);
  return words;
}

/** Scripts written without spaces between words: only these need ICU's dictionary segmentation. */
const unspacedScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * What goes into an FTS column for these texts: words separated by spaces. Text in spaced scripts is
 * passed through (NFKC only): unicode61 splits it on spaces and punctuation exactly where the segmenter
 * would, and skipping ICU halves the cost of indexing. Queries always go through the segmenter.
 */
export function indexableText(...texts: Array<string | null | undefined>): string {
  const parts: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    parts.push(unspacedScript.test(text) ? segmentWords(text).join(' ') : text.normalize('NFKC'));
  }
  return parts.join(' ').trim();
}

export interface ParsedQuery {
  /** A safe FTS5 MATCH expression: every term quoted, the last one a prefix. */
  match: string;
  /** The words searched for, for highlighting. */
  words: string[];
}

/**
 * Turns what a user typed into an FTS5 expression that can never be a syntax error: each
 * whitespace-separated term becomes a quoted phrase of its words (so 订单已发货 or e-mail stay contiguous),
 * terms are ANDed, and the last one matches as a prefix (`deliv` finds delivery) unless it is a single
 * Latin letter or digit, which would match most of the archive. FTS5 operators (`AND`, `NEAR(`, `*`, `"`,
 * `^`, `:`) typed by the user are just words or dropped punctuation.
 */
export function parseSearchQuery(input: string): ParsedQuery | null {
  const phrases: string[][] = [];
  for (const term of input.split(/\s+/u)) {
    const words = segmentWords(term);
    if (words.length > 0) phrases.push(words);
    if (phrases.length === maxQueryTerms) break;
  }
  if (phrases.length === 0) return null;
  const quoted = phrases.map((words) => `"${words.join(' ').replaceAll('"', '""')}"`);
  const lastWords = phrases.at(-1)!;
  const lastWord = lastWords.at(-1)!;
  if (!/^[\p{Script=Latin}\p{N}]$/u.test(lastWord)) quoted[quoted.length - 1] += ' *';
  return { match: quoted.join(' '), words: phrases.flat() };
}

/** Lower-case, compatibility-decomposed, marks removed: what unicode61 remove_diacritics 2 compares. */
function foldChar(char: string): string {
  return char.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The folded text and, for each folded UTF-16 unit, the offset in `text` it came from (plus one entry for
 * the end). Most messages fold unit for unit (ASCII, Chinese): one toLowerCase instead of a normalisation
 * per character, which dominated the cost of a result page.
 */
function foldWithOrigins(text: string): { folded: string; origin: (unit: number) => number } {
  const lower = text.toLowerCase();
  if (lower.length === text.length && text.normalize('NFKD') === text) return { folded: lower, origin: (unit) => unit };
  let folded = '';
  const origins: number[] = [];
  let offset = 0;
  for (const char of text) {
    const f = foldChar(char);
    for (let i = 0; i < f.length; i++) origins.push(offset);
    folded += f;
    offset += char.length;
  }
  origins.push(text.length);
  return { folded, origin: (unit) => origins[unit]! };
}

const wordChar = /[\p{L}\p{N}]/u;
const latinOrDigitStart = /^[\p{Script=Latin}\p{N}]/u;

/**
 * A short excerpt of a message around the first match, with the matched words located. Computed from the
 * stored text because the FTS index is contentless (it holds segmented tokens, not text).
 */
export function makeSnippet(source: string, words: string[], maxLength = 160): Snippet {
  const text = source.replace(/\s+/gu, ' ').trim();
  const { folded, origin } = foldWithOrigins(text);
  const ranges: Array<{ start: number; end: number }> = [];
  for (const word of new Set(words.map((w) => [...w].map(foldChar).join('')))) {
    if (!word) continue;
    const needsBoundary = latinOrDigitStart.test(word);
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + 1)) {
      if (needsBoundary && at > 0 && wordChar.test(folded[at - 1]!)) continue;
      const start = origin(at);
      // A match may end inside a character that folded to several units (ﬁ → fi): never an empty range.
      ranges.push({ start, end: Math.max(origin(at + word.length), start + 1) });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }

  if (text.length <= maxLength) return { text, highlights: merged };
  const first = merged[0];
  let start = first ? Math.max(0, first.start - Math.floor(maxLength / 4)) : 0;
  let end = Math.min(text.length, start + maxLength);
  start = Math.max(0, end - maxLength);
  // Never cut a surrogate pair in half.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  const highlights = merged
    .filter((r) => r.end > start && r.start < end)
    .map((r) => ({ start: Math.max(r.start, start) + shift, end: Math.min(r.end, end) + shift }));
  return { text: prefix + text.slice(start, end) + suffix, highlights };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The contacts_fts expression for what was typed: a number written with spaces, dashes or a + is one token
 * (its digits) in the index, so its digits match as a prefix; anything else goes through parseSearchQuery.
 */
export function contactMatchExpression(input: string): string | null {
  const digits = /^[+\d\s().-]+$/u.test(input) ? input.replace(/\D/gu, '') : '';
  return digits.length >= 2 ? `"${digits}" *` : (parseSearchQuery(input)?.match ?? null);
}
