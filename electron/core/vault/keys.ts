import { minPassphraseLength, passphraseLongEnough } from '../../../shared/rules/passphrase';
import { AppError } from '../errors';
import type { KeychainPort } from '../ports';
import { deriveKeyFromPassphrase, moderateArgon2 } from './argon2';
import type { Argon2Params } from './argon2';
import { normaliseRecoveryKey } from './recovery-key';
import { loadSodium } from './sodium';
import type { Sodium } from './sodium';
import type { VaultFile } from './vault-file';

/** Everything an open workspace needs, derived from its random master key. Lives only in core's memory. */
export interface WorkspaceKeys {
  master: Uint8Array;
  database: Uint8Array;
  media: Uint8Array;
  backup: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

const kdfContext = 'fdvault1'; // crypto_kdf contexts are exactly 8 bytes
const subkeyIds = { database: 1, media: 2, backup: 3, boxSeed: 4 } as const;


export function deriveWorkspaceKeys(sodium: Sodium, master: Uint8Array): WorkspaceKeys {
  const sub = (id: number) => sodium.crypto_kdf_derive_from_key(32, id, kdfContext, master);
  const box = sodium.crypto_box_seed_keypair(sub(subkeyIds.boxSeed));
  return {
    master,
    database: sub(subkeyIds.database),
    media: sub(subkeyIds.media),
    backup: sub(subkeyIds.backup),
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
  };
}

/** Binds each wrap to its workspace and purpose, so a wrap copied from elsewhere never opens. */
function associatedData(vaultId: string, purpose: string): Uint8Array {
  return new TextEncoder().encode(`frontdesk-vault|v1|${vaultId}|${purpose}`);
}

function seal(sodium: Sodium, master: Uint8Array, wrappingKey: Uint8Array, ad: Uint8Array) {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(master, ad, null, nonce, wrappingKey);
  return { nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext) };
}

function open(sodium: Sodium, wrap: { nonce: string; ciphertext: string }, wrappingKey: Uint8Array, ad: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_base64(wrap.ciphertext), ad, sodium.from_base64(wrap.nonce), wrappingKey);
  } catch {
    return null;
  }
}

function recoveryWrappingKey(sodium: Sodium, digits: string, salt: Uint8Array): Uint8Array {
  // 64 random digits carry ~212 bits: a keyed hash is enough, no slow KDF needed.
  return sodium.crypto_generichash(32, sodium.from_string(digits), salt);
}

export async function wrapWithPassphrase(vault: Pick<VaultFile, 'id'>, master: Uint8Array, passphrase: string, params: Argon2Params = moderateArgon2) {
  if (!passphraseLongEnough(passphrase)) {
    throw new AppError('passphrase_too_weak', `A passphrase needs at least ${minPassphraseLength} characters`, [{ path: 'passphrase', message: 'too short' }]);
  }
  const sodium = await loadSodium();
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const key = await deriveKeyFromPassphrase(passphrase, salt, params);
  return { kdf: 'argon2id13' as const, salt: sodium.to_base64(salt), ...params, ...seal(sodium, master, key, associatedData(vault.id, 'passphrase')) };
}

export async function wrapWithRecoveryKey(vault: Pick<VaultFile, 'id'>, master: Uint8Array, digits: string) {
  const sodium = await loadSodium();
  const salt = sodium.randombytes_buf(16);
  const key = recoveryWrappingKey(sodium, digits, salt);
  return { kdf: 'blake2b' as const, salt: sodium.to_base64(salt), ...seal(sodium, master, key, associatedData(vault.id, 'recovery')) };
}

export async function wrapWithKeychain(keychain: KeychainPort, master: Uint8Array) {
  if (!(await keychain.isAvailable())) throw new AppError('keychain_unavailable', 'This computer has no secure keychain to hold the key');
  const sodium = await loadSodium();
  return { wrapped: sodium.to_base64(await keychain.wrap(master)) };
}

export async function unwrapWithPassphrase(vault: VaultFile, passphrase: string): Promise<Uint8Array> {
  const wrap = vault.wraps.passphrase;
  if (!wrap) throw new AppError('wrong_passphrase', 'This workspace has no passphrase');
  const sodium = await loadSodium();
  const key = await deriveKeyFromPassphrase(passphrase, sodium.from_base64(wrap.salt), wrap);
  const master = open(sodium, wrap, key, associatedData(vault.id, 'passphrase'));
  if (!master) throw new AppError('wrong_passphrase', 'The passphrase is not right');
  return master;
}

export async function unwrapWithRecoveryKey(vault: VaultFile, input: string): Promise<Uint8Array> {
  const wrap = vault.wraps.recovery;
  const digits = normaliseRecoveryKey(input);
  if (!wrap || !digits) throw new AppError('wrong_recovery_key', 'The recovery key is not right', [{ path: 'recoveryKey', message: 'not a recovery key of this workspace' }]);
  const sodium = await loadSodium();
  const master = open(sodium, wrap, recoveryWrappingKey(sodium, digits, sodium.from_base64(wrap.salt)), associatedData(vault.id, 'recovery'));
  if (!master) throw new AppError('wrong_recovery_key', 'The recovery key is not right', [{ path: 'recoveryKey', message: 'not a recovery key of this workspace' }]);
  return master;
}

export async function unwrapWithKeychain(vault: VaultFile, keychain: KeychainPort): Promise<Uint8Array> {
  const wrap = vault.wraps.keychain;
  if (!wrap) throw new AppError('keychain_unavailable', 'Unlocking with this computer’s keychain is not turned on for this workspace');
  if (!(await keychain.isAvailable())) throw new AppError('keychain_unavailable', 'This computer has no secure keychain to hold the key');
  const sodium = await loadSodium();
  try {
    const master = await keychain.unwrap(sodium.from_base64(wrap.wrapped));
    if (master.length !== 32) throw new Error('wrong length');
    return master;
  } catch {
    throw new AppError('keychain_unavailable', 'The keychain could not unlock this workspace (it was made on another computer or user account)');
  }
}
