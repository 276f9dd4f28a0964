/**
 * Meta's limits on media a business sends (cloud-api/REFERENCE.md §9): which file types each kind of media
 * accepts and how large it may be. The composer checks a file before reading it into memory and says why it
 * refuses; core checks again before the upload. Sizes are in bytes; Meta's "MB" and "KB" are read as binary
 * (1 MB = 1,048,576 bytes), the lenient reading — Meta refuses what is really too large with 131053.
 */

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

const KB = 1024;
const MB = 1024 * KB;

export interface MediaKindRule {
  kind: MediaKind;
  /** MIME types Meta accepts for this kind (parameters such as `; codecs=opus` are ignored). */
  mimes: readonly string[];
  maxBytes: number;
}

export const mediaKindRules: Readonly<Record<MediaKind, MediaKindRule>> = {
  image: { kind: 'image', mimes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  video: { kind: 'video', mimes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  audio: { kind: 'audio', mimes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  document: {
    kind: 'document',
    mimes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
  sticker: { kind: 'sticker', mimes: ['image/webp'], maxBytes: 100 * KB },
};

/** Animated stickers may be larger than still ones. */
export const animatedStickerMaxBytes = 500 * KB;

/** What a file with no type from the system (File.type is '') most likely is, by its extension. */
const mimeByExtension: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  aac: 'audio/aac',
  amr: 'audio/amr',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  txt: 'text/plain',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** The MIME type without parameters, lower case: `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMime(mime: string): string {
  return mime.split(';')[0]!.trim().toLowerCase();
}

/** The type to send a file as: the one the system gave, else the one its extension suggests, else ''. */
export function effectiveMime(fileName: string, mime: string): string {
  const given = baseMime(mime);
  if (given !== '' && given !== 'application/octet-stream') return given;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return mimeByExtension[extension] ?? given;
}

export function mediaKindOf(mime: string): MediaKind | null {
  const base = baseMime(mime);
  for (const rule of Object.values(mediaKindRules)) if (rule.mimes.includes(base)) return rule.kind;
  return null;
}

/**
 * An animated WebP has a VP8X chunk with the animation flag (RIFF····WEBPVP8X, flags byte 0x02), or an ANIM
 * chunk. Only the first bytes are needed.
 */
export function isAnimatedWebp(bytes: Uint8Array): boolean {
  const ascii = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  if (bytes.length < 21 || ascii(0, 4) !== 'RIFF' || ascii(8, 4) !== 'WEBP') return false;
  if (ascii(12, 4) === 'VP8X' && (bytes[20]! & 0x02) !== 0) return true;
  return ascii(0, Math.min(bytes.length, 64)).includes('ANIM');
}

export type AttachmentVerdict =
  | { ok: true; kind: MediaKind; mime: string; maxBytes: number }
  /** `type`: Meta takes no file of this type; `size`: too large for its kind (`maxBytes`); `empty`: 0 bytes. */
  | { ok: false; reason: 'type'; mime: string }
  | { ok: false; reason: 'size'; kind: MediaKind; mime: string; size: number; maxBytes: number }
  | { ok: false; reason: 'empty'; kind: MediaKind; mime: string };

/** Whether Meta accepts this file as media, and if not, why. `animated` applies to stickers (WebP). */
export function checkAttachment(file: { fileName: string; mime: string; size: number; animated?: boolean }): AttachmentVerdict {
  const mime = effectiveMime(file.fileName, file.mime);
  const kind = mediaKindOf(mime);
  if (kind === null) return { ok: false, reason: 'type', mime };
  const maxBytes = kind === 'sticker' && file.animated ? animatedStickerMaxBytes : mediaKindRules[kind].maxBytes;
  if (file.size === 0) return { ok: false, reason: 'empty', kind, mime };
  if (file.size > maxBytes) return { ok: false, reason: 'size', kind, mime, size: file.size, maxBytes };
  return { ok: true, kind, mime, maxBytes };
}

/** Every accepted type and extension, for a file input's `accept` (some systems give no type for .ogg or .amr). */
export const acceptedMediaTypes: string = [
  ...Object.values(mediaKindRules).flatMap((rule) => rule.mimes),
  ...Object.keys(mimeByExtension).map((extension) => `.${extension}`),
].join(',');
