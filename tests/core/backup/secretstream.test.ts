import { describe, expect, it } from 'vitest';
import { createSecretstreamPuller, createSecretstreamPusher } from '../../../electron/core/backup/secretstream';
import { loadSodium } from '../../../electron/core/vault/sodium';

const messages = [Buffer.from('entry'), Buffer.alloc(300_000, 5), Buffer.alloc(0), Buffer.from('the end, 结束')];

describe('secretstream on the wasm module, without an allocation per message', () => {
  it('libsodium.js’s own functions read what it writes, and it reads what they write', async () => {
    const sodium = await loadSodium();
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const ad = sodium.randombytes_buf(32);
    const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    const tags = messages.map((_, i) => (i === messages.length - 1 ? TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE));

    const ours = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const pusher = createSecretstreamPusher(sodium, ours.state, ad);
    const oursPulled = sodium.crypto_secretstream_xchacha20poly1305_init_pull(ours.header, key);
    const record = Buffer.alloc(400_000);
    const ciphers: Uint8Array[] = [];
    messages.forEach((message, i) => {
      // Parts: a type byte and the bytes, as the backup writer gives them.
      const length = pusher.push([message.subarray(0, 1), message.subarray(1)], tags[i]!, record);
      const cipher = Uint8Array.from(record.subarray(0, length));
      ciphers.push(cipher);
      // The wrapper decrypts ours, message after message…
      const pulled = sodium.crypto_secretstream_xchacha20poly1305_pull(oursPulled, cipher, ad);
      expect(pulled && Buffer.from(pulled.message).equals(message)).toBe(true);
      expect(pulled && pulled.tag).toBe(tags[i]);
    });
    pusher.dispose();

    const puller = createSecretstreamPuller(sodium, sodium.crypto_secretstream_xchacha20poly1305_init_pull(ours.header, key), ad);
    ciphers.forEach((cipher, i) => {
      const result = puller.pull(cipher);
      expect(result && Buffer.from(result.message).equals(messages[i]!)).toBe(true);
      expect(result?.tag).toBe(tags[i]);
    });
    puller.dispose();

    // …and ours decrypts the wrapper's.
    const reference = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const wrapperCiphers = messages.map((message, i) => sodium.crypto_secretstream_xchacha20poly1305_push(reference.state, message, ad, tags[i]!));
    const fromWrapper = createSecretstreamPuller(sodium, sodium.crypto_secretstream_xchacha20poly1305_init_pull(reference.header, key), ad);
    wrapperCiphers.forEach((cipher, i) => expect(Buffer.from(fromWrapper.pull(cipher)!.message).equals(messages[i]!)).toBe(true));
    fromWrapper.dispose();
  });

  it('refuses a changed byte, other additional data and a message out of order', async () => {
    const sodium = await loadSodium();
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const ad = sodium.randombytes_buf(32);
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const [first, second] = [Buffer.from('one'), Buffer.from('two')].map((m) => sodium.crypto_secretstream_xchacha20poly1305_push(state, m, ad, 0));
    const pullerFor = (additionalData: Uint8Array) => createSecretstreamPuller(sodium, sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key), additionalData);

    const changed = Uint8Array.from(first!);
    changed[5]! ^= 1;
    expect(pullerFor(ad).pull(changed)).toBeNull();
    expect(pullerFor(sodium.randombytes_buf(32)).pull(first!)).toBeNull();
    expect(pullerFor(ad).pull(second!)).toBeNull();
    expect(pullerFor(ad).pull(first!.subarray(0, 5))).toBeNull();
  });
});
