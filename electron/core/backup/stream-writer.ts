/**
 * Writes the message stream of a backup (format.ts) after its prefix: entries read from files in chunks and
 * encrypted one message at a time. Memory stays bounded (two chunk buffers for read-ahead, at most
 * `maxWritesInFlight` ciphertexts waiting for the disk) whatever the size of the archive or of a file, and
 * each message is a few milliseconds of libsodium work, so core's event loop keeps answering in between.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { StateAddress } from 'libsodium-wrappers-sumo';
import type { Sodium } from '../vault/sodium';
import { asDestinationError, throwIfAborted } from './errors';
import { messageType } from './format';
import type { BackupManifest, EntryHeader } from './format';
import { readAt, writeAllAt } from './fs-utils';

const maxWritesInFlight = 4;
/** A flush to disk is started (not awaited) every this many bytes, so the final fsync has little left to do. */
const flushEveryBytes = 64 * 1024 * 1024;

export interface StreamWriterOptions {
  sodium: Sodium;
  /** The backup file, open for writing; the prefix is already at offset 0 … `startOffset`. */
  handle: FileHandle;
  startOffset: number;
  /** From `crypto_secretstream_xchacha20poly1305_init_push(fileKey)`. */
  state: StateAddress;
  /** The header checksum: additional data of every message. */
  additionalData: Uint8Array;
  chunkBytes: number;
  signal?: AbortSignal;
  /** Plaintext bytes of an entry just encrypted (progress). */
  onData?: (bytes: number) => void;
}

export interface StreamWriter {
  /**
   * Adds the file at `path` as one entry. Returns null (nothing written) when the file no longer exists: a
   * media file deleted since it was listed.
   */
  addFile(kind: EntryHeader['kind'], name: string, path: string): Promise<{ size: number } | null>;
  /** Writes the final message and waits for every write; returns the file's total length. */
  finish(): Promise<{ fileBytes: number; manifest: BackupManifest }>;
  /** After a failure or a cancel: waits for the writes still running, so the file can be closed and removed. */
  settle(): Promise<void>;
}

export function createStreamWriter(options: StreamWriterOptions): StreamWriter {
  const { sodium, handle, state, additionalData, chunkBytes, signal } = options;
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const manifest: BackupManifest = { entries: 0, databaseBytes: 0, mediaFiles: 0, mediaBytes: 0 };
  let offset = options.startOffset;
  let inFlight: Array<Promise<void>> = [];
  let flushing: Promise<void> | null = null;
  let flushedUpTo = options.startOffset;
  let writeError: unknown = null;
  let finished = false;

  async function emit(plaintext: Uint8Array, tag: number): Promise<void> {
    if (writeError) throw writeError;
    const cipher = sodium.crypto_secretstream_xchacha20poly1305_push(state, plaintext, additionalData, tag);
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(cipher.length, 0);
    const position = offset;
    offset += 4 + cipher.length;
    // Positional writes may run together (each has its own offset); the oldest is awaited past the limit.
    const write = writeAllAt(handle, [length, cipher], position).catch((error: unknown) => {
      writeError ??= asDestinationError(error);
    });
    inFlight.push(write);
    if (inFlight.length >= maxWritesInFlight) await inFlight.shift();
    // The disk writes while the next chunks are encrypted, instead of all of it at the final fsync.
    if (!flushing && offset - flushedUpTo >= flushEveryBytes) {
      const upTo = offset;
      flushing = Promise.all(inFlight)
        .then(() => handle.datasync())
        .then(
          () => {
            flushedUpTo = upTo;
            flushing = null;
          },
          (error: unknown) => {
            writeError ??= asDestinationError(error);
            flushing = null;
          },
        );
    }
  }

  async function drain(): Promise<void> {
    await Promise.all(inFlight);
    await flushing;
    inFlight = [];
    if (writeError) throw writeError;
  }

  function control(type: number, value: unknown): Uint8Array {
    const json = Buffer.from(JSON.stringify(value), 'utf8');
    const plaintext = Buffer.allocUnsafe(1 + json.length);
    plaintext[0] = type;
    json.copy(plaintext, 1);
    return plaintext;
  }

  async function addFile(kind: EntryHeader['kind'], name: string, path: string): Promise<{ size: number } | null> {
    if (finished) throw new Error('The backup stream is finished');
    throwIfAborted(signal);
    let source: FileHandle;
    try {
      source = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let next: Promise<number> | null = null;
    try {
      // The size is taken from the open file: media files are never rewritten, and the snapshot is ours.
      const { size } = await source.stat();
      const entry: EntryHeader = { kind, name, size };
      await emit(control(messageType.entry, entry), TAG_MESSAGE);
      // Two buffers: the next chunk is read from disk while the current one is encrypted.
      const buffers = [Buffer.allocUnsafe(1 + Math.min(chunkBytes, size)), Buffer.allocUnsafe(1 + Math.min(chunkBytes, size))];
      const readChunk = async (position: number, buffer: Buffer) => {
        const length = Math.min(chunkBytes, size - position);
        const n = await readAt(source, buffer, 1, length, position);
        if (n !== length) throw new Error('A file changed size while it was being backed up');
        return length;
      };
      let position = 0;
      let turn = 0;
      next = size > 0 ? readChunk(0, buffers[0]!) : null;
      while (next) {
        throwIfAborted(signal);
        const buffer = buffers[turn]!;
        const length = await next;
        position += length;
        turn ^= 1;
        next = position < size ? readChunk(position, buffers[turn]!) : null;
        buffer[0] = messageType.data;
        await emit(buffer.subarray(0, 1 + length), TAG_MESSAGE);
        options.onData?.(length);
      }
      manifest.entries++;
      if (kind === 'database') manifest.databaseBytes += size;
      else {
        manifest.mediaFiles++;
        manifest.mediaBytes += size;
      }
      return { size };
    } finally {
      // A read started before an abort or a failure is awaited, so the file is not closed under it.
      if (next) await (next as Promise<number>).catch(() => 0);
      await source.close();
    }
  }

  return {
    addFile,
    async finish() {
      if (finished) throw new Error('The backup stream is finished');
      finished = true;
      await emit(control(messageType.end, manifest), TAG_FINAL);
      await drain();
      return { fileBytes: offset, manifest: { ...manifest } };
    },
    async settle() {
      await Promise.all(inFlight);
      await flushing;
    },
  };
}
