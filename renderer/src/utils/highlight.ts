/** A piece of a snippet: plain text, or a matched range to show in <mark>. */
export interface TextSegment {
  text: string;
  marked: boolean;
}

/**
 * Cuts `text` at the highlight offsets ([start, end) UTF-16 units, as core sends them) into plain and marked
 * pieces. Ranges out of bounds are clamped, empty ones dropped, overlapping ones merged, and the order does
 * not matter: whatever arrives, every character of the text appears exactly once. The pieces are rendered as
 * text nodes, never as HTML.
 */
export function highlightSegments(text: string, highlights: ReadonlyArray<{ start: number; end: number }>): TextSegment[] {
  const ranges = highlights
    .map(({ start, end }) => ({ start: Math.max(0, Math.min(text.length, Math.trunc(start))), end: Math.max(0, Math.min(text.length, Math.trunc(end))) }))
    .filter(({ start, end }) => Number.isFinite(start) && Number.isFinite(end) && end > start)
    .sort((a, b) => a.start - b.start);

  const merged: { start: number; end: number }[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }

  const segments: TextSegment[] = [];
  let at = 0;
  for (const { start, end } of merged) {
    if (start > at) segments.push({ text: text.slice(at, start), marked: false });
    segments.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), marked: false });
  return segments;
}
