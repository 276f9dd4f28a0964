/**
 * HTML building blocks for exported files. Every piece of archive data goes through `escapeHtml` (text and
 * attribute values alike); URLs are only ever built here from numbers or from bytes (data: URLs with a
 * checked MIME type), never taken from a message.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value, safe in either place. NUL (which parsers replace anyway) is dropped. */
export function escapeHtml(value: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is the one control character HTML parsers rewrite
  return value.replace(/[&<>"']/g, (ch) => escapes[ch]!).replace(/\u0000/g, '\uFFFD');
}

/**
 * The exported file runs no code and loads nothing: no script of any kind, images only from data: URLs,
 * styles only from the inline sheet. (Inline styles are fine in a file opened outside the app window.)
 */
export const exportContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const mimePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/;

/** A stored MIME type as a data: URL may carry it (parameters dropped); anything odd becomes octet-stream. */
export function safeMime(mime: string | null | undefined): string {
  const bare = (mime ?? '').split(';')[0]!.trim().toLowerCase();
  return mimePattern.test(bare) ? bare : 'application/octet-stream';
}

/** Raster images every browser shows inline. (SVG is left out: it is a document, not a picture.) */
const inlineImages = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export function isInlineImage(mime: string): boolean {
  return inlineImages.has(mime);
}

export function dataUrl(mime: string, bytes: Uint8Array): string {
  return `data:${safeMime(mime)};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

export function formatBytes(bytes: number, lang: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/**
 * Screen and print. No fixed heights anywhere (a long message grows, a printed page breaks between
 * messages); a bubble is never split across pages and a day's heading stays with its first message.
 */
export const transcriptStylesheet = `
:root { color-scheme: light; --in: #ffffff; --out: #dcf8c6; --muted: #5f6b6d; --line: #d7dcdc; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; background: #efeae2; color: #111b21;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
header.doc { max-width: 48rem; margin: 0 auto 1.5rem; padding: 1rem 1.25rem; background: #fff; border-radius: 8px; }
header.doc h1 { margin: 0 0 0.5rem; font-size: 1.35rem; }
header.doc p { margin: 0.15rem 0; color: var(--muted); }
main { max-width: 48rem; margin: 0 auto; }
h2.day { margin: 1.25rem 0 0.75rem; text-align: center; font-size: 0.85rem; font-weight: 600; color: var(--muted); }
h2.day span { display: inline-block; padding: 0.2rem 0.75rem; background: #fff; border-radius: 999px; }
article.msg { max-width: 80%; margin: 0 0 0.5rem; padding: 0.5rem 0.75rem; border-radius: 8px; background: var(--in);
  overflow-wrap: anywhere; box-shadow: 0 1px 1px rgb(0 0 0 / 8%); }
article.msg.out { margin-left: auto; background: var(--out); }
article.msg.auto { border-left: 3px solid #8696a0; }
.meta { display: flex; gap: 0.5rem; justify-content: space-between; font-size: 0.8rem; color: var(--muted); }
.sender { font-weight: 600; }
.text { margin: 0.25rem 0 0; white-space: pre-wrap; }
.note { margin: 0.25rem 0 0; font-size: 0.85rem; font-style: italic; color: var(--muted); }
.detail { margin: 0.15rem 0 0; font-size: 0.85rem; color: var(--muted); white-space: pre-wrap; }
blockquote.quote { margin: 0.25rem 0; padding: 0.3rem 0.5rem; border-left: 3px solid #06cf9c; background: rgb(0 0 0 / 5%); border-radius: 4px; }
blockquote.quote p { margin: 0; }
figure { margin: 0.35rem 0 0; }
figure img { display: block; max-width: 100%; height: auto; border-radius: 4px; }
.file { margin: 0.35rem 0 0; padding: 0.35rem 0.5rem; background: rgb(0 0 0 / 5%); border-radius: 4px; }
.card { margin: 0.35rem 0 0; padding: 0.35rem 0.5rem; border: 1px solid var(--line); border-radius: 4px; }
ul.options { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.reactions { margin: 0.3rem 0 0; font-size: 0.85rem; }
.status { margin: 0.2rem 0 0; text-align: right; font-size: 0.75rem; color: var(--muted); }
.empty { text-align: center; color: var(--muted); }
footer.doc { max-width: 48rem; margin: 1.5rem auto 0; font-size: 0.8rem; color: var(--muted); text-align: center; }
a { color: #027eb5; }
@media print {
  body { background: #fff; padding: 0; font-size: 11pt; }
  header.doc, article.msg { box-shadow: none; border: 1px solid var(--line); }
  article.msg, header.doc, blockquote, figure { break-inside: avoid; page-break-inside: avoid; }
  h2.day { break-after: avoid; page-break-after: avoid; }
  figure img { max-height: 60vh; width: auto; }
  a { color: inherit; }
}
`;
