/**
 * A consistent copy of the live archive while core keeps writing: `VACUUM INTO` on a second, read-only
 * connection, in a worker thread. The copy is one read transaction (WAL readers see one commit, whatever is
 * written meanwhile), compacted, and — checked below and in the tests — encrypted by SQLite3MultipleCiphers
 * with the same cipher and key as the archive, so no plaintext page is ever on disk. It lands in the
 * workspace folder (same disk, same protection) and is deleted as soon as it has been streamed.
 *
 * The worker is plain CommonJS evaluated in place (like vault/argon2.ts), so it runs the same in Node, the
 * preview host and Electron's utility process; it keeps core's event loop free during the seconds a large
 * archive takes to copy.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cipherPragmas } from '../archive/connection';
import { cancelled } from './errors';
import { removeQuietly } from './fs-utils';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const { databasePath, targetPath, key, pragmas } = workerData;
let db = null;
try {
  db = new Database(databasePath, { readonly: true, fileMustExist: true, timeout: 10000 });
  for (const pragma of pragmas) db.pragma(pragma);
  const hex = '0123456789abcdef';
  const spec = Buffer.alloc(3 + key.length * 2);
  spec[0] = 0x78; spec[1] = 0x27; spec[spec.length - 1] = 0x27;
  for (let i = 0; i < key.length; i++) { spec[2 + i * 2] = hex.charCodeAt(key[i] >> 4); spec[3 + i * 2] = hex.charCodeAt(key[i] & 15); }
  try { db.key(spec); } finally { spec.fill(0); key.fill(0); }
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  db.pragma('temp_store = MEMORY');
  db.prepare('VACUUM INTO ?').run(targetPath);
  db.close();
  db = null;
  parentPort.postMessage({ ok: true });
} catch (error) {
  try { if (db) db.close(); } catch {}
  parentPort.postMessage({ ok: false, code: (error && error.code) || null, message: String((error && error.message) || error) });
}
`;

const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
const snapshotPattern = /^\.backup-snapshot-[0-9a-f]{16}\.db(-journal)?$/;
const inUse = new Set<string>();
const plaintextHeader = Buffer.from('SQLite format 3\u0000', 'latin1');

export interface Snapshot {
  /** Resolves with the snapshot's path once it is complete. */
  ready: Promise<string>;
  /** Stops the worker if it still runs and deletes the snapshot file. Idempotent. */
  dispose(): Promise<void>;
}

export interface SnapshotOptions {
  databasePath: string;
  /** The 32-byte database key; the worker receives a copy and wipes it. */
  key: Uint8Array;
  /** The workspace folder: the snapshot is written beside the archive. */
  dir: string;
  signal?: AbortSignal;
}

export function startSnapshot(options: SnapshotOptions): Snapshot {
  const targetPath = join(options.dir, `.backup-snapshot-${randomBytes(8).toString('hex')}.db`);
  inUse.add(targetPath);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { sqlitePath, databasePath: options.databasePath, targetPath, key: new Uint8Array(options.key), pragmas: [...cipherPragmas] },
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exit.then(() => (exited = true));

  const ready = new Promise<string>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { ok: true } | { ok: false; code: string | null; message: string }) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (!message.ok) reject(new Error(`The archive snapshot failed: ${message.message}${message.code ? ` (${message.code})` : ''}`));
      else assertEncrypted(targetPath).then(() => resolve(targetPath), reject);
    });
    worker.once('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    if (options.signal?.aborted) onAbort();
  });
  // The export awaits `ready` only after streaming the media listed before it: no unhandled rejection meanwhile.
  ready.catch(() => undefined);

  let disposed: Promise<void> | null = null;
  return {
    ready,
    dispose() {
      disposed ??= (async () => {
        // A VACUUM in progress finishes its native step before the thread stops; then the file is removed.
        if (!exited) await worker.terminate();
        await exit;
        await removeQuietly(targetPath);
        await removeQuietly(`${targetPath}-journal`);
        inUse.delete(targetPath);
      })();
      return disposed;
    },
  };
}

/** Refuses to go on if SQLite ever wrote a plaintext copy (the file would start with SQLite's own header). */
async function assertEncrypted(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(plaintextHeader.length);
    await handle.read(head, 0, head.length, 0);
    if (head.equals(plaintextHeader)) throw new Error('The archive snapshot was not encrypted');
  } finally {
    await handle.close();
  }
}

/** Deletes snapshots left by an export that was killed (older than `olderThanMs`, not in use in this process). */
export async function removeStaleSnapshots(dir: string, olderThanMs = 10 * 60_000): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if (!snapshotPattern.test(name) || inUse.has(path.replace(/-journal$/, ''))) continue;
    const info = await stat(path).catch(() => null);
    if (!info || Date.now() - info.mtimeMs < olderThanMs) continue;
    await removeQuietly(path);
    removed++;
  }
  return removed;
}
