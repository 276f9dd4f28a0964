import { createHash } from 'node:crypto';

/** Extensions for the MIME types WhatsApp carries, for files that arrive without a name. */
const extensions: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'audio/aac': '.aac',
  'audio/amr': '.amr',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const maxNameLength = 120;

/**
 * A name that is safe as one path segment on Windows, macOS and Linux: no separators, no control or
 * reserved characters, no leading dots (hidden files, `..`), not a reserved device name, and not too long
 * (the extension kept). The customer chose the original name; it must never choose where the file goes.
 */
export function safeFileName(name: string | null, fallbackStem: string, mime: string | null): string {
  const extension = extensions[(mime ?? '').split(';')[0]!.trim().toLowerCase()] ?? '.bin';
  let cleaned = (name ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a file name
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (cleaned === '' || reservedWindowsNames.test(cleaned)) cleaned = `${fallbackStem}${extension}`;
  if (cleaned.length > maxNameLength) {
    const dot = cleaned.lastIndexOf('.');
    const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
    cleaned = cleaned.slice(0, maxNameLength - ext.length) + ext;
  }
  return cleaned;
}

/** Passes the pieces through while hashing them (SHA-256) and counting bytes. */
export async function* hashing(source: AsyncIterable<Uint8Array>, sink: { sha256: string; size: number }): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const piece of source) {
    hash.update(piece);
    size += piece.length;
    yield piece;
  }
  sink.sha256 = hash.digest('hex');
  sink.size = size;
}
