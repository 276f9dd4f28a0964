/** Small file-system helpers for writing backups durably: whole writes, exact reads, directory fsync. */
import { open, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Writes every byte of `buffers` at `position` (a positional write may be partial: the rest is written again). */
export async function writeAllAt(handle: FileHandle, buffers: Uint8Array[], position: number): Promise<void> {
  let remaining = buffers;
  let at = position;
  for (;;) {
    const total = remaining.reduce((sum, b) => sum + b.length, 0);
    if (total === 0) return;
    const { bytesWritten } = await handle.writev(remaining, at);
    if (bytesWritten === total) return;
    if (bytesWritten === 0) throw Object.assign(new Error('The backup file could not be written'), { code: 'EIO' });
    at += bytesWritten;
    let skip = bytesWritten;
    const next: Uint8Array[] = [];
    for (const b of remaining) {
      if (skip >= b.length) skip -= b.length;
      else {
        next.push(skip > 0 ? b.subarray(skip) : b);
        skip = 0;
      }
    }
    remaining = next;
  }
}

/** Reads `length` bytes at `position` into `into` at `offset`; fewer only at the end of the file. */
export async function readAt(handle: FileHandle, into: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(into, offset + filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/** A fresh buffer of `length` bytes read at `position` (shorter at the end of the file). */
export async function readBytes(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  const n = await readAt(handle, buffer, 0, length, position);
  return n === length ? buffer : buffer.subarray(0, n);
}

/**
 * Makes a rename or a new file in `dir` durable. Windows cannot open a directory for fsync and some file
 * systems (network and cloud-drive mounts) refuse it: there the rename is as durable as that system makes it.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EACCES', 'EBADF'].includes(code ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes a file or folder if it is there; a failure to clean up never hides the error being reported. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}
