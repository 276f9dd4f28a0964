/**
 * crypto_box_seal, byte for byte (so a desk opens it with libsodium's crypto_box_seal_open), with the X25519
 * work done by Node's native crypto. libsodium.js's own crypto_box_seal spends most of its ~0.7 ms drawing
 * the ephemeral key's random bytes through its JavaScript bridge; here the ephemeral key pair and the
 * Diffie-Hellman are native (~0.1 ms) and only the small steps stay in libsodium:
 *
 *   (epk, esk) = X25519 key pair          shared = X25519(esk, pk)      k = HSalsa20(shared, 0)  [= crypto_box_beforenm]
 *   nonce = BLAKE2b-192(epk ‖ pk)          sealed = epk ‖ XSalsa20-Poly1305(k, nonce, message)  [= crypto_box_easy]
 *
 * The ephemeral secret key never leaves this function, as with crypto_box_seal.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Sodium } from '../../electron/core/vault/sodium';

export type Sealer = (message: Uint8Array, recipientPublicKey: Uint8Array) => Uint8Array;

const zeroInput = new Uint8Array(16);

export function createSealer(sodium: Sodium): Sealer {
  // Workspace public keys as KeyObjects, made once each.
  const recipients = new Map<string, KeyObject>();
  const recipientKey = (publicKey: Uint8Array): KeyObject => {
    const x = Buffer.from(publicKey).toString('base64url');
    let key = recipients.get(x);
    if (!key) {
      if (recipients.size > 10_000) recipients.clear();
      key = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
      recipients.set(x, key);
    }
    return key;
  };

  return (message, recipientPublicKey) => {
    const ephemeral = generateKeyPairSync('x25519');
    const epk = Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipientKey(recipientPublicKey) });
    const key = sodium.crypto_core_hsalsa20(zeroInput, shared, null);
    shared.fill(0);
    const nonce = sodium.crypto_generichash(24, Buffer.concat([epk, recipientPublicKey]), null);
    const box = sodium.crypto_secretbox_easy(message, nonce, key);
    key.fill(0);
    const sealed = new Uint8Array(epk.length + box.length);
    sealed.set(epk, 0);
    sealed.set(box, epk.length);
    return sealed;
  };
}
