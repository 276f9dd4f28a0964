/**
 * A consistent copy of the live archive without copying it first: the archive file itself, held still.
 *
 * SQLite in WAL mode changes the database file only when a checkpoint copies committed pages back from the
 * WAL, and a checkpoint needs the exclusive lock on read slot 0 to do so. So:
 * 1. a second connection checkpoints and truncates the WAL (`wal_checkpoint(TRUNCATE)`): every commit is now
 *    in the database file;
 * 2. it opens a read transaction at once. With the WAL empty, SQLite gives it read slot 0 ("read the
 *    database file only"), and while it holds that slot no checkpoint can write to the file;
 * 3. the WAL is still empty after the read began, so no commit slipped in between (a commit by another
 *    process can; then it starts again).
 * Until `release()`, the file's bytes are exactly one commit of the archive, while core goes on writing
 * (into the WAL). Its pages are already encrypted with the database key (SQLCipher), so they are streamed
 * as they are: no plaintext and no temporary copy on disk, no second encryption by SQLite.
 *
 * This replaced `VACUUM INTO` a snapshot file: rebuilding every b-tree took 4–6 s for 1M messages, longer
 * than encrypting the whole backup.
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { openKeyedDatabase } from '../archive/connection';
import { BackupError, throwIfAborted } from './errors';

export interface PinnedDatabase {
  /** The database file's length while pinned. */
  size: number;
  /** Ends the read transaction: checkpoints may write to the file again. Idempotent. */
  release(): void;
}

export interface PinDatabaseOptions {
  databasePath: string;
  key: Uint8Array;
  signal?: AbortSignal;
  /** How long to keep trying when readers or another process keep the WAL from being emptied. */
  timeoutMs?: number;
}

function walSize(databasePath: string): number {
  try {
    return statSync(`${databasePath}-wal`).size;
  } catch {
    return 0;
  }
}

export async function pinDatabase(options: PinDatabaseOptions): Promise<PinnedDatabase> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  // A short busy timeout: a long wait is done here, between attempts, with core's event loop free.
  const db: Database.Database = openKeyedDatabase({ path: options.databasePath, key: options.key, busyTimeoutMs: 200 });
  let pinned = false;
  try {
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(options.signal);
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (result?.busy === 0) {
        db.prepare('BEGIN').run();
        // The read transaction starts at the first read.
        db.prepare('SELECT count(*) FROM sqlite_master').get();
        if (walSize(options.databasePath) === 0) {
          pinned = true;
          break;
        }
        db.prepare('COMMIT').run();
      }
      if (Date.now() > deadline) throw new BackupError('archive_busy', 'The archive stayed too busy to take a consistent copy');
      await sleep(Math.min(50 * (attempt + 1), 500));
    }
    const size = statSync(options.databasePath).size;
    return {
      size,
      release() {
        if (!db.open) return;
        try {
          if (db.inTransaction) db.prepare('COMMIT').run();
        } finally {
          db.close();
        }
      },
    };
  } finally {
    if (!pinned) db.close();
  }
}
