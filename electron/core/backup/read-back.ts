/**
 * The read-back of a new backup, in a worker thread beside the writing. Each message the writer has written
 * (its position and its ciphertext, handed over without a copy) is read back from the file and compared
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
  if (message.type === 'written') {
    if (!failure) failure = compare(message.position, Buffer.from(message.cipher.buffer, message.cipher.byteOffset, message.cipher.byteLength));
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
   * The message at `position` is written: it is read back and compared. The ciphertext's memory moves to
   * the worker (the caller must not use it again).
   */
  written(position: number, cipher: Uint8Array): void;
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
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const result = new Promise<ReadBackResult>((resolve) => {
    worker.once('message', (message: ReadBackResult) => {
      resolve({ ok: message.ok, ...(message.reason ? { reason: message.reason } : {}), ...(message.messages !== undefined ? { messages: message.messages } : {}) });
    });
    worker.once('error', (error) => resolve({ ok: false, reason: error.message }));
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
    written(position, cipher) {
      if (stopped) return;
      // libsodium returns each ciphertext in its own buffer: it moves without a copy.
      const own = cipher.byteOffset === 0 && cipher.buffer.byteLength === cipher.byteLength && cipher.buffer instanceof ArrayBuffer;
      if (own) worker.postMessage({ type: 'written', position, cipher }, [cipher.buffer as ArrayBuffer]);
      else worker.postMessage({ type: 'written', position, cipher: new Uint8Array(cipher) });
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
