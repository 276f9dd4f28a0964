/**
 * libsodium's `crypto_secretstream_xchacha20poly1305_push`, called on libsodium.js's WebAssembly module
 * directly, writing each ciphertext into a buffer the caller reuses.
 *
 * Why: the wrapper function allocates a new zeroed array for every output. For a 1 MiB message that is a
 * fresh allocation from the OS (page faults, zeroing) and a copy — measured at a third of a backup's CPU,
 * more than the rest of the pipeline together. Here the plaintext and ciphertext areas in wasm memory are
 * reserved once; the same C function runs on the same state, so the stream is byte for byte the wrapper's
 * (the tests decrypt every backup with the wrapper's `pull`).
 */
import type { StateAddress } from 'libsodium-wrappers-sumo';
import type { Sodium } from '../vault/sodium';

/** The part of libsodium.js's Emscripten module used here (`sodium.libsodium`). */
interface LibsodiumModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
  /** (state, c, clen_p, m, mlen low, mlen high, ad, adlen low, adlen high, tag) → 0 on success. */
  _crypto_secretstream_xchacha20poly1305_push(...args: number[]): number;
}

export interface SecretstreamPusher {
  /** Encrypts `parts`, one after the other, as the stream's next message into `into`; returns its length. */
  push(parts: Uint8Array[], tag: number, into: Uint8Array): number;
  /** Wipes and frees the wasm memory it reserved. Idempotent. */
  dispose(): void;
}

export function createSecretstreamPusher(sodium: Sodium, state: StateAddress, additionalData: Uint8Array): SecretstreamPusher {
  const lib = (sodium as unknown as { libsodium: LibsodiumModule }).libsodium;
  const abytes = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const ad = lib._malloc(Math.max(1, additionalData.length));
  lib.HEAPU8.set(additionalData, ad);
  let capacity = 0;
  let m = 0;
  let c = 0;
  let disposed = false;

  // The memory views are read again after every allocation: wasm memory may have grown (and moved).
  const wipe = () => {
    if (capacity > 0) {
      lib.HEAPU8.fill(0, m, m + capacity);
      lib.HEAPU8.fill(0, c, c + capacity + abytes);
      lib._free(m);
      lib._free(c);
    }
  };
  const reserve = (size: number) => {
    if (size <= capacity) return;
    wipe();
    capacity = size;
    m = lib._malloc(capacity);
    c = lib._malloc(capacity + abytes);
    if (!m || !c) throw new Error('libsodium could not reserve memory for the backup stream');
  };

  return {
    push(parts, tag, into) {
      if (disposed) throw new Error('The stream encryptor is disposed');
      const plaintextBytes = parts.reduce((sum, part) => sum + part.length, 0);
      const length = plaintextBytes + abytes;
      if (into.length < length) throw new RangeError('The ciphertext buffer is too small');
      reserve(Math.max(plaintextBytes, 1));
      let at = m;
      for (const part of parts) {
        lib.HEAPU8.set(part, at);
        at += part.length;
      }
      const result = lib._crypto_secretstream_xchacha20poly1305_push(state as unknown as number, c, 0, m, plaintextBytes, 0, ad, additionalData.length, 0, tag);
      if (result !== 0) throw new Error('libsodium refused to encrypt a backup message');
      into.set(lib.HEAPU8.subarray(c, c + length));
      return length;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      wipe();
      lib._free(ad);
    },
  };
}
