import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes are grouped into chunks of about this size: few syscalls, bounded memory. */
const flushBytes = 256 * 1024;

/**
 * Writes a file from a stream of pieces under a temporary name in the same folder, syncs it, then renames
 * it over `destination`: a failure or a crash never leaves a partial file under the final name.
 */
export async function writeFileAtomically(destination: string, pieces: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<{ bytes: number }> {
  const temporary = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await open(temporary, 'wx', 0o600);
  let bytes = 0;
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const chunk = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await handle.write(chunk);
    };
    for await (const piece of pieces) {
      const buffer = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      pending.push(buffer);
      pendingBytes += buffer.length;
      bytes += buffer.length;
      if (pendingBytes >= flushBytes) await flush();
    }
    await flush();
    await handle.sync();
    await handle.close();
    await rename(temporary, destination);
    return { bytes };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
