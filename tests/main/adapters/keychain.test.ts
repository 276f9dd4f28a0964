import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createSafeStorageKeychain, KeychainUnavailableError } from '../../../electron/main/adapters/keychain';
import type { SafeStorageLike } from '../../../electron/main/adapters/keychain';

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

/** safeStorage with a reversible "encryption" (XOR with a fixed pad, plus a header) so round trips are real. */
function fakeSafeStorage(options: { available?: boolean; backend?: Backend; platform?: NodeJS.Platform } = {}) {
  const pad = 0x5a;
  const header = Buffer.from('v11');
  return {
    isEncryptionAvailable: vi.fn(() => options.available ?? true),
    getSelectedStorageBackend: vi.fn((): Backend => {
      // Electron documents this as Linux-only.
      if ((options.platform ?? 'linux') !== 'linux') throw new Error('getSelectedStorageBackend is only available on Linux');
      return options.backend ?? 'gnome_libsecret';
    }),
    encryptString: vi.fn((plain: string) => Buffer.concat([header, Buffer.from(plain, 'utf8').map((b) => b ^ pad)])),
    decryptString: vi.fn((encrypted: Buffer) => {
      if (!encrypted.subarray(0, 3).equals(header)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(encrypted.subarray(3).map((b) => b ^ pad)).toString('utf8');
    }),
  };
}

describe('the safeStorage keychain', () => {
  it('refuses Linux basic_text, whose password is hard-coded', async () => {
    const safeStorage = fakeSafeStorage({ backend: 'basic_text' });
    const keychain = createSafeStorageKeychain(safeStorage, 'linux');
    await expect(keychain.isAvailable()).resolves.toBe(false);
    await expect(keychain.wrap(new Uint8Array(32))).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(keychain.unwrap(new Uint8Array(35))).rejects.toMatchObject({ code: 'keychain_unavailable' });
    expect(safeStorage.encryptString).not.toHaveBeenCalled();
    expect(safeStorage.decryptString).not.toHaveBeenCalled();
  });

  it('refuses a Linux backend it cannot identify', async () => {
    await expect(createSafeStorageKeychain(fakeSafeStorage({ backend: 'unknown' }), 'linux').isAvailable()).resolves.toBe(false);
  });

  it.each<Backend>(['gnome_libsecret', 'kwallet5', 'kwallet6'])('accepts the Linux %s backend', async (backend) => {
    await expect(createSafeStorageKeychain(fakeSafeStorage({ backend }), 'linux').isAvailable()).resolves.toBe(true);
  });

  it.each<NodeJS.Platform>(['darwin', 'win32'])('is available on %s when encryption is, without asking for a Linux backend', async (platform) => {
    const keychain = createSafeStorageKeychain(fakeSafeStorage({ platform }), platform);
    await expect(keychain.isAvailable()).resolves.toBe(true);
    await expect(keychain.unwrap(await keychain.wrap(new Uint8Array([1, 2, 3])))).resolves.toEqual(new Uint8Array([1, 2, 3]));
  });

  it('is unavailable, and says so clearly, when the OS offers no encryption', async () => {
    const keychain = createSafeStorageKeychain(fakeSafeStorage({ available: false, platform: 'darwin' }), 'darwin');
    await expect(keychain.isAvailable()).resolves.toBe(false);
    await expect(keychain.wrap(new Uint8Array(32))).rejects.toThrow(/keychain/i);
  });

  it('round-trips every byte value, through encryptString', async () => {
    const safeStorage = fakeSafeStorage();
    const keychain = createSafeStorageKeychain(safeStorage, 'linux');
    const secret = new Uint8Array([0, 255, 128, 10, 13, ...randomBytes(64)]);
    const wrapped = await keychain.wrap(secret);
    expect(wrapped).toBeInstanceOf(Uint8Array);
    expect(safeStorage.encryptString).toHaveBeenCalledWith(Buffer.from(secret).toString('base64'));
    expect(Buffer.from(wrapped).includes(Buffer.from(secret))).toBe(false);
    const unwrapped = await keychain.unwrap(wrapped);
    expect(unwrapped).toEqual(secret);
  });

  it('fails on wrapped bytes the keychain cannot decrypt', async () => {
    const keychain = createSafeStorageKeychain(fakeSafeStorage(), 'linux');
    await expect(keychain.unwrap(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
  });

  it('fails on something that decrypts but is not a wrapped secret', async () => {
    const safeStorage = fakeSafeStorage();
    const keychain = createSafeStorageKeychain(safeStorage, 'linux');
    await expect(keychain.unwrap(new Uint8Array(safeStorage.encryptString('not base64 at all!')))).rejects.toThrow(/not a wrapped/);
  });
});
