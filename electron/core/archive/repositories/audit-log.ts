import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The audit log of sensitive actions (unlock failures, settings, backups, restores, exports, erasures):
 * append-only (triggers refuse UPDATE and DELETE) and hash-chained, so removing or editing an entry breaks
 * the chain. Subjects are opaque ids, never a name or number.
 */
export interface AuditEntry {
  seq: number;
  at: number;
  action: string;
  subject: string | null;
  details: Record<string, string | number | boolean | null>;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /**
   * The first entry whose hash, link or number does not match; one past the newest entry when entries at
   * the end were deleted.
   */
  brokenAt: number | null;
}

export interface AuditLogRepository {
  append(action: string, subject: string | null, details?: AuditEntry['details']): AuditEntry;
  /** Newest first, by cursor (the seq of the last entry of the previous page). */
  page(options?: { before?: number | null; limit?: number }): AuditEntry[];
  verify(): AuditVerification;
  /** One entry by its sequence number (the verifier's view reads the entries around a break). */
  get(seq: number): AuditEntry | undefined;
  /** The newest entry strictly before `seq`, whatever its number (finds gaps left by deleted rows). */
  previous(seq: number): AuditEntry | undefined;
  /**
   * The highest seq ever handed out (AUTOINCREMENT's sqlite_sequence), 0 when none: above the newest
   * entry's seq only when entries at the end were deleted, which the chain alone cannot show.
   */
  lastAssignedSeq(): number;
}

/** The chain's first `prevHash`. */
export const auditGenesisHash = '0'.repeat(64);
const genesis = auditGenesisHash;

/** The hash an entry must carry: SHA-256 of its fields and its predecessor's hash. */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return entryHash(entry);
}

function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([entry.seq, entry.at, entry.action, entry.subject, entry.details, entry.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

interface Row {
  seq: number;
  at: number;
  action: string;
  subject: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (row: Row): AuditEntry => ({
  seq: row.seq,
  at: row.at,
  action: row.action,
  subject: row.subject,
  details: JSON.parse(row.details_json) as AuditEntry['details'],
  prevHash: row.prev_hash,
  hash: row.hash,
});

export function createAuditLogRepository(db: Database.Database, now: () => number): AuditLogRepository {
  const last = db.prepare<[], Row>('SELECT seq, at, action, subject, details_json, prev_hash, hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)');
  const insert = db.prepare<[number, number, string, string | null, string, string, string]>(
    'INSERT INTO audit_log(seq, at, action, subject, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const pageBefore = db.prepare<[number, number], Row>(
    'SELECT seq, at, action, subject, details_json, prev_hash, hash FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const bySeq = db.prepare<[number], Row>('SELECT seq, at, action, subject, details_json, prev_hash, hash FROM audit_log WHERE seq = ?');
  const newestBefore = db.prepare<[number], Row>('SELECT seq, at, action, subject, details_json, prev_hash, hash FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT 1');
  const assigned = db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck();
  // Verification reads the whole chain by design.
  const all = db.prepare<[], Row>('SELECT seq, at, action, subject, details_json, prev_hash, hash FROM audit_log ORDER BY seq');

  const append = db.transaction((action: string, subject: string | null, details: AuditEntry['details']): AuditEntry => {
    const previous = last.get();
    // Never reuses the number of a deleted last entry: the gap stays visible to verify().
    const seq = Math.max(previous?.seq ?? 0, assigned.get() ?? 0) + 1;
    const base = { seq, at: now(), action, subject, details, prevHash: previous?.hash ?? genesis };
    const entry = { ...base, hash: entryHash(base) };
    insert.run(entry.seq, entry.at, entry.action, entry.subject, JSON.stringify(entry.details), entry.prevHash, entry.hash);
    return entry;
  });

  return {
    append: (action, subject, details = {}) => append(action, subject, details),
    get(seq) {
      const row = bySeq.get(seq);
      return row && toEntry(row);
    },
    previous(seq) {
      const row = newestBefore.get(seq);
      return row && toEntry(row);
    },
    lastAssignedSeq: () => assigned.get() ?? 0,
    page: ({ before = null, limit = 50 } = {}) => pageBefore.all(before ?? Number.MAX_SAFE_INTEGER, Math.min(Math.max(limit, 1), 200)).map(toEntry),
    verify() {
      let prevHash = genesis;
      let count = 0;
      let lastSeq = 0;
      for (const row of all.iterate()) {
        const entry = toEntry(row);
        count++;
        const { hash, ...rest } = entry;
        // seq runs 1, 2, 3 …: a gap is a deleted entry even where a forger relinked the chain around it.
        if (entry.seq !== lastSeq + 1 || entry.prevHash !== prevHash || entryHash(rest) !== hash) return { ok: false, entries: count, brokenAt: entry.seq };
        prevHash = hash;
        lastSeq = entry.seq;
      }
      // Entries deleted at the end leave no link to break; the sequence still remembers them.
      if ((assigned.get() ?? 0) > lastSeq) return { ok: false, entries: count, brokenAt: lastSeq + 1 };
      return { ok: true, entries: count, brokenAt: null };
    },
  };
}
