import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../errors';

const base64 = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');

const aead = { nonce: base64, ciphertext: base64 };

export const vaultFileSchema = z.object({
  format: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]{8,64}$/),
  kind: z.enum(['demo', 'business']),
  name: z.string().min(1).max(100),
  createdAt: z.number().int(),
  /** X25519 public key: sealed spools and the relay seal to it while the archive is closed. */
  publicKey: base64,
  wraps: z.object({
    passphrase: z.object({ kdf: z.literal('argon2id13'), salt: base64, opslimit: z.number().int().positive(), memlimit: z.number().int().positive(), ...aead }).optional(),
    recovery: z.object({ kdf: z.literal('blake2b'), salt: base64, ...aead }).optional(),
    keychain: z.object({ wrapped: base64 }).optional(),
  }),
  /**
   * What the direct webhook receiver needs while the archive is closed (DESIGN: Lock, "Closed"): its port,
   * and — when this computer has a keychain — the app secret and verify token wrapped by it. Nothing here
   * is readable without the keychain; without one the closed receiver spools unverified bodies.
   */
  closedReceiver: z
    .object({
      port: z.number().int().min(1).max(65535),
      keychainSecrets: z.object({ wrapped: base64 }).optional(),
    })
    .optional(),
});

export type VaultFile = z.infer<typeof vaultFileSchema>;

export function readVaultFile(path: string): VaultFile {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new AppError('workspace_not_found', 'The workspace has no vault file');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('archive_damaged', 'The workspace vault file is not valid JSON');
  }
  const parsed = vaultFileSchema.safeParse(json);
  if (!parsed.success) throw new AppError('archive_damaged', 'The workspace vault file is damaged or from an unknown version');
  return parsed.data;
}

/** Written to a temporary file, flushed, then renamed over the old one: a crash leaves the old or the new file, never half of one. */
export function writeVaultFile(path: string, vault: VaultFile): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(vaultFileSchema.parse(vault), null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
