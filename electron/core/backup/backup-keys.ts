/**
 * The keys of one backup file: a random file key for the stream, wrapped by the workspace's backup subkey;
 * and the ways to reach that subkey again — the open workspace's keys, or the vault's wraps of the master key
 * copied into the header (passphrase, recovery key, keychain).
 */
import { AppError } from '../errors';
import type { KeychainPort } from '../ports';
import { deriveWorkspaceKeys, unwrapWithKeychain, unwrapWithPassphrase, unwrapWithRecoveryKey } from '../vault/keys';
import type { WorkspaceKeys } from '../vault/keys';
import type { Sodium } from '../vault/sodium';
import type { VaultFile } from '../vault/vault-file';
import { BackupError } from './errors';
import type { BackupFailureReason } from './errors';
import { fileKeyAssociatedData } from './format';
import type { BackupHeader, BackupKeyWraps } from './format';

/** What opens a backup: the open workspace itself (its own backups), or what a person types on a new computer. */
export type BackupCredentials =
  | { method: 'passphrase'; passphrase: string }
  | { method: 'recovery'; recoveryKey: string }
  | { method: 'keychain'; keychain: KeychainPort }
  | { method: 'workspace'; keys: Pick<WorkspaceKeys, 'backup'> };

/** The header's key section for a new backup: the vault's wraps as they are, and the file key wrapped by the backup subkey. */
export function headerKeys(sodium: Sodium, vault: VaultFile, backupKey: Uint8Array, backupId: string, fileKey: Uint8Array): BackupKeyWraps {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(fileKey, fileKeyAssociatedData(backupId, vault.id), null, nonce, backupKey);
  const { passphrase, recovery, keychain } = vault.wraps;
  return {
    vaultId: vault.id,
    ...(passphrase ? { passphrase } : {}),
    ...(recovery ? { recovery } : {}),
    ...(keychain ? { keychain } : {}),
    fileKey: { alg: 'xchacha20poly1305-ietf', nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext) },
  };
}

function unwrapFileKey(sodium: Sodium, header: BackupHeader, backupKey: Uint8Array): Uint8Array | null {
  try {
    const { nonce, ciphertext } = header.keys.fileKey;
    const key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sodium.from_base64(ciphertext),
      fileKeyAssociatedData(header.backupId, header.workspace.id),
      sodium.from_base64(nonce),
      backupKey,
    );
    return key.length === sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES ? key : null;
  } catch {
    return null;
  }
}

/** The header's wraps as a vault file, so the vault's own unwrap functions (and their checks) open them. */
export function vaultFromHeader(header: BackupHeader): VaultFile {
  const { vaultId, passphrase, recovery, keychain } = header.keys;
  return {
    format: 1,
    id: vaultId,
    kind: header.workspace.kind,
    name: header.workspace.name,
    createdAt: header.workspace.createdAt,
    publicKey: '',
    wraps: { ...(passphrase ? { passphrase } : {}), ...(recovery ? { recovery } : {}), ...(keychain ? { keychain } : {}) },
  };
}

export interface OpenedBackupKeys {
  fileKey: Uint8Array;
  /** The master key, when a person's credential opened the backup (restore needs it); null with workspace keys. */
  master: Uint8Array | null;
}

const reasonOfVaultError: Partial<Record<string, BackupFailureReason>> = {
  wrong_passphrase: 'wrong_passphrase',
  wrong_recovery_key: 'wrong_recovery_key',
  keychain_unavailable: 'keychain_unavailable',
};

async function unlockMaster(header: BackupHeader, credentials: Exclude<BackupCredentials, { method: 'workspace' }>): Promise<Uint8Array> {
  const vault = vaultFromHeader(header);
  const present = { passphrase: vault.wraps.passphrase, recovery: vault.wraps.recovery, keychain: vault.wraps.keychain }[credentials.method];
  if (!present) {
    const methods = Object.keys(vault.wraps).join(', ') || 'none';
    throw new BackupError('no_unlock_method', `This backup cannot be opened with a ${credentials.method} (it can with: ${methods})`);
  }
  try {
    if (credentials.method === 'passphrase') return await unwrapWithPassphrase(vault, credentials.passphrase);
    if (credentials.method === 'recovery') return await unwrapWithRecoveryKey(vault, credentials.recoveryKey);
    return await unwrapWithKeychain(vault, credentials.keychain);
  } catch (error) {
    const reason = error instanceof AppError ? reasonOfVaultError[error.code] : undefined;
    if (reason) throw new BackupError(reason, error instanceof Error ? error.message : reason);
    throw error;
  }
}

/**
 * Opens the file key. Refusals: `wrong_passphrase` / `wrong_recovery_key` / `keychain_unavailable` for the
 * person's credential, `no_unlock_method` when the backup has no such wrap, `wrong_key` when the workspace's
 * keys (or the master key a wrap gave) do not open the file key: a backup of another workspace.
 */
export async function openBackupKeys(sodium: Sodium, header: BackupHeader, credentials: BackupCredentials): Promise<OpenedBackupKeys> {
  if (credentials.method === 'workspace') {
    const fileKey = unwrapFileKey(sodium, header, credentials.keys.backup);
    if (!fileKey) throw new BackupError('wrong_key', 'This backup was made by another workspace: this workspace’s keys do not open it');
    return { fileKey, master: null };
  }
  const master = await unlockMaster(header, credentials);
  const keys = deriveWorkspaceKeys(sodium, master);
  const fileKey = unwrapFileKey(sodium, header, keys.backup);
  wipeKeys(keys, { keepMaster: true });
  if (!fileKey) {
    sodium.memzero(master);
    throw new BackupError('wrong_key', 'The backup’s key does not match its workspace key');
  }
  return { fileKey, master };
}

/** Zeroes the derived keys (and the master unless kept). */
export function wipeKeys(keys: WorkspaceKeys, options: { keepMaster?: boolean } = {}): void {
  for (const key of [keys.database, keys.media, keys.backup, keys.boxSecretKey]) key.fill(0);
  if (!options.keepMaster) keys.master.fill(0);
}
