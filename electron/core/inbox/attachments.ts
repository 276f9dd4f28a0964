/**
 * Files staff attach (PRODUCT §2: "type and size checked against Meta's limits before upload"): Meta's
 * accepted types and sizes (REFERENCE §9, `mediaLimits`), and the first bytes must be what the type says —
 * a renamed file would otherwise be stored, queued and refused by Meta minutes later.
 */
import { baseMimeType, formatBytes, mediaLimits } from '../cloud/graph-schemas';
import { localMediaField } from '../cloud/outbound-media';
import type { OutboundRequest } from '../cloud/outbox';
import { AppError } from '../errors';

export type AttachmentCategory = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface CheckedAttachment {
  category: AttachmentCategory;
  mime: string;
  fileName: string;
  bytes: Uint8Array;
}

const staticStickerMaxBytes = 100 * 1024;

function refuse(reason: string): AppError {
  return new AppError('attachment_refused', reason, [{ path: 'attachment', message: reason }]);
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** Signatures of the types whose first bytes are fixed; other types are taken as declared. */
const signatures: Record<string, (bytes: Uint8Array) => boolean> = {
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/webp': (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
  'application/pdf': (b) => startsWith(b, ascii('%PDF')),
};

/** An animated WebP declares it in its VP8X header (flag 0x02); Meta allows those 500 KB, static ones 100 KB. */
function isAnimatedWebp(bytes: Uint8Array): boolean {
  return startsWith(bytes, ascii('VP8X'), 12) && ((bytes[20] ?? 0) & 0x02) !== 0;
}

const typeList = 'JPEG or PNG images, MP4 or 3GP videos, AAC, AMR, MP3, M4A or OGG audio, WebP stickers, and PDF, text, Word, Excel or PowerPoint documents';

export function checkAttachment(file: { fileName: string; mime: string; bytes: Uint8Array }, caption: string | undefined): CheckedAttachment {
  const mime = baseMimeType(file.mime);
  const limit = mediaLimits[mime];
  if (!limit) throw refuse(`WhatsApp does not take ${mime || 'files of unknown type'} files; it takes ${typeList}`);
  const size = file.bytes.byteLength;
  if (size === 0) throw refuse('The file is empty');
  const maxBytes = limit.category === 'sticker' && !isAnimatedWebp(file.bytes) ? staticStickerMaxBytes : limit.maxBytes;
  if (size > maxBytes) throw refuse(`${file.fileName}: a ${limit.category} may be at most ${formatBytes(maxBytes)} on WhatsApp; this one is ${formatBytes(size)}`);
  const signature = signatures[mime];
  if (signature && !signature(file.bytes)) throw refuse(`${file.fileName} is not a ${mime} file, whatever its name says`);
  if (caption && (limit.category === 'audio' || limit.category === 'sticker')) throw refuse(`A ${limit.category} cannot carry a caption on WhatsApp`);
  return { category: limit.category, mime, fileName: file.fileName, bytes: file.bytes };
}

/** The request the outbox stores: our media row's id, uploaded at send time (cloud/outbound-media.ts). */
export function mediaRequest(file: CheckedAttachment, mediaId: number, caption: string | undefined, replyToWamid: string | null): OutboundRequest {
  const body: Record<string, unknown> = { [localMediaField]: mediaId };
  if (caption) body.caption = caption;
  if (file.category === 'document') body.filename = file.fileName;
  return { type: file.category, [file.category]: body, ...(replyToWamid ? { context: { message_id: replyToWamid } } : {}) };
}
