import { describe, expect, it } from 'vitest';
import {
  deriveWorkspaceKeys,
  unwrapWithKeychain,
  unwrapWithPassphrase,
  unwrapWithRecoveryKey,
  wrapWithKeychain,
  wrapWithPassphrase,
  wrapWithRecoveryKey,
} from '../../../electron/core/vault/keys';
import { formatRecoveryKey, generateRecoveryKey, normaliseRecoveryKey } from '../../../electron/core/vault/recovery-key';
import { loadSodium } from '../../../electron/core/vault/sodium';
import type { VaultFile } from '../../../electron/core/vault/vault-file';
import { createFileKeychain } from '../../../electron/core/node-ports';
import type { KeychainPort } from '../../../electron/core/ports';
import { tempDir } from '../helpers';
import { join } from 'node:path';

/** Tests may use cheap Argon2id parameters (DESIGN: tests may pass lower parameters). */
const fastArgon2 = { opslimit: 1, memlimit: 8192 };

async function vaultWith(master: Uint8Array, passphrase: string, recovery: string, keychain?: KeychainPort): Promise<VaultFile> {
  const base = { format: 1 as const, id: 'ws-test-0001', kind: 'business' as const, name: 'Clinic', createdAt: 0, publicKey: '' };
  return {
    ...base,
    wraps: {
      passphrase: await wrapWithPassphrase(base, master, passphrase, fastArgon2),
      recovery: await wrapWithRecoveryKey(base, master, recovery),
      ...(keychain ? { keychain: await wrapWithKeychain(keychain, master) } : {}),
    },
  };
}

describe('vault keys', () => {
  it('unwraps the same master key by passphrase, recovery key and keychain', async () => {
    const sodium = await loadSodium();
    const master = sodium.randombytes_buf(32);
    const recovery = generateRecoveryKey();
    const keychain = createFileKeychain(join(tempDir(), 'kc.key'));
    const vault = await vaultWith(master, 'correct horse battery', recovery, keychain);
    expect(await unwrapWithPassphrase(vault, 'correct horse battery')).toEqual(master);
    expect(await unwrapWithRecoveryKey(vault, formatRecoveryKey(recovery))).toEqual(master);
    expect(await unwrapWithKeychain(vault, keychain)).toEqual(master);
    expect(JSON.stringify(vault)).not.toContain(sodium.to_base64(master));
  });

  it('refuses a wrong passphrase and a wrong recovery key with their own codes', async () => {
    const sodium = await loadSodium();
    const recovery = generateRecoveryKey();
    const vault = await vaultWith(sodium.randombytes_buf(32), 'correct horse battery', recovery);
    await expect(unwrapWithPassphrase(vault, 'correct horse batterY')).rejects.toMatchObject({ code: 'wrong_passphrase' });
    const wrongDigit = (recovery[0] === '1' ? '2' : '1') + recovery.slice(1);
    await expect(unwrapWithRecoveryKey(vault, wrongDigit)).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    await expect(unwrapWithRecoveryKey(vault, '1234')).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    await expect(unwrapWithKeychain(vault, createFileKeychain(join(tempDir(), 'k')))).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });

  it('treats the same passphrase typed in another Unicode form as the same', async () => {
    const sodium = await loadSodium();
    const master = sodium.randombytes_buf(32);
    const composed = 'café crème brûlée';
    const vault = await vaultWith(master, composed, generateRecoveryKey());
    expect(await unwrapWithPassphrase(vault, composed.normalize('NFD'))).toEqual(master);
  });

  it('refuses a wrap moved to another workspace', async () => {
    const sodium = await loadSodium();
    const vault = await vaultWith(sodium.randombytes_buf(32), 'correct horse battery', generateRecoveryKey());
    await expect(unwrapWithPassphrase({ ...vault, id: 'ws-other-0002' }, 'correct horse battery')).rejects.toMatchObject({ code: 'wrong_passphrase' });
  });

  it('refuses a passphrase shorter than 10 characters and names the field', async () => {
    await expect(wrapWithPassphrase({ id: 'ws-test-0001' }, new Uint8Array(32), 'short', fastArgon2)).rejects.toMatchObject({
      code: 'passphrase_too_weak',
      fields: [{ path: 'passphrase' }],
    });
  });

  it('refuses keychain wrapping when the keychain is insecure or missing', async () => {
    const insecure: KeychainPort = { isAvailable: async () => false, wrap: async (b) => b, unwrap: async (b) => b };
    await expect(wrapWithKeychain(insecure, new Uint8Array(32))).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });

  it('derives distinct subkeys and a box key pair deterministically from the master key', async () => {
    const sodium = await loadSodium();
    const master = sodium.randombytes_buf(32);
    const a = deriveWorkspaceKeys(sodium, master);
    const b = deriveWorkspaceKeys(sodium, master);
    expect(a.database).toEqual(b.database);
    expect(a.boxPublicKey).toEqual(b.boxPublicKey);
    const all = [a.database, a.media, a.backup, a.boxSecretKey].map((k) => sodium.to_hex(k));
    expect(new Set(all).size).toBe(4);
    // What is sealed to the public key opens with the derived secret key (the closed-archive spool relies on it).
    const sealed = sodium.crypto_box_seal(sodium.from_string('event'), a.boxPublicKey);
    expect(sodium.to_string(sodium.crypto_box_seal_open(sealed, b.boxPublicKey, b.boxSecretKey))).toBe('event');
  });
});

describe('recovery key', () => {
  it('is 64 digits, shown in 16 groups of 4, and accepts what people type back', () => {
    const key = generateRecoveryKey();
    expect(key).toMatch(/^\d{64}$/);
    expect(formatRecoveryKey(key).split(' ')).toHaveLength(16);
    expect(normaliseRecoveryKey(formatRecoveryKey(key))).toBe(key);
    expect(normaliseRecoveryKey(key.replace(/(\d{4})/g, '$1-'))).toBe(key);
    const fullWidth = key.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(normaliseRecoveryKey(fullWidth)).toBe(key);
    expect(normaliseRecoveryKey(key.slice(1))).toBeNull();
    expect(normaliseRecoveryKey(`${key.slice(1)}x`)).toBeNull();
  });
});
