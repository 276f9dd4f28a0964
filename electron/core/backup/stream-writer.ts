/**
 * Writes the message stream of a backup (format.ts) after its prefix: entries read from files in blocks of a
 * few chunks and encrypted one chunk (message) at a time. Memory stays bounded whatever the size of the
 * archive or of a file: two read blocks each for the current file and the next one opened ahead, and at most
 * `maxRecords` message records (being written, or waiting for the read-back), all reused. Each message is a
 * few milliseconds of libsodium work, so core's event loop keeps answering in between.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { StateAddress } from 'libsodium-wrappers-sumo';
import type { Sodium } from '../vault/sodium';
import { asDestinationError, throwIfAborted } from './errors';
import { messageType } from './format';
import type { BackupManifest, EntryHeader } from './format';
import { readAt, writeAllAt } from './fs-utils';
import { createSecretstreamPusher } from './secretstream';

/** Bytes of writes running together at most (small messages do not hold the stream up). */
const maxBytesInFlight = 4 * 1024 * 1024;
/** Records (message buffers) in use at most: being written, or written and waiting for the read-back. */
const maxRecords = 16;
/** Bytes read from a file at once (a whole number of chunks). */
const blockTargetBytes = 4 * 1024 * 1024;
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
  /**
   * A message is written at `position` (writes run together and may finish out of order). Its memory is used
   * again for a later message once the callee calls `release` (a callee that copies calls it at once).
   */
  onWritten?: (position: number, cipher: Uint8Array, release: () => void) => void;
}

export interface StreamWriter {
  /**
   * Adds the file at `path` as one entry. Returns null (nothing written) when the file no longer exists: a
   * media file deleted since it was listed.
   */
  addFile(kind: EntryHeader['kind'], name: string, path: string): Promise<{ size: number } | null>;
  /** Opens the file at `path` and starts reading it, so that `addFile` of it later does not wait for the disk. */
  prefetch(path: string): void;
  /** Writes the final message and waits for every write: the file's length and its number of messages. */
  finish(): Promise<{ fileBytes: number; manifest: BackupManifest; messages: number }>;
  /** After a failure or a cancel: waits for the writes still running, so the file can be closed and removed. */
  settle(): Promise<void>;
}

export function createStreamWriter(options: StreamWriterOptions): StreamWriter {
  const { sodium, handle, state, additionalData, chunkBytes, signal } = options;
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const manifest: BackupManifest = { entries: 0, databaseBytes: 0, mediaFiles: 0, mediaBytes: 0 };
  let offset = options.startOffset;
  let inFlight: Array<{ done: Promise<void>; bytes: number }> = [];
  let inFlightBytes = 0;
  // Files being closed in the background (a close waits its turn in libuv's pool behind the writes).
  const closing = new Set<Promise<void>>();
  let messages = 0;
  let flushing: Promise<void> | null = null;
  let flushedUpTo = options.startOffset;
  let writeError: unknown = null;
  let finished = false;
  const pusher = createSecretstreamPusher(sodium, state, additionalData);
  // Each message is written from a record (u32 length, then the ciphertext) used again once its write is
  // done and `onWritten` released it: no allocation per message (secretstream.ts says why that
  // matters). Shared memory, so the read-back worker reads a record where it is.
  const recordBytes = 4 + 1 + chunkBytes + sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const freeRecords: Buffer[] = [];
  // Files are read in blocks of several chunks: fewer trips through libuv's pool, each chunk a message.
  const blockBytes = chunkBytes * Math.max(1, Math.floor(blockTargetBytes / chunkBytes));
  const dataType = Uint8Array.of(messageType.data);
  let records = 0;
  const waitingForRecord: Array<(record: Buffer) => void> = [];
  const releaseRecord = (record: Buffer) => {
    const waiter = waitingForRecord.shift();
    if (waiter) waiter(record);
    else freeRecords.push(record);
  };
  const takeRecord = (): Buffer | Promise<Buffer> => {
    const free = freeRecords.pop();
    if (free) return free;
    if (records < maxRecords) {
      records++;
      return Buffer.from(new SharedArrayBuffer(recordBytes));
    }
    return new Promise((resolve) => waitingForRecord.push(resolve));
  };

  /** Encrypts the message made of `parts` (its type byte, then its bytes) and writes it. */
  async function emit(parts: Uint8Array[], tag: number): Promise<void> {
    if (writeError) throw writeError;
    const plaintextBytes = parts.reduce((sum, part) => sum + part.length, 0);
    const needed = 4 + plaintextBytes + sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
    // A control message larger than a chunk (only with tiny test chunks) gets a record of its own.
    const pooled = needed <= recordBytes;
    const record = pooled ? await takeRecord() : Buffer.allocUnsafeSlow(needed);
    const cipherLength = pusher.push(parts, tag, record.subarray(4));
    record.writeUInt32LE(cipherLength, 0);
    const bytes = record.subarray(0, 4 + cipherLength);
    const position = offset;
    offset += bytes.length;
    messages++;
    // Positional writes may run together (each has its own offset); the oldest is awaited past the limit.
    const write = writeAllAt(handle, [bytes], position).then(
      () => {
        let released = false;
        const release = () => {
          if (released || !pooled) return;
          released = true;
          releaseRecord(record);
        };
        if (options.onWritten) options.onWritten(position, bytes.subarray(4), release);
        else release();
      },
      (error: unknown) => {
        writeError ??= asDestinationError(error);
      },
    );
    inFlight.push({ done: write, bytes: bytes.length });
    inFlightBytes += bytes.length;
    while (inFlightBytes > maxBytesInFlight) {
      const oldest = inFlight.shift()!;
      await oldest.done;
      inFlightBytes -= oldest.bytes;
    }
    // The disk writes while the next chunks are encrypted, instead of all of it at the final fsync.
    if (!flushing && offset - flushedUpTo >= flushEveryBytes) {
      const upTo = offset;
      flushing = Promise.all(inFlight.map((w) => w.done))
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
    await Promise.all(inFlight.map((w) => w.done));
    await flushing;
    inFlight = [];
    inFlightBytes = 0;
    if (writeError) throw writeError;
  }

  function control(type: number, value: unknown): Uint8Array {
    const json = Buffer.from(JSON.stringify(value), 'utf8');
    const plaintext = Buffer.allocUnsafe(1 + json.length);
    plaintext[0] = type;
    json.copy(plaintext, 1);
    return plaintext;
  }

  /** A file opened and its first chunk being read, ahead of its turn (`prefetch`). */
  interface OpenedFile {
    source: FileHandle;
    size: number;
    /** Two blocks of several chunks: the next block is read from disk while the current one is encrypted. */
    buffers: [Buffer, Buffer];
    first: Promise<number> | null;
  }
  const opened = new Map<string, Promise<OpenedFile | null>>();
  // Read buffers go back here when a file is closed: the next file reads into them (no allocation per file).
  const freeBuffers: Array<[Buffer, Buffer]> = [];

  function readBlock(file: OpenedFile, position: number, buffer: Buffer): Promise<number> {
    const length = Math.min(blockBytes, file.size - position);
    const read = readAt(file.source, buffer, 0, length, position).then((n) => {
      if (n !== length) throw new Error('A file changed size while it was being backed up');
      return length;
    });
    // Awaited by whoever uses the chunk; a read nobody awaits any more (cancel, failure) fails silently.
    read.catch(() => undefined);
    return read;
  }

  async function openFile(path: string): Promise<OpenedFile | null> {
    let source: FileHandle;
    try {
      source = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      // The size is taken from the open file: media files are never rewritten, and the archive is pinned
      // (pinned-database.ts).
      const { size } = await source.stat();
      const buffers = freeBuffers.pop() ?? [Buffer.allocUnsafeSlow(blockBytes), Buffer.allocUnsafeSlow(blockBytes)];
      const file: OpenedFile = { source, size, buffers, first: null };
      file.first = size > 0 ? readBlock(file, 0, file.buffers[0]) : null;
      return file;
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  /** Closes a file once no read of it is running (one started before an abort or a failure is awaited). */
  async function closeFile(file: OpenedFile, reading: Promise<number> | null): Promise<void> {
    if (reading) await reading.catch(() => 0);
    freeBuffers.push(file.buffers);
    await file.source.close();
  }

  function prefetch(path: string): void {
    if (finished || opened.has(path)) return;
    const file = openFile(path);
    file.catch(() => undefined);
    opened.set(path, file);
  }

  async function addFile(kind: EntryHeader['kind'], name: string, path: string): Promise<{ size: number } | null> {
    if (finished) throw new Error('The backup stream is finished');
    prefetch(path);
    const pending = opened.get(path)!;
    opened.delete(path);
    throwIfAborted(signal);
    const file = await pending;
    if (!file) return null;
    let next = file.first;
    try {
      const { size, buffers } = file;
      await emit([control(messageType.entry, { kind, name, size } satisfies EntryHeader)], TAG_MESSAGE);
      let position = 0;
      let turn = 0;
      while (next) {
        const block = buffers[turn]!;
        const length = await next;
        position += length;
        turn ^= 1;
        next = position < size ? readBlock(file, position, buffers[turn]!) : null;
        for (let at = 0; at < length; at += chunkBytes) {
          throwIfAborted(signal);
          const chunk = block.subarray(at, Math.min(length, at + chunkBytes));
          await emit([dataType, chunk], TAG_MESSAGE);
          options.onData?.(chunk.length);
        }
      }
      manifest.entries++;
      if (kind === 'database') manifest.databaseBytes += size;
      else {
        manifest.mediaFiles++;
        manifest.mediaBytes += size;
      }
      return { size };
    } finally {
      const closed = closeFile(file, next).finally(() => closing.delete(closed));
      closing.add(closed);
      closed.catch(() => undefined);
    }
  }

  return {
    addFile,
    prefetch,
    async finish() {
      if (finished) throw new Error('The backup stream is finished');
      finished = true;
      await emit([control(messageType.end, manifest)], TAG_FINAL);
      await drain();
      await Promise.all(closing);
      pusher.dispose();
      return { fileBytes: offset, manifest: { ...manifest }, messages };
    },
    async settle() {
      await Promise.all(inFlight.map((w) => w.done));
      await flushing;
      await Promise.allSettled(closing);
      pusher.dispose();
      // Files opened ahead and never streamed (a cancel, a failure) are closed.
      const left = [...opened.values()];
      opened.clear();
      for (const file of await Promise.all(left.map((f) => f.catch(() => null)))) if (file) await closeFile(file, file.first);
    },
  };
}
