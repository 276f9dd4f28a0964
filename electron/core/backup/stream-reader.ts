/**
 * Reads a backup file completely: prefix, then every message authenticated in order, with the structure
 * checked (entry sizes, data message lengths, one database, the manifest matching what was read, nothing
 * after the final message). Used by verify, restore and the read-back of a new backup. Memory is bounded:
 * two read-ahead blocks and one message.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Sodium } from '../vault/sodium';
import { BackupError, throwIfAborted } from './errors';
import { decodePrefix, entryHeaderSchema, manifestSchema, messageType } from './format';
import type { BackupManifest, DecodedPrefix, EntryHeader } from './format';
import { readAt, readBytes } from './fs-utils';
import { createSecretstreamPuller } from './secretstream';

/** Control messages (entry, end) are small JSON: anything larger is not one this format writes. */
const maxControlBytes = 64 * 1024;
/** Read-ahead block: the next block is read from disk while the current one is decrypted. */
const blockBytes = 4 * 1024 * 1024;

/**
 * Sequential reads of `[start, end)` in large blocks, one block ahead, into two buffers used in turn (and one
 * scratch buffer for a read that spans two blocks): no fresh memory per message.
 */
function createSequentialReader(handle: FileHandle, start: number, end: number) {
  const blocks = [Buffer.allocUnsafe(blockBytes), Buffer.allocUnsafe(blockBytes)];
  let scratch = Buffer.allocUnsafe(0);
  let fetchedUpTo = start;
  let turn = 0;
  const fetch = (): Promise<Buffer> | null => {
    if (fetchedUpTo >= end) return null;
    const length = Math.min(blockBytes, end - fetchedUpTo);
    const at = fetchedUpTo;
    const into = blocks[turn]!;
    turn ^= 1;
    fetchedUpTo += length;
    const read = readAt(handle, into, 0, length, at).then((n) => into.subarray(0, n));
    // A read ahead that nobody awaits any more (the reading stopped: damage found, cancelled) fails silently.
    read.catch(() => undefined);
    return read;
  };
  let next = fetch();
  let current: Buffer = Buffer.alloc(0);
  let offset = 0;
  let position = start;
  const nextBlock = async (): Promise<boolean> => {
    if (!next) return false;
    const block = await next;
    // A file shorter than it was when it was opened simply ends here.
    if (block.length === 0) {
      next = null;
      return false;
    }
    current = block;
    offset = 0;
    // The other buffer is free again (what it held was consumed or copied): read ahead into it.
    next = fetch();
    return true;
  };
  return {
    /** Where the next byte would come from. */
    get position() {
      return position;
    },
    /** `length` bytes, or fewer at the end of the file. The result is only valid until the next call. */
    async take(length: number): Promise<Buffer> {
      if (current.length - offset >= length) {
        const out = current.subarray(offset, offset + length);
        offset += length;
        position += length;
        return out;
      }
      if (scratch.length < length) scratch = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        if (current.length - offset === 0 && !(await nextBlock())) break;
        const n = Math.min(length - filled, current.length - offset);
        current.copy(scratch, filled, offset, offset + n);
        offset += n;
        filled += n;
      }
      position += filled;
      return scratch.subarray(0, filled);
    },
  };
}

export interface BodyVisitor {
  entry?(entry: EntryHeader): Promise<void> | void;
  /** A chunk of the current entry's bytes, in order. */
  data?(entry: EntryHeader, chunk: Uint8Array): Promise<void> | void;
  entryEnd?(entry: EntryHeader): Promise<void> | void;
}

export interface ReadBodyOptions {
  sodium: Sodium;
  handle: FileHandle;
  prefix: DecodedPrefix;
  fileKey: Uint8Array;
  visitor?: BodyVisitor;
  signal?: AbortSignal;
  /** Entry bytes read and authenticated (progress). */
  onData?: (bytes: number) => void;
}

/** Reads and checks the prefix of an open file. */
export function readPrefix(sodium: Sodium, handle: FileHandle): Promise<DecodedPrefix> {
  return decodePrefix(sodium, (offset, length) => readBytes(handle, offset, length));
}

const tampered = (what: string) => new BackupError('tampered', `The backup was altered or damaged: ${what}`);
const truncated = () => new BackupError('truncated', 'The backup file is cut short: it ends before its last message');

export async function readBody(options: ReadBodyOptions): Promise<BackupManifest> {
  const { sodium, handle, prefix, fileKey, visitor, signal } = options;
  const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const { chunkBytes } = prefix.header.stream;
  const fileSize = (await handle.stat()).size;

  let state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_pull']>;
  try {
    state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(sodium.from_base64(prefix.header.stream.header), fileKey);
  } catch {
    throw tampered('the stream header is invalid');
  }

  const seen: BackupManifest = { entries: 0, databaseBytes: 0, mediaFiles: 0, mediaBytes: 0 };
  let current: { entry: EntryHeader; remaining: number } | null = null;
  let hasDatabase = false;
  const reader = createSequentialReader(handle, prefix.bodyOffset, fileSize);
  // Each plaintext is valid until the next message (visitors finish with a chunk before they return).
  const puller = createSecretstreamPuller(sodium, state, prefix.checksum);
  try {
    for (;;) {
      throwIfAborted(signal);
      if (reader.position >= fileSize) throw truncated();
      const lengthBytes = await reader.take(4);
      if (lengthBytes.length < 4) throw truncated();
      const length = lengthBytes.readUInt32LE(0);
      // Data messages have a known length: one that differs is a changed byte, found before reading.
      const dataLength = current ? Math.min(chunkBytes, current.remaining) : 0;
      if (current ? length !== 1 + dataLength + ABYTES : length < 1 + ABYTES || length > 1 + maxControlBytes + ABYTES) {
        throw tampered('a message length is wrong');
      }
      const cipher = await reader.take(length);
      if (cipher.length < length) throw truncated();

      const result = puller.pull(cipher);
      if (!result) throw tampered('a message failed authentication');
      const { message, tag } = result;
      const type = message[0];

      if (current) {
        if (type !== messageType.data || tag === TAG_FINAL) throw tampered('an entry is incomplete');
        const chunk = message.subarray(1);
        await visitor?.data?.(current.entry, chunk);
        options.onData?.(chunk.length);
        current.remaining -= chunk.length;
        if (current.remaining === 0) {
          await visitor?.entryEnd?.(current.entry);
          current = null;
        }
        continue;
      }

      if (type === messageType.entry && tag !== TAG_FINAL) {
        const entry = parseJson(message, entryHeaderSchema, 'an entry header is invalid');
        if (entry.kind === 'database') {
          if (hasDatabase) throw tampered('the backup holds two databases');
          hasDatabase = true;
        }
        count(seen, entry);
        await visitor?.entry?.(entry);
        if (entry.size === 0) await visitor?.entryEnd?.(entry);
        else current = { entry, remaining: entry.size };
        continue;
      }

      if (type === messageType.end && tag === TAG_FINAL) {
        const manifest = parseJson(message, manifestSchema, 'the manifest is invalid');
        if (!hasDatabase) throw tampered('the backup holds no database');
        if (manifest.entries !== seen.entries || manifest.databaseBytes !== seen.databaseBytes || manifest.mediaFiles !== seen.mediaFiles || manifest.mediaBytes !== seen.mediaBytes) {
          throw tampered('the manifest does not match the entries');
        }
        if (reader.position !== fileSize) throw tampered('there are bytes after the last message');
        return manifest;
      }
      throw tampered('a message is out of place');
    }
  } finally {
    puller.dispose();
  }
}

function count(seen: BackupManifest, entry: EntryHeader): void {
  seen.entries++;
  if (entry.kind === 'database') seen.databaseBytes += entry.size;
  else {
    seen.mediaFiles++;
    seen.mediaBytes += entry.size;
  }
}

function parseJson<T>(message: Uint8Array, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(message.buffer, message.byteOffset + 1, message.length - 1).toString('utf8'));
  } catch {
    throw tampered(what);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw tampered(what);
  return parsed.data;
}
