/**
 * A real workspace for backup tests: vault.json with real wraps (passphrase with cheap Argon2id, recovery
 * key, or the demo's keychain wrap), an encrypted archive and an encrypted media store in the layout the
 * workspace manager uses, filled through the repositories with text that contains a plaintext marker.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createMediaStore, openArchive } from '../../../electron/core/archive';
import type { Archive, MediaStore } from '../../../electron/core/archive';
import { createFileKeychain } from '../../../electron/core/node-ports';
import type { KeychainPort } from '../../../electron/core/ports';
import { deriveWorkspaceKeys, wrapWithKeychain, wrapWithPassphrase, wrapWithRecoveryKey } from '../../../electron/core/vault/keys';
import type { WorkspaceKeys } from '../../../electron/core/vault/keys';
import { formatRecoveryKey, generateRecoveryKey } from '../../../electron/core/vault/recovery-key';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { writeVaultFile } from '../../../electron/core/vault/vault-file';
import type { VaultFile } from '../../../electron/core/vault/vault-file';
import type { WorkspacePaths } from '../../../electron/core/workspace/workspace-manager';
import { fastArgon2, tempDir } from '../helpers';

export const passphrase = 'correct horse battery staple';
/** Text that must never appear in plaintext in a backup or a temporary file. */
export const marker = 'PLAINMARKER';

export interface WorkspaceFixture {
  root: string;
  workspacesDir: string;
  vault: VaultFile;
  keys: WorkspaceKeys;
  paths: WorkspacePaths;
  archive: Archive;
  media: MediaStore;
  recoveryKey: string;
  keychain: KeychainPort;
  /** Closes the archive and the media store (idempotent). */
  close(): void;
}

export function pathsOf(dir: string): WorkspacePaths {
  return { dir, vault: join(dir, 'vault.json'), database: join(dir, 'archive.db'), media: join(dir, 'media') };
}

/** `manual`: the caller closes it (outside a test, e.g. in beforeAll, where per-test hooks do not exist). */
export async function createWorkspace(options: { kind?: 'business' | 'demo'; root?: string; manual?: boolean } = {}): Promise<WorkspaceFixture> {
  const kind = options.kind ?? 'business';
  const root = options.root ?? tempDir('frontdesk-backup-');
  const workspacesDir = join(root, 'workspaces');
  const sodium = await loadSodium();
  const master = sodium.randombytes_buf(32);
  const keys = deriveWorkspaceKeys(sodium, master);
  const keychain = createFileKeychain(join(root, 'dev-keychain.key'));
  const vault: VaultFile = {
    format: 1,
    id: randomUUID(),
    kind,
    name: kind === 'demo' ? 'Demo' : 'Harbour Dental',
    createdAt: 1_700_000_000_000,
    publicKey: sodium.to_base64(keys.boxPublicKey),
    wraps: {},
  };
  const digits = generateRecoveryKey();
  if (kind === 'business') {
    vault.wraps.passphrase = await wrapWithPassphrase(vault, master, passphrase, fastArgon2);
    vault.wraps.recovery = await wrapWithRecoveryKey(vault, master, digits);
  } else {
    vault.wraps.keychain = await wrapWithKeychain(keychain, master);
  }
  const paths = pathsOf(join(workspacesDir, vault.id));
  mkdirSync(paths.media, { recursive: true });
  writeVaultFile(paths.vault, vault);
  const archive = openArchive({ path: paths.database, key: keys.database });
  const media = await createMediaStore({ dir: paths.dir, key: keys.media });
  const close = () => {
    archive.close();
    media.close();
  };
  if (!options.manual) onTestFinished(close);
  return { root, workspacesDir, vault, keys, paths, archive, media, recoveryKey: formatRecoveryKey(digits), keychain, close };
}

/** Deterministic bytes (not compressible, not all zero). */
export function bytesOf(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export interface SeedResult {
  contacts: Array<{ id: number; waId: string; conversationId: number }>;
  mediaHashes: string[];
}

/** Contacts with conversations, text messages containing the marker, and messages with media. */
export async function seed(fx: WorkspaceFixture, options: { contacts?: number; messages?: number; mediaSizes?: number[] } = {}): Promise<SeedResult> {
  const { archive, media } = fx;
  const contacts: SeedResult['contacts'] = [];
  const mediaHashes: string[] = [];
  const count = options.contacts ?? 3;
  const perContact = options.messages ?? 10;
  const sizes = options.mediaSizes ?? [1000, 150_000, 70_000];
  for (let c = 0; c < count; c++) {
    const waId = `4477009000${String(c).padStart(2, '0')}`;
    const id = archive.contacts.upsertByIdentity({ waId, phone: waId, profileName: `Customer ${marker} ${c}` }).id;
    const conversationId = archive.conversations.getOrCreateForContact(id).conversation.id;
    contacts.push({ id, waId, conversationId });
    for (let m = 0; m < perContact; m++) {
      archive.messages.insert({
        conversationId,
        wamid: `wamid.c${c}.m${m}`,
        direction: m % 2 === 0 ? 'in' : 'out',
        status: m % 2 === 0 ? null : 'delivered',
        type: 'text',
        text: `Hello ${marker} from contact ${c}, message ${m}`,
        timestamp: 1_700_000_000_000 + c * 1_000_000 + m * 1000,
      });
    }
  }
  for (const [i, size] of sizes.entries()) {
    const stored = await media.put(Buffer.concat([Buffer.from(`${marker} media ${i} `), bytesOf(i + 1, size)]));
    mediaHashes.push(stored.hash);
    const row = archive.media.create({ state: 'stored', contentHash: stored.hash, size: stored.size, mime: 'image/jpeg' });
    const owner = contacts[i % contacts.length]!;
    archive.messages.insert({
      conversationId: owner.conversationId,
      wamid: `wamid.media.${i}`,
      direction: 'in',
      type: 'image',
      caption: `Photo ${marker} ${i}`,
      mediaId: row.id,
      timestamp: 1_800_000_000_000 + i,
    });
  }
  return { contacts, mediaHashes };
}

/** Every row of every table (FTS shadow tables included), for comparing two archives. */
export function dumpTables(archive: Archive, options: { except?: string[] } = {}): Record<string, unknown[]> {
  const tables = archive.db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all()
    .filter((t) => !(options.except ?? []).includes(t));
  return Object.fromEntries(tables.map((t) => [t, archive.db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).raw().all()]));
}

/** Every file under `dir` (recursively), relative path → bytes. */
export function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return out;
}
