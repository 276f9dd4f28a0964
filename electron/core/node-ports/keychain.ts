import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeychainPort } from '../ports';

/**
 * Stands in for the OS keychain in tests and the preview host: a random key in a file beside the data.
 * It keeps the wrap/unwrap contract honest (wrong or tampered input fails) but protects nothing; the app
 * uses Electron's safeStorage instead.
 */
export function createFileKeychain(keyFile: string): KeychainPort {
  let key: Buffer | null = null;
  const loadKey = (): Buffer => {
    if (key) return key;
    try {
      key = readFileSync(keyFile);
    } catch {
      mkdirSync(dirname(keyFile), { recursive: true });
      key = randomBytes(32);
      writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
    }
    if (key.length !== 32) throw new Error('The development keychain file is damaged');
    return key;
  };

  return {
    isAvailable: async () => true,
    async wrap(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    async unwrap(wrapped) {
      const data = Buffer.from(wrapped);
      if (data.length < 28) throw new Error('The wrapped secret is too short');
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return new Uint8Array(Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]));
    },
  };
}
