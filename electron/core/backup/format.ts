/**
 * The Frontdesk backup file format, version 1 (`*.fdbackup`). One file holds a whole workspace: its archive
 * database and every media file, encrypted and authenticated as one stream.
 *
 * ```
 * offset  size  field
 * 0       8     magic "FDBACKUP" (ASCII)
 * 8       2     format version, u16 little-endian (1)
 * 10      4     header length N, u32 little-endian (1 ≤ N ≤ 65,536)
 * 14      32    header checksum: BLAKE2b-256 (unkeyed) of bytes 0–13 followed by the N header bytes
 * 46      N     header: UTF-8 JSON (backupHeaderSchema below)
 * 46+N    …     messages, each: ciphertext length L (u32 LE) then L bytes of
 *               crypto_secretstream_xchacha20poly1305 ciphertext (plaintext + 17 bytes)
 * ```
 *
 * These first 46 bytes keep this layout in every future version, so any version can be recognised, its
 * header checked and a newer one refused as "too new" rather than "damaged".
 *
 * Header JSON: format version (equal to the binary one), app name and version, backup id, created at, the
 * workspace (id, name, kind, created at), the key wraps, and the stream parameters (the 24-byte secretstream
 * header and the data chunk size). The workspace name is the one thing readable without a key: it is as
 * readable in the workspace's own vault.json, and lets a person pick the right file on a new computer.
 *
 * Keys. A random 32-byte file key encrypts the stream. It is wrapped (XChaCha20-Poly1305, additional data
 * `frontdesk-backup|1|<backupId>|<workspaceId>|file-key`) by the workspace's backup subkey, which is
 * `crypto_kdf(master key, id 3, "fdvault1")` (vault/keys.ts). The header also carries the vault's own wraps
 * of the master key — by Argon2id(passphrase) with its salt and limits, by the 64-digit recovery key, and by
 * the OS keychain when the vault has one — with the vault id they are bound to. So the passphrase (the one in
 * force when the backup was made) or the recovery key restores it on a new computer: wrap → master key →
 * backup subkey → file key. A demo workspace has no passphrase: its backups carry only the keychain wrap and
 * restore only where that keychain is (this computer and OS account).
 *
 * Authentication. Every message's additional data is the 32-byte header checksum, so the header (wraps,
 * workspace id, dates, stream parameters) is authenticated by the file key: a changed header byte that
 * still matches a recomputed checksum fails the first message. The checksum itself tells an accidentally
 * damaged header from a wrong passphrase before any key is derived. Secretstream numbers its messages, so a
 * message removed, repeated or moved fails authentication; the last message alone carries TAG_FINAL, so a
 * file cut short anywhere is detected, and bytes after it are refused.
 *
 * Messages. Each plaintext starts with a type byte:
 * - 0x01 entry: JSON `{ kind: "database" | "media", name, size }`, then `ceil(size / chunkBytes)` data messages;
 *   the database is `archive.db` (an SQLCipher file, still encrypted with the workspace's database key), a
 *   media file is `media/ab/<64 hex>` exactly as the media store keeps it (already encrypted).
 * - 0x02 data: up to `chunkBytes` bytes of the current entry (every one full except an entry's last).
 * - 0x03 end: JSON manifest `{ entries, databaseBytes, mediaFiles, mediaBytes }`, tagged TAG_FINAL.
 * Entries may come in any order; exactly one is the database.
 */
import { z } from 'zod';
import { BackupError } from './errors';
import type { Sodium } from '../vault/sodium';

export const backupFormatVersion = 1;
export const backupMagic = Buffer.from('FDBACKUP', 'ascii');
export const backupExtension = '.fdbackup';
export const prefixBytes = 46;
export const checksumBytes = 32;
export const maxHeaderBytes = 65_536;
/** Plaintext bytes per data message. */
export const defaultChunkBytes = 1024 * 1024;
const maxChunkBytes = 16 * 1024 * 1024;

export const messageType = { entry: 0x01, data: 0x02, end: 0x03 } as const;

const base64 = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url').max(4096);
const workspaceId = z.string().regex(/^[a-z0-9-]{8,64}$/);
const aead = { nonce: base64, ciphertext: base64 };

/** The vault's wraps of the master key, as vault.json format 1 writes them (vault/vault-file.ts). */
const keyWrapsSchema = z.object({
  vaultId: workspaceId,
  passphrase: z
    .object({
      kdf: z.literal('argon2id13'),
      salt: base64,
      // Bounded so a crafted file cannot make Argon2id allocate without limit (SENSITIVE is ops 4, 1 GiB).
      opslimit: z.number().int().min(1).max(16),
      memlimit: z.number().int().min(8192).max(1024 * 1024 * 1024),
      ...aead,
    })
    .optional(),
  recovery: z.object({ kdf: z.literal('blake2b'), salt: base64, ...aead }).optional(),
  keychain: z.object({ wrapped: base64 }).optional(),
  fileKey: z.object({ alg: z.literal('xchacha20poly1305-ietf'), ...aead }),
});

export const backupHeaderSchema = z.object({
  format: z.literal(backupFormatVersion),
  app: z.object({ name: z.literal('Frontdesk'), version: z.string().min(1).max(64) }),
  backupId: z.uuid(),
  createdAt: z.number().int().nonnegative(),
  workspace: z.object({ id: workspaceId, name: z.string().min(1).max(100), kind: z.enum(['demo', 'business']), createdAt: z.number().int() }),
  keys: keyWrapsSchema,
  stream: z.object({
    alg: z.literal('secretstream-xchacha20poly1305'),
    header: base64,
    chunkBytes: z.number().int().min(1024).max(maxChunkBytes),
  }),
});

export type BackupHeader = z.infer<typeof backupHeaderSchema>;
export type BackupKeyWraps = BackupHeader['keys'];

const mediaName = /^media\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
export const databaseEntryName = 'archive.db';

export const entryHeaderSchema = z
  .object({
    kind: z.enum(['database', 'media']),
    name: z.string().max(200),
    size: z.number().int().nonnegative().max(2 ** 50),
  })
  // Names become paths on restore: only the two shapes this format writes are accepted, never `..` or `/`.
  .refine((e) => (e.kind === 'database' ? e.name === databaseEntryName : isMediaEntryName(e.name)), 'entry name');

export type EntryHeader = z.infer<typeof entryHeaderSchema>;

export const manifestSchema = z.object({
  entries: z.number().int().nonnegative(),
  databaseBytes: z.number().int().nonnegative(),
  mediaFiles: z.number().int().nonnegative(),
  mediaBytes: z.number().int().nonnegative(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export function isMediaEntryName(name: string): boolean {
  const match = mediaName.exec(name);
  return match !== null && match[2]!.startsWith(match[1]!);
}

/** `media/ab/abcd…` for a content hash of the media store. */
export function mediaEntryName(hash: string): string {
  return `media/${hash.slice(0, 2)}/${hash}`;
}

/** Additional data of the file-key wrap: binds it to this backup and workspace. */
export function fileKeyAssociatedData(backupId: string, workspace: string): Uint8Array {
  return new TextEncoder().encode(`frontdesk-backup|${backupFormatVersion}|${backupId}|${workspace}|file-key`);
}

export interface EncodedPrefix {
  /** Bytes 0 … 46+N: written first. */
  bytes: Buffer;
  /** The header checksum: every message's additional data. */
  checksum: Uint8Array;
}

function checksumOf(sodium: Sodium, fixed: Uint8Array, json: Uint8Array): Uint8Array {
  const state = sodium.crypto_generichash_init(null, checksumBytes);
  sodium.crypto_generichash_update(state, fixed);
  sodium.crypto_generichash_update(state, json);
  return sodium.crypto_generichash_final(state, checksumBytes);
}

export function encodePrefix(sodium: Sodium, header: BackupHeader, version = backupFormatVersion): EncodedPrefix {
  const json = Buffer.from(JSON.stringify(backupHeaderSchema.parse(header)), 'utf8');
  if (json.length > maxHeaderBytes) throw new Error('The backup header is too large');
  const fixed = Buffer.alloc(14);
  backupMagic.copy(fixed, 0);
  fixed.writeUInt16LE(version, 8);
  fixed.writeUInt32LE(json.length, 10);
  const checksum = checksumOf(sodium, fixed, json);
  return { bytes: Buffer.concat([fixed, checksum, json]), checksum };
}

export interface DecodedPrefix {
  header: BackupHeader;
  checksum: Uint8Array;
  /** Where the first message starts. */
  bodyOffset: number;
}

/**
 * Checks the first bytes of a file, in this order: magic (not a backup), length (truncated), checksum
 * (tampered), version (too new), header schema. `read(offset, length)` returns fewer bytes at the end of file.
 */
export async function decodePrefix(sodium: Sodium, read: (offset: number, length: number) => Promise<Buffer>): Promise<DecodedPrefix> {
  const fixed = await read(0, prefixBytes);
  const magicPart = fixed.subarray(0, Math.min(fixed.length, backupMagic.length));
  if (fixed.length === 0 || !magicPart.equals(backupMagic.subarray(0, magicPart.length))) {
    throw new BackupError('not_a_backup', 'This file is not a Frontdesk backup');
  }
  if (fixed.length < prefixBytes) throw new BackupError('truncated', 'The backup file is cut short (its header is incomplete)');
  const version = fixed.readUInt16LE(8);
  const length = fixed.readUInt32LE(10);
  if (length === 0 || length > maxHeaderBytes) throw new BackupError('tampered', 'The backup header is damaged (impossible length)');
  const json = await read(prefixBytes, length);
  if (json.length < length) throw new BackupError('truncated', 'The backup file is cut short (its header is incomplete)');
  const checksum = checksumOf(sodium, fixed.subarray(0, 14), json);
  if (!sodium.memcmp(checksum, fixed.subarray(14, prefixBytes))) throw new BackupError('tampered', 'The backup header is damaged or was altered');
  if (version > backupFormatVersion) {
    throw new BackupError('too_new', `This backup was made in format ${version} by a newer Frontdesk; this one reads format ${backupFormatVersion}`);
  }
  if (version < 1) throw new BackupError('tampered', 'The backup header names an impossible format version');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString('utf8'));
  } catch {
    throw new BackupError('tampered', 'The backup header is not valid JSON');
  }
  const result = backupHeaderSchema.safeParse(parsed);
  if (!result.success || result.data.format !== version) throw new BackupError('tampered', 'The backup header does not match the backup format');
  return { header: result.data, checksum, bodyOffset: prefixBytes + length };
}

/** `frontdesk-<workspace>-20260126T093000Z-<id>.fdbackup`: UTC, so a DST change never repeats a name. */
export function backupFileName(workspace: string, createdAt: number, backupId: string): string {
  const stamp = new Date(createdAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `frontdesk-${workspace.slice(0, 8)}-${stamp}-${backupId.slice(0, 8)}${backupExtension}`;
}
