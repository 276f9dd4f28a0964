/**
 * The read-back of a new backup, in a worker thread beside the writing. Each message the writer has written
 * (its position and its ciphertext) is read back from the file and compared
 * byte for byte; at the end every byte from the first message to the end of the file must have been
 * compared, and the file must be exactly as long as written. When the writer is done, the worker is a few
 * messages behind, not a whole file behind.
 *
 * What it proves: the file holds exactly the ciphertext the writer produced — what the disk, the file system
 * or a sync client changed, dropped or added is found. A comparison, not a second decryption: decrypting
 * ciphertext made a moment ago would only test libsodium again, and would double the CPU of a backup.
 * Parsing and decrypting a whole file is verify's (verify.ts), which tests run on every kind of backup.
 *
 * Reads happen before the final fsync, as a read-back after it would: both read what the OS will write.
 * Plain CommonJS evaluated in place (like vault/argon2.ts), so it runs the same in Node, the preview host
 * and Electron's utility process.
 */
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, fstatSync, closeSync } = require('node:fs');
const fd = openSync(workerData.path, 'r');
const records = new Map();
let compared = 0;
let messages = 0;
let failure = null;
let buffer = Buffer.allocUnsafe(0);

function compare(position, cipher) {
  const length = 4 + cipher.length;
  if (buffer.length < length) buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  if (filled < length) return 'the file is shorter than written at byte ' + position;
  if (buffer.readUInt32LE(0) !== cipher.length || !buffer.subarray(4, length).equals(cipher)) return 'the bytes at ' + position + ' differ from those written';
  compared += length;
  messages++;
  return null;
}

parentPort.on('message', (message) => {
  if (message.type === 'record') {
    records.set(message.id, Buffer.from(message.memory));
    return;
  }
  if (message.type === 'written') {
    const cipher = message.id === null ? Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength) : records.get(message.id).subarray(message.offset, message.offset + message.length);
    if (!failure) failure = compare(message.position, cipher);
    if (message.id !== null) parentPort.postMessage({ type: 'released', id: message.id });
    return;
  }
  if (!failure && compared !== message.fileBytes - workerData.bodyOffset) failure = 'not every byte was compared';
  if (!failure && fstatSync(fd).size !== message.fileBytes) failure = 'the file is not as long as written';
  closeSync(fd);
  parentPort.postMessage(failure ? { type: 'result', ok: false, reason: failure } : { type: 'result', ok: true, messages });
});
`;

export interface ReadBackResult {
  ok: boolean;
  /** Why it failed, in words (for the error and the log). */
  reason?: string;
  /** Messages read back and found identical. */
  messages?: number;
}

export interface ReadBack {
  /**
   * The message at `position` is written: it is read back and compared. Bytes in shared memory are read
   * where they are and `release` is called once compared; other bytes are copied and released at once.
   */
  written(position: number, cipher: Uint8Array, release: () => void): void;
  /** The file is complete at `fileBytes` bytes: resolves once everything written has been compared. */
  finish(fileBytes: number): Promise<ReadBackResult>;
  /** Stops the worker (after a failure or a cancel). Idempotent. */
  stop(): Promise<void>;
}

export interface ReadBackOptions {
  path: string;
  /** Where the first message starts (the prefix before it is compared by the writer). */
  bodyOffset: number;
}

export function startReadBack(options: ReadBackOptions): ReadBack {
  const worker = new Worker(workerSource, { eval: true, workerData: { path: options.path, bodyOffset: options.bodyOffset } });
  let stopped = false;
  let exited = false;
  // Shared records the worker knows (by id), and the writer's release for each one being compared.
  const recordIds = new WeakMap<SharedArrayBuffer, number>();
  let nextRecordId = 0;
  const releases = new Map<number, () => void>();
  const releaseAll = () => {
    for (const release of releases.values()) release();
    releases.clear();
  };
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A worker that stopped compares nothing more: the writer gets its records back and is not held up.
  void exit.then(() => {
    exited = true;
    releaseAll();
  });
  const result = new Promise<ReadBackResult>((resolve) => {
    worker.on('message', (message: { type: 'released'; id: number } | ({ type: 'result' } & ReadBackResult)) => {
      if (message.type === 'released') {
        const release = releases.get(message.id);
        releases.delete(message.id);
        release?.();
        return;
      }
      resolve({ ok: message.ok, ...(message.reason ? { reason: message.reason } : {}), ...(message.messages !== undefined ? { messages: message.messages } : {}) });
    });
    worker.once('error', (error) => {
      releaseAll();
      resolve({ ok: false, reason: error.message });
    });
    void exit.then(() => resolve({ ok: false, reason: 'the read-back stopped' }));
  });
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      await worker.terminate();
    }
    await exit;
  };
  return {
    written(position, cipher, release) {
      if (stopped || exited) return release();
      const memory = cipher.buffer;
      if (!(memory instanceof SharedArrayBuffer)) {
        // Copied into the message: the writer may use its buffer again at once.
        worker.postMessage({ type: 'written', position, id: null, bytes: cipher });
        return release();
      }
      let id = recordIds.get(memory);
      if (id === undefined) {
        id = nextRecordId++;
        recordIds.set(memory, id);
        worker.postMessage({ type: 'record', id, memory });
      }
      releases.set(id, release);
      worker.postMessage({ type: 'written', position, id, offset: cipher.byteOffset, length: cipher.byteLength });
    },
    async finish(fileBytes) {
      worker.postMessage({ type: 'end', fileBytes });
      const outcome = await result;
      await stop();
      return outcome;
    },
    stop,
  };
}
