/**
 * Media leave the encrypted store in two ways only (DESIGN: Security baseline): decrypted in memory for
 * display (main's app-media:// protocol, the preview host's /media/ route), and "save as…" to where the user
 * chose. Both only for the open, unlocked workspace.
 */
import { writeFile } from 'node:fs/promises';
import type { Archive, MediaStore } from '../archive';
import type { Message } from '../archive/types';
import { AppError } from '../errors';
import type { DialogsPort } from '../ports';

export interface MediaFile {
  mime: string;
  bytes: Uint8Array;
  fileName: string;
}

const extensions: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
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

/** A name safe on every desktop file system, from Meta's (or the sender's) file name or the type. */
export function safeFileName(name: string | null, mime: string | null, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // Control characters and the characters Windows refuses in names.
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 200);
  if (cleaned) return cleaned;
  const type = (mime ?? '').split(';')[0]!.trim().toLowerCase();
  return `${fallback}${extensions[type] ?? ''}`;
}

function storedRow(archive: Archive, store: MediaStore | null, mediaId: number) {
  const row = archive.media.get(mediaId);
  if (!row || row.state !== 'stored' || !row.contentHash || !store) throw new AppError('not_found', 'This file is not in the archive (not downloaded yet, or gone)');
  return { row, hash: row.contentHash, store };
}

export async function readStoredMedia(archive: Archive, store: MediaStore | null, mediaId: number): Promise<MediaFile> {
  const { row, hash, store: open } = storedRow(archive, store, mediaId);
  const bytes = await open.read(hash);
  return { mime: row.mime ?? 'application/octet-stream', bytes, fileName: safeFileName(row.fileName, row.mime, `media-${row.id}`) };
}

/** Asks where (the dialogs port) and writes the decrypted file there; false when the user cancelled. */
export async function saveMediaAs(archive: Archive, store: MediaStore | null, dialogs: Pick<DialogsPort, 'chooseSaveFile'>, message: Message): Promise<boolean> {
  if (message.mediaId === null) throw new AppError('not_found', 'This message has no file');
  const { row, hash, store: open } = storedRow(archive, store, message.mediaId);
  const path = await dialogs.chooseSaveFile({ title: 'Save file', defaultName: safeFileName(row.fileName, row.mime, `${message.type}-${message.id}`) });
  if (path === null) return false;
  await writeFile(path, await open.read(hash));
  return true;
}
