/**
 * The keychain port over Electron's safeStorage (macOS Keychain, Windows DPAPI, Linux Secret Service or
 * KWallet). Bytes cross as base64 because safeStorage encrypts strings.
 */
import type { SafeStorage } from 'electron';
import type { KeychainPort } from '../../core/ports';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

/** Carries a stable code across the RPC peer, so core can tell "no keychain" from a failure. */
export class KeychainUnavailableError extends Error {
  readonly code = 'keychain_unavailable';
  constructor() {
    super('No secure OS keychain is available (none found, or only Linux "basic_text", whose password is hard-coded)');
    this.name = 'KeychainUnavailableError';
  }
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function createSafeStorageKeychain(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): KeychainPort {
  const available = (): boolean => {
    if (!safeStorage.isEncryptionAvailable()) return false;
    if (platform !== 'linux') return true;
    // basic_text encrypts with a password written in Chromium's source: as good as plaintext.
    // 'unknown' (asked before ready) proves nothing, so it is refused too.
    const backend = safeStorage.getSelectedStorageBackend();
    return backend !== 'basic_text' && backend !== 'unknown';
  };
  const requireAvailable = () => {
    if (!available()) throw new KeychainUnavailableError();
  };

  return {
    isAvailable: async () => available(),
    async wrap(plain) {
      requireAvailable();
      const encrypted = safeStorage.encryptString(Buffer.from(plain).toString('base64'));
      return new Uint8Array(encrypted);
    },
    async unwrap(wrapped) {
      requireAvailable();
      const text = safeStorage.decryptString(Buffer.from(wrapped));
      if (!base64.test(text)) throw new Error('The keychain returned something that is not a wrapped Frontdesk secret');
      return new Uint8Array(Buffer.from(text, 'base64'));
    },
  };
}
