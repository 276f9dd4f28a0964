/**
 * libsodium's `crypto_secretstream_xchacha20poly1305_push` and `_pull`, called on libsodium.js's WebAssembly
 * module directly, with each output in a buffer that is reused.
 *
 * Why: the wrapper functions allocate a new zeroed array for every output. For a 1 MiB message that is a
 * fresh allocation from the OS (page faults, zeroing) and a copy — measured at a third of a backup's CPU,
 * more than the rest of the pipeline together. Here the input and output areas in wasm memory are reserved
 * once; the same C functions run on the same state, so the stream is byte for byte the wrapper's (tests
 * decrypt backups with the wrapper's `pull` and encrypt test files with its `push`).
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
  /** (state, m, mlen_p, tag_p, c, clen low, clen high, ad, adlen low, adlen high) → 0 if authentic. */
  _crypto_secretstream_xchacha20poly1305_pull(...args: number[]): number;
}

const moduleOf = (sodium: Sodium) => (sodium as unknown as { libsodium: LibsodiumModule }).libsodium;

/**
 * Two areas in wasm memory (an input of up to `capacity` bytes, an output of `capacity + extra`), grown on
 * demand and wiped when replaced or freed. The memory views are read again after every allocation: wasm
 * memory may have grown (and moved).
 */
function createAreas(lib: LibsodiumModule, extra: number) {
  let capacity = 0;
  let input = 0;
  let output = 0;
  const wipe = () => {
    if (capacity === 0) return;
    lib.HEAPU8.fill(0, input, input + capacity);
    lib.HEAPU8.fill(0, output, output + capacity + extra);
    lib._free(input);
    lib._free(output);
    capacity = 0;
  };
  return {
    get input() {
      return input;
    },
    get output() {
      return output;
    },
    reserve(size: number) {
      if (size <= capacity) return;
      wipe();
      input = lib._malloc(size);
      output = lib._malloc(size + extra);
      if (!input || !output) throw new Error('libsodium could not reserve memory for the backup stream');
      capacity = size;
    },
    wipe,
  };
}

export interface SecretstreamPusher {
  /** Encrypts `parts`, one after the other, as the stream's next message into `into`; returns its length. */
  push(parts: Uint8Array[], tag: number, into: Uint8Array): number;
  /** Wipes and frees the wasm memory it reserved. Idempotent. */
  dispose(): void;
}

export function createSecretstreamPusher(sodium: Sodium, state: StateAddress, additionalData: Uint8Array): SecretstreamPusher {
  const lib = moduleOf(sodium);
  const abytes = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const ad = lib._malloc(Math.max(1, additionalData.length));
  lib.HEAPU8.set(additionalData, ad);
  const areas = createAreas(lib, abytes);
  let disposed = false;

  return {
    push(parts, tag, into) {
      if (disposed) throw new Error('The stream encryptor is disposed');
      const plaintextBytes = parts.reduce((sum, part) => sum + part.length, 0);
      const length = plaintextBytes + abytes;
      if (into.length < length) throw new RangeError('The ciphertext buffer is too small');
      areas.reserve(Math.max(plaintextBytes, 1));
      let at = areas.input;
      for (const part of parts) {
        lib.HEAPU8.set(part, at);
        at += part.length;
      }
      const result = lib._crypto_secretstream_xchacha20poly1305_push(state as unknown as number, areas.output, 0, areas.input, plaintextBytes, 0, ad, additionalData.length, 0, tag);
      if (result !== 0) throw new Error('libsodium refused to encrypt a backup message');
      into.set(lib.HEAPU8.subarray(areas.output, areas.output + length));
      return length;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      areas.wipe();
      lib._free(ad);
    },
  };
}

export interface SecretstreamPuller {
  /**
   * Decrypts the stream's next message. Returns null when it fails authentication; otherwise its plaintext,
   * in a buffer that the next call overwrites, and its tag.
   */
  pull(cipher: Uint8Array): { message: Uint8Array; tag: number } | null;
  /** Wipes and frees the wasm memory it reserved, and the last plaintext. Idempotent. */
  dispose(): void;
}

export function createSecretstreamPuller(sodium: Sodium, state: StateAddress, additionalData: Uint8Array): SecretstreamPuller {
  const lib = moduleOf(sodium);
  const abytes = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const ad = lib._malloc(Math.max(1, additionalData.length));
  const tag = lib._malloc(1);
  lib.HEAPU8.set(additionalData, ad);
  // Here the input is the ciphertext and the output the (shorter) plaintext.
  const areas = createAreas(lib, 0);
  let plaintext = Buffer.alloc(0);
  let disposed = false;

  return {
    pull(cipher) {
      if (disposed) throw new Error('The stream decryptor is disposed');
      if (cipher.length < abytes) return null;
      areas.reserve(cipher.length);
      lib.HEAPU8.set(cipher, areas.input);
      const result = lib._crypto_secretstream_xchacha20poly1305_pull(state as unknown as number, areas.output, 0, tag, areas.input, cipher.length, 0, ad, additionalData.length, 0);
      if (result !== 0) return null;
      const length = cipher.length - abytes;
      if (plaintext.length < length) plaintext = Buffer.allocUnsafeSlow(length);
      plaintext.set(lib.HEAPU8.subarray(areas.output, areas.output + length));
      return { message: plaintext.subarray(0, length), tag: lib.HEAPU8[tag]! };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      areas.wipe();
      plaintext.fill(0);
      lib._free(ad);
      lib._free(tag);
    },
  };
}
