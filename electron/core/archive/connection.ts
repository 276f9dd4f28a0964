import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../errors';
import type { ClockPort } from '../ports';
import { latestSchemaVersion, migrations, readSchemaVersion, runMigrations } from './migrations';
import { tooNew } from './migrations/runner';
import { createAuditLogRepository } from './repositories/audit-log';
import type { AuditLogRepository } from './repositories/audit-log';
import { createContactsRepository } from './repositories/contacts';
import type { ContactsRepository } from './repositories/contacts';
import { createConversationsRepository } from './repositories/conversations';
import type { ConversationsRepository } from './repositories/conversations';
import { createLabelsRepository } from './repositories/labels';
import type { LabelsRepository } from './repositories/labels';
import { createMediaRepository } from './repositories/media';
import type { MediaRepository } from './repositories/media';
import { createMessagesRepository } from './repositories/messages';
import type { MessagesRepository } from './repositories/messages';
import { createOutboxRepository, type OutboxRepository } from './repositories/outbox';
import { createSearchIndexRepository } from './repositories/search-index';
import type { SearchIndexRepository } from './repositories/search-index';
import { createSettingsRepository } from './repositories/settings';
import { createStaffRepository, type StaffRepository } from './repositories/staff';
import type { SettingsRepository } from './repositories/settings';
import { createTombstonesRepository } from './repositories/tombstones';
import type { TombstonesRepository } from './repositories/tombstones';
import { createStatusEventsRepository, type StatusEventsRepository } from './repositories/status-events';
import { createReactionsRepository, type ReactionsRepository } from './repositories/reactions';
import { createTemplatesRepository, type TemplatesRepository } from './repositories/templates';
import { createContactPreferencesRepository, type ContactPreferencesRepository } from './repositories/contact-preferences';
import { createWebhookInboxRepository, type WebhookInboxRepository } from './repositories/webhook-inbox';

export const databaseKeyBytes = 32;

export interface OpenDatabaseOptions {
  path: string;
  /**
   * The 32-byte database subkey the vault derives. `null` opens an unencrypted file: only benchmarks use it,
   * to measure what encryption costs with the same code.
   */
  key: Uint8Array | null;
  readonly?: boolean;
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export interface OpenArchiveOptions extends OpenDatabaseOptions {
  /** Core's clock (virtual in tests); created_at / updated_at come from it. */
  clock?: Pick<ClockPort, 'now'>;
}

export interface Archive {
  readonly path: string;
  readonly readonly: boolean;
  readonly schemaVersion: number;
  /**
   * The connection itself, for modules that own a read model over these tables (stats) and for tests.
   * SQL stays in repository files: services never use this directly.
   */
  readonly db: Database.Database;
  readonly contacts: ContactsRepository;
  readonly conversations: ConversationsRepository;
  readonly messages: MessagesRepository;
  readonly outbox: OutboxRepository;
  readonly labels: LabelsRepository;
  readonly search: SearchIndexRepository;
  readonly settings: SettingsRepository;
  readonly staff: StaffRepository;
  readonly media: MediaRepository;
  readonly tombstones: TombstonesRepository;
  readonly audit: AuditLogRepository;
  readonly statusEvents: StatusEventsRepository;
  readonly reactions: ReactionsRepository;
  readonly templates: TemplatesRepository;
  readonly contactPreferences: ContactPreferencesRepository;
  readonly webhookInbox: WebhookInboxRepository;
  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE); repositories' own transactions nest as savepoints.
   * Use it for batches: the search index is written once at the end instead of after every message.
   */
  transaction<T>(fn: () => T): T;
  /** Moves the WAL into the main file and truncates it (before a backup copies the file). */
  checkpoint(): void;
  /** Checkpoints and closes. Idempotent. */
  close(): void;
}

/** The cipher settings applied before the key (also by the backup snapshot worker's own connection). */
export const cipherPragmas = ["cipher = 'sqlcipher'", 'legacy = 4'] as const;

/**
 * SQLCipher v4 as SQLCipher itself writes it (AES-256-CBC, HMAC-SHA512 per page, 4096-byte pages), so the
 * business can open its own archive with standard SQLCipher tools and its key. `legacy=4` matters: without
 * it SQLite3MultipleCiphers keeps part of the header in plaintext, which SQLCipher cannot read.
 *
 * The key is given raw (`x'…'`): SQLCipher then skips PBKDF2, which would add nothing to a random 256-bit
 * key derived by the vault. It goes through `db.key(Buffer)` rather than a PRAGMA string, so the hex never
 * exists as an immutable JS string, and the buffer is wiped right after.
 */
function applyKey(db: Database.Database, key: Uint8Array): void {
  if (key.length !== databaseKeyBytes) throw new Error(`The database key must be ${databaseKeyBytes} bytes`);
  for (const pragma of cipherPragmas) db.pragma(pragma);
  const spec = Buffer.alloc(3 + key.length * 2);
  const hex = '0123456789abcdef';
  spec[0] = 0x78; // x
  spec[1] = 0x27; // '
  for (let i = 0; i < key.length; i++) {
    spec[2 + i * 2] = hex.charCodeAt(key[i]! >> 4);
    spec[3 + i * 2] = hex.charCodeAt(key[i]! & 15);
  }
  spec[spec.length - 1] = 0x27;
  try {
    db.key(spec);
  } finally {
    spec.fill(0);
  }
}

function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

/**
 * Opens the file, applies the key and proves it by reading the schema; nothing else (no WAL switch, no
 * migration), so a refused file is left exactly as it was. Exported for migration tests and tools.
 */
export function openKeyedDatabase(options: OpenDatabaseOptions): Database.Database {
  const readonly = options.readonly ?? false;
  if (readonly && !existsSync(options.path)) throw new AppError('archive_damaged', 'The archive file does not exist');
  let db: Database.Database;
  try {
    db = new Database(options.path, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 5000 });
  } catch (error) {
    throw new AppError('archive_damaged', `The archive could not be opened (${sqliteCode(error) ?? 'unknown error'})`);
  }
  try {
    if (options.key) applyKey(db, options.key);
    // The first read decrypts page 1: a wrong key fails its HMAC here, before anything is written.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    const code = sqliteCode(error);
    if (code === 'SQLITE_NOTADB') throw new AppError('wrong_key', 'The archive did not open with this key');
    if (code?.startsWith('SQLITE_CORRUPT')) throw new AppError('archive_damaged', 'The archive is damaged');
    throw error;
  }
  return db;
}

/**
 * Opens (or creates) a workspace archive: key checked, a newer schema refused untouched, then WAL and the
 * connection settings, then pending migrations in one transaction.
 */
export function openArchive(options: OpenArchiveOptions): Archive {
  const db = openKeyedDatabase(options);
  const readonly = options.readonly ?? false;
  const now = options.clock ? () => options.clock!.now() : () => Date.now();
  try {
    const version = readSchemaVersion(db);
    if (version > latestSchemaVersion) throw tooNew(version, latestSchemaVersion);
    if (readonly && version < latestSchemaVersion) {
      throw new AppError('archive_damaged', `The archive has schema version ${version}; open it writable to upgrade it to ${latestSchemaVersion}`);
    }

    // Sorts and temporary indexes stay in memory: SQLite's temp files are not encrypted.
    db.pragma('temp_store = MEMORY');
    // Every page read from the OS cache is decrypted again; a larger page cache saves that work.
    db.pragma('cache_size = -32768');
    db.pragma('foreign_keys = ON');
    // Deleted content (erasure, retention) is overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL loses no integrity on power loss, only the last commits; the webhook inbox
      // commits with FULL where acknowledged events must survive.
      db.pragma('synchronous = NORMAL');
      runMigrations(db, migrations);
    }
  } catch (error) {
    db.close();
    throw error;
  }

  // Depth of archive.transaction calls: inside one, search-index writes are batched until its end.
  let depth = 0;
  const searchIndex = createSearchIndexRepository(db, { deferWrites: () => depth > 0 });
  const conversations = createConversationsRepository(db, now);
  const messages = createMessagesRepository(db, { now, conversations, searchIndex });
  const contacts = createContactsRepository(db, { now, conversations, searchIndex });
  let closed = false;

  return {
    path: options.path,
    readonly,
    schemaVersion: readSchemaVersion(db),
    db,
    contacts,
    conversations,
    messages,
    outbox: createOutboxRepository(db),
    labels: createLabelsRepository(db, now),
    search: searchIndex,
    settings: createSettingsRepository(db, now),
    staff: createStaffRepository(db, now),
    media: createMediaRepository(db, now),
    tombstones: createTombstonesRepository(db, now),
    audit: createAuditLogRepository(db, now),
    statusEvents: createStatusEventsRepository(db, { searchIndex }),
    reactions: createReactionsRepository(db),
    templates: createTemplatesRepository(db, now),
    contactPreferences: createContactPreferencesRepository(db, now),
    webhookInbox: createWebhookInboxRepository(db),
    transaction<T>(fn: () => T): T {
      const outermost = depth === 0;
      depth++;
      try {
        return db.transaction(() => {
          const result = fn();
          if (outermost) searchIndex.flushPending();
          return result;
        }).immediate();
      } catch (error) {
        // Rolled back entirely: drop the entries. (An inner failure is a savepoint: the flush skips its rows.)
        if (outermost) searchIndex.discardPending();
        throw error;
      } finally {
        depth--;
      }
    },
    checkpoint() {
      if (!readonly) db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        if (!readonly) {
          db.pragma('optimize');
          db.pragma('wal_checkpoint(TRUNCATE)');
        }
      } finally {
        db.close();
      }
    },
  };
}
