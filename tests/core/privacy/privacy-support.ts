/**
 * Helpers for the privacy and transcript tests: a real encrypted archive and a real media store in a temp
 * folder on a virtual clock, a few real files, an HTML parser (happy-dom, no script runs: the files have none),
 * and a reader for the archive's pages decrypted with its key (SQLCipher v4: AES-256-CBC per page, the IV in
 * each page's reserved tail), so a test can look for plaintext in the database file, its WAL and free pages.
 */
import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { onTestFinished } from 'vitest';
import type { Archive, MediaStore } from '../../../electron/core/archive';
import { createMediaStore } from '../../../electron/core/archive';
import { createVirtualClock } from '../../../electron/core/clock';
import type { VirtualClock } from '../../../electron/core/clock';
import { createLogger } from '../../../electron/core/logger';
import type { Logger } from '../../../electron/core/logger';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import type { Message, NewMessage } from '../../../electron/core/archive/types';
import { createTestArchive, randomKey } from '../../support/archive-helpers';

/** A 1×1 PNG. */
export const pngBytes = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export interface PrivacyHarness {
  archive: Archive;
  dir: string;
  path: string;
  key: Uint8Array;
  mediaKey: Uint8Array;
  media: MediaStore;
  clock: VirtualClock;
  logger: Logger;
  logs: ReturnType<typeof createMemoryLogger>['entries'];
}

export async function createHarness(start = Date.UTC(2026, 5, 20, 12, 0, 0)): Promise<PrivacyHarness> {
  const clock = createVirtualClock(start);
  const { archive, dir, path, key } = createTestArchive({ clock });
  const mediaKey = randomKey();
  const media = await createMediaStore({ dir, key: mediaKey });
  onTestFinished(() => media.close());
  const memory = createMemoryLogger();
  return { archive, dir, path, key, mediaKey, media, clock, logger: createLogger(memory), logs: memory.entries };
}

/** Stores bytes as a real encrypted media file and its row, as the downloader or the composer would. */
export async function storeMedia(h: PrivacyHarness, bytes: Uint8Array, meta: { mime: string; fileName?: string | null }) {
  const stored = await h.media.put(bytes);
  return h.archive.media.create({ state: 'stored', mime: meta.mime, size: stored.size, fileName: meta.fileName ?? null, contentHash: stored.hash });
}

export function insert(archive: Archive, message: NewMessage): Message {
  const { id } = archive.messages.insert(message);
  return archive.messages.get(id)!;
}

/** Parses HTML without running anything; closed when the test ends. */
export function parseHtml(html: string) {
  const window = new Window();
  onTestFinished(() => window.happyDOM.close());
  return new window.DOMParser().parseFromString(html, 'text/html');
}

// ---------------------------------------------------------------------------------------------------------
// Decrypted pages

const pageSize = 4096;
const reserve = 80;
const walHeader = 32;
const frameHeader = 24;

function decryptPage(page: Buffer, pageNumber: number, key: Uint8Array): Buffer {
  // Page 1 starts with the 16-byte salt, which is not encrypted.
  const start = pageNumber === 1 ? 16 : 0;
  const iv = page.subarray(pageSize - reserve, pageSize - reserve + 16);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(page.subarray(start, pageSize - reserve)), decipher.final()]);
}

/** Every page of the database file decrypted, free pages included (they are encrypted like any other). */
export function decryptedDatabase(path: string, key: Uint8Array): Buffer {
  const file = readFileSync(path);
  const pages: Buffer[] = [];
  for (let offset = 0; offset + pageSize <= file.length; offset += pageSize) pages.push(decryptPage(file.subarray(offset, offset + pageSize), offset / pageSize + 1, key));
  return Buffer.concat(pages);
}

/** Every frame of the WAL decrypted (empty when there is no WAL or it was truncated). */
export function decryptedWal(path: string, key: Uint8Array): Buffer {
  const walPath = `${path}-wal`;
  if (!existsSync(walPath)) return Buffer.alloc(0);
  const file = readFileSync(walPath);
  const frames: Buffer[] = [];
  for (let offset = walHeader; offset + frameHeader + pageSize <= file.length; offset += frameHeader + pageSize) {
    const pageNumber = file.readUInt32BE(offset);
    frames.push(decryptPage(file.subarray(offset + frameHeader, offset + frameHeader + pageSize), pageNumber, key));
  }
  return Buffer.concat(frames);
}

/** Which of the needles occur in the bytes (as UTF-8, and as UTF-16 for good measure). */
export function found(bytes: Buffer, needles: Record<string, string>): string[] {
  return Object.entries(needles)
    .filter(([, text]) => bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le')))
    .map(([name]) => name);
}
