/**
 * Encrypted, content-addressed media files beside the archive (`<dir>/media/ab/abcd…`).
 *
 * - Encrypted with libsodium's secretstream (XChaCha20-Poly1305) in 64 KiB chunks: a file of any size is
 *   written and read in bounded memory, every chunk is authenticated, and the final tag makes truncation
 *   detectable.
 * - Named by keyed BLAKE2b of the plaintext: identical files (the same image forwarded twice) are stored
 *   once, yet a name reveals nothing about the content to someone without the key. Reading recomputes the
 *   name, so a file swapped for another valid one is refused too.
 * - Written to a temporary name, synced, then renamed: a crash leaves either the whole file or none.
 *
 * File layout: "FDM1" | chunk size (u32 LE) | secretstream header (24) | chunks (plaintext + 17 bytes each).
 * The first 8 bytes are the additional data of every chunk, so they cannot be altered either.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sodium from 'libsodium-wrappers-sumo';
import { AppError } from '../errors';
import type { MediaRepository } from './repositories/media';

export const mediaKeyBytes = 32;

const magic = Buffer.from('FDM1', 'ascii');
const prefixBytes = 8;
const defaultChunkSize = 64 * 1024;
const hashPattern = /^[0-9a-f]{64}$/;
const hashBytes = 32;

export interface MediaStoreOptions {
  /** The workspace folder (where the archive file lives); files go under `<dir>/media`. */
  dir: string;
  /** The 32-byte media subkey from the vault. */
  key: Uint8Array;
  /** Plaintext bytes per chunk; only tests change it. */
  chunkSize?: number;
}

export interface StoredMedia {
  /** The file's name in the store: `media.content_hash`. */
  hash: string;
  /** Plaintext size in bytes. */
  size: number;
  /** True when the same content was already stored (nothing was written). */
  deduplicated: boolean;
}

export interface MediaStore {
  readonly root: string;
  put(bytes: Uint8Array): Promise<StoredMedia>;
  /** Encrypts while receiving (a 100 MB document never sits in memory whole). */
  putStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StoredMedia>;
  has(hash: string): Promise<boolean>;
  /** The whole plaintext; refuses a truncated, altered or swapped file with `archive_damaged`. */
  read(hash: string): Promise<Uint8Array>;
  /** The plaintext as a stream; a damaged file makes the stream fail (chunks already given were authentic). */
  createReadStream(hash: string): Readable;
  remove(hash: string): Promise<void>;
  /**
   * Deletes media rows nothing refers to, then every file no row names. Both spare what is younger than
   * `graceMs` (default 10 minutes): a file being stored now whose row is not written yet.
   */
  collectGarbage(media: Pick<MediaRepository, 'deleteUnreferenced' | 'liveContentHashes'>, options?: { graceMs?: number; now?: number }): Promise<{ rowsDeleted: number; filesDeleted: number }>;
  /** Wipes the keys from memory. */
  close(): void;
}

function damaged(reason: string): AppError {
  return new AppError('archive_damaged', `A media file is damaged: ${reason}`);
}

function assertHash(hash: string): void {
  // Names come from the database: checking them keeps a corrupted row from ever naming a path outside.
  if (!hashPattern.test(hash)) throw new Error('Not a media content hash');
}

async function readFully(handle: FileHandle, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

export async function createMediaStore(options: MediaStoreOptions): Promise<MediaStore> {
  await sodium.ready;
  if (options.key.length !== mediaKeyBytes) throw new Error(`The media key must be ${mediaKeyBytes} bytes`);
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  // Separate subkeys for the two uses of one key: encryption and naming.
  const fileKey = sodium.crypto_kdf_derive_from_key(sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES, 1, 'fd-media', options.key);
  const nameKey = sodium.crypto_kdf_derive_from_key(sodium.crypto_generichash_KEYBYTES, 2, 'fd-media', options.key);
  const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const HEADERBYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const root = join(options.dir, 'media');
  const tmpDir = join(root, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  let closed = false;

  const pathOf = (hash: string) => {
    assertHash(hash);
    return join(root, hash.slice(0, 2), hash);
  };
  const ensureOpen = () => {
    if (closed) throw new Error('The media store is closed');
  };

  async function putStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StoredMedia> {
    ensureOpen();
    const tmpPath = join(tmpDir, `${randomBytes(16).toString('hex')}.part`);
    const handle = await open(tmpPath, 'wx');
    let size = 0;
    try {
      const prefix = Buffer.alloc(prefixBytes);
      magic.copy(prefix, 0);
      prefix.writeUInt32LE(chunkSize, 4);
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(fileKey);
      await handle.write(Buffer.concat([prefix, header]));
      const hashState = sodium.crypto_generichash_init(nameKey, hashBytes);
      const pending = Buffer.alloc(chunkSize);
      let filled = 0;
      const flush = async (tag: number) => {
        const cipher = sodium.crypto_secretstream_xchacha20poly1305_push(state, pending.subarray(0, filled), prefix, tag);
        await handle.write(cipher);
        filled = 0;
      };
      for await (const piece of source) {
        sodium.crypto_generichash_update(hashState, piece);
        size += piece.length;
        for (let offset = 0; offset < piece.length; ) {
          // A full chunk is written only once more data follows, so the last chunk always carries TAG_FINAL.
          if (filled === chunkSize) await flush(TAG_MESSAGE);
          const n = Math.min(chunkSize - filled, piece.length - offset);
          pending.set(piece.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
        }
      }
      await flush(TAG_FINAL);
      pending.fill(0);
      await handle.sync();
      await handle.close();
      const hash = sodium.to_hex(sodium.crypto_generichash_final(hashState, hashBytes));
      const finalPath = pathOf(hash);
      if (await exists(finalPath)) {
        await unlink(tmpPath);
        return { hash, size, deduplicated: true };
      }
      await mkdir(join(root, hash.slice(0, 2)), { recursive: true });
      await rename(tmpPath, finalPath);
      return { hash, size, deduplicated: false };
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(tmpPath, { force: true });
      throw error;
    }
  }

  async function* decrypt(hash: string): AsyncGenerator<Uint8Array> {
    ensureOpen();
    const path = pathOf(hash);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch {
      throw damaged('missing');
    }
    try {
      const start = await readFully(handle, prefixBytes + HEADERBYTES);
      if (start.length < prefixBytes + HEADERBYTES || !start.subarray(0, 4).equals(magic)) throw damaged('bad header');
      const prefix = start.subarray(0, prefixBytes);
      const fileChunkSize = prefix.readUInt32LE(4);
      if (fileChunkSize === 0 || fileChunkSize > 16 * 1024 * 1024) throw damaged('bad chunk size');
      const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(start.subarray(prefixBytes), fileKey);
      const hashState = sodium.crypto_generichash_init(nameKey, hashBytes);
      for (;;) {
        const cipher = await readFully(handle, fileChunkSize + ABYTES);
        if (cipher.length < ABYTES) throw damaged('truncated');
        let result: { message: Uint8Array; tag: number } | false;
        try {
          result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, cipher, prefix);
        } catch {
          result = false;
        }
        if (!result) throw damaged('authentication failed');
        sodium.crypto_generichash_update(hashState, result.message);
        if (result.tag === TAG_FINAL) {
          if ((await readFully(handle, 1)).length > 0) throw damaged('data after the end');
          const actual = sodium.to_hex(sodium.crypto_generichash_final(hashState, hashBytes));
          if (actual !== hash) throw damaged('content does not match its name');
          yield result.message;
          return;
        }
        if (cipher.length < fileChunkSize + ABYTES) throw damaged('truncated');
        yield result.message;
      }
    } finally {
      await handle.close();
    }
  }

  return {
    root,
    put: (bytes) => putStream([bytes]),
    putStream,
    has: (hash) => exists(pathOf(hash)),

    async read(hash) {
      const parts: Uint8Array[] = [];
      for await (const part of decrypt(hash)) parts.push(part);
      return Buffer.concat(parts);
    },

    createReadStream: (hash) => Readable.from(decrypt(hash), { objectMode: false }),

    async remove(hash) {
      await rm(pathOf(hash), { force: true });
    },

    async collectGarbage(media, gcOptions = {}) {
      ensureOpen();
      const graceMs = gcOptions.graceMs ?? 10 * 60 * 1000;
      const rowsDeleted = media.deleteUnreferenced((gcOptions.now ?? Date.now()) - graceMs);
      const live = media.liveContentHashes();
      // File times are the file system's, so the file cutoff uses the real clock.
      const fileCutoff = Date.now() - graceMs;
      let filesDeleted = 0;
      for (const bucket of await readdir(root)) {
        const bucketPath = join(root, bucket);
        const isTmp = bucket === 'tmp';
        if (!isTmp && !/^[0-9a-f]{2}$/.test(bucket)) continue;
        for (const name of await readdir(bucketPath)) {
          if (!isTmp && (live.has(name) || !hashPattern.test(name))) continue;
          const path = join(bucketPath, name);
          const info = await stat(path).catch(() => null);
          if (!info || info.mtimeMs > fileCutoff) continue;
          await rm(path, { force: true });
          filesDeleted++;
        }
      }
      return { rowsDeleted, filesDeleted };
    },

    close() {
      if (closed) return;
      closed = true;
      sodium.memzero(fileKey);
      sodium.memzero(nameKey);
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
