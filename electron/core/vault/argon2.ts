import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Argon2Params {
  opslimit: number;
  memlimit: number;
}

/** Meta-independent constants: libsodium's MODERATE limits (ops 3, 256 MiB), what every real workspace uses. */
export const moderateArgon2: Argon2Params = { opslimit: 3, memlimit: 256 * 1024 * 1024 };

// Plain CommonJS so it runs as an eval worker in Node, the preview host and Electron's utility process alike.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
sodium.ready.then(() => {
  try {
    const key = sodium.crypto_pwhash(32, workerData.passphrase, workerData.salt, workerData.opslimit, workerData.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    parentPort.postMessage({ ok: true, key });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});
`;

const sodiumPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');

/**
 * Argon2id(passphrase, salt) → 32-byte key, in a worker thread: at MODERATE it takes a second or two of CPU,
 * and core must keep receiving webhooks meanwhile. The passphrase is NFC-normalised so the same words typed
 * on macOS and Windows give the same key.
 */
export function deriveKeyFromPassphrase(passphrase: string, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { sodiumPath, passphrase: passphrase.normalize('NFC'), salt, opslimit: params.opslimit, memlimit: params.memlimit },
    });
    worker.once('message', (message: { ok: true; key: Uint8Array } | { ok: false; message: string }) => {
      void worker.terminate();
      if (message.ok) resolve(new Uint8Array(message.key));
      else reject(new Error(`Argon2id failed: ${message.message}`));
    });
    worker.once('error', reject);
  });
}
