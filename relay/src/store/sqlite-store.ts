import Database from 'better-sqlite3';
import type {
  CollectResult,
  DeskRecord,
  EventKind,
  LinkRecord,
  NewDesk,
  PairResult,
  RelayStore,
  StoredEvent,
} from './types';

/**
 * The relay's store on one SQLite file (one small server). The relay only keeps sealed events and hashes,
 * so the file is not encrypted. Every write is a transaction committed with synchronous=FULL before its
 * promise resolves; `subscribe` listeners are in-process only.
 */

/** Schema versions, applied in order; `PRAGMA user_version` holds how many ran. */
const migrations: readonly string[] = [
  `
  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    verify_token TEXT NOT NULL,
    app_secret TEXT NOT NULL,
    pairing_code_hash BLOB,
    public_key BLOB,
    last_seq INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  -- A pairing code must name one workspace.
  CREATE UNIQUE INDEX workspaces_pairing_code ON workspaces(pairing_code_hash) WHERE pairing_code_hash IS NOT NULL;

  CREATE TABLE desks (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    acked_seq INTEGER NOT NULL DEFAULT 0,
    paired_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );
  CREATE INDEX desks_workspace ON desks(workspace_id, paired_at);
  -- At most one primary desk per workspace, whatever a caller does.
  CREATE UNIQUE INDEX desks_one_primary ON desks(workspace_id) WHERE is_primary = 1;

  CREATE TABLE events (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('meta', 'desk')),
    from_desk_id TEXT,
    received_at INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (workspace_id, seq)
  );
  CREATE INDEX events_received_at ON events(received_at);

  CREATE TABLE links (
    id TEXT PRIMARY KEY,
    code_hash BLOB NOT NULL,
    secret_hash BLOB NOT NULL,
    public_key BLOB NOT NULL,
    desk_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
    approved_by TEXT,
    sealed_keys BLOB,
    desk_id TEXT
  );
  CREATE INDEX links_code ON links(code_hash);
  CREATE INDEX links_expires_at ON links(expires_at);
  `,
];

interface WorkspaceRow {
  id: string;
  name: string;
  verifyToken: string;
  appSecret: string;
  publicKey: Buffer | null;
  lastSeq: number;
  createdAt: number;
}

interface DeskRow {
  id: string;
  workspaceId: string;
  name: string;
  tokenHash: Buffer;
  isPrimary: number;
  ackedSeq: number;
  pairedAt: number;
  lastSeenAt: number | null;
}

interface EventRow {
  workspaceId: string;
  seq: number;
  kind: EventKind;
  fromDeskId: string | null;
  receivedAt: number;
  sealed: Buffer;
}

type LinkRow = LinkRecord;

const workspaceColumns = `id, name, verify_token AS verifyToken, app_secret AS appSecret, public_key AS publicKey,
  last_seq AS lastSeq, created_at AS createdAt`;
const deskColumns = `id, workspace_id AS workspaceId, name, token_hash AS tokenHash, is_primary AS isPrimary,
  acked_seq AS ackedSeq, paired_at AS pairedAt, last_seen_at AS lastSeenAt`;
const eventColumns = `workspace_id AS workspaceId, seq, kind, from_desk_id AS fromDeskId, received_at AS receivedAt, sealed`;
const linkColumns = `id, code_hash AS codeHash, secret_hash AS secretHash, public_key AS publicKey, desk_name AS deskName,
  created_at AS createdAt, expires_at AS expiresAt, workspace_id AS workspaceId, approved_by AS approvedBy,
  sealed_keys AS sealedKeys, desk_id AS deskId`;

/** better-sqlite3 binds Buffers; a plain Uint8Array is viewed as one without a copy. */
function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function toDesk({ isPrimary, ...rest }: DeskRow): DeskRecord {
  return { ...rest, primary: isPrimary === 1 };
}

/** Opens (creating if needed) the store's SQLite file. Synchronous; call `migrate()` before use (openStore does). */
export function openSqliteStore(path: string): RelayStore {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk when the transaction returns, so appendEvents resolves only once durable.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    db.close();
    throw error;
  }

  const listeners = new Set<(workspaceId: string) => void>();
  // Prepared lazily: the tables exist only after migrate().
  let statements: ReturnType<typeof prepare> | null = null;
  const sql = () => (statements ??= prepare(db));

  function notify(workspaceIds: Iterable<string>): void {
    for (const workspaceId of workspaceIds) {
      for (const listener of listeners) {
        // Outside the caller's promise: a throwing listener must not make a committed append look failed.
        queueMicrotask(() => {
          if (listeners.has(listener)) listener(workspaceId);
        });
      }
    }
  }

  return {
    async migrate() {
      db.transaction(() => {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > migrations.length) {
          throw new Error(`relay store: the database schema is at version ${version}, newer than this relay knows (${migrations.length})`);
        }
        for (let next = version; next < migrations.length; next++) {
          db.exec(migrations[next]!);
        }
        if (version < migrations.length) db.pragma(`user_version = ${migrations.length}`);
      }).immediate();
    },

    async close() {
      listeners.clear();
      statements = null;
      db.close();
    },

    async addWorkspace(w) {
      sql().insertWorkspace.run(w.id, w.name, w.verifyToken, w.appSecret, bytes(w.pairingCodeHash), w.createdAt);
    },

    async getWorkspace(id) {
      return sql().workspaceById.get(id) ?? null;
    },

    async listWorkspaces() {
      return sql().allWorkspaces.all();
    },

    async setPairingCode(workspaceId, codeHash) {
      return sql().setPairingCode.run(codeHash ? bytes(codeHash) : null, workspaceId).changes > 0;
    },

    async pairDesk({ codeHash, publicKey, desk }) {
      const s = sql();
      return db
        .transaction((): PairResult => {
          const workspace = s.workspaceByCode.get(bytes(codeHash));
          if (!workspace) return { kind: 'invalid_code' };
          // A refused pairing changes nothing: the code stays valid for the desk holding the right key.
          if (workspace.publicKey && !workspace.publicKey.equals(bytes(publicKey))) return { kind: 'key_mismatch' };
          s.consumePairingCode.run(bytes(publicKey), workspace.id);
          insertDesk(s, workspace.id, desk);
          return { kind: 'paired', workspace: s.workspaceById.get(workspace.id)!, desk: toDesk(s.deskById.get(desk.id)!) };
        })
        .immediate();
    },

    async getDesk(id) {
      const row = sql().deskById.get(id);
      return row ? toDesk(row) : null;
    },

    async listDesks(workspaceId) {
      return sql().desksOf.all(workspaceId).map(toDesk);
    },

    async removeDesk(id) {
      const s = sql();
      return db
        .transaction(() => {
          const desk = s.deskById.get(id);
          if (!desk) return false;
          s.deleteDesk.run(id);
          if (desk.isPrimary === 1) s.promoteOldest.run(desk.workspaceId);
          return true;
        })
        .immediate();
    },

    async setPrimary(deskId) {
      const s = sql();
      return db
        .transaction(() => {
          const desk = s.deskById.get(deskId);
          if (!desk) return false;
          // Two statements: the unique index on the primary desk is checked row by row.
          s.clearPrimary.run(desk.workspaceId);
          s.makePrimary.run(deskId);
          return true;
        })
        .immediate();
    },

    async touchDesk(id, at) {
      sql().touchDesk.run(at, at, id);
    },

    async appendEvents(events) {
      if (events.length === 0) return [];
      const s = sql();
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.workspaceId, (counts.get(event.workspaceId) ?? 0) + 1);
      const seqs = db
        .transaction(() => {
          // The first seq of this batch in each workspace; the workspace row is written before any event.
          const next = new Map<string, number>();
          for (const [workspaceId, count] of counts) {
            const last = s.bumpSeq.get(count, workspaceId);
            if (last === undefined) throw new Error(`appendEvents: unknown workspace ${workspaceId}`);
            next.set(workspaceId, last - count + 1);
          }
          return events.map((event) => {
            const seq = next.get(event.workspaceId)!;
            next.set(event.workspaceId, seq + 1);
            s.insertEvent.run(event.workspaceId, seq, event.kind, event.fromDeskId, event.receivedAt, bytes(event.sealed));
            return seq;
          });
        })
        .immediate();
      notify(counts.keys());
      return seqs;
    },

    async readEvents(workspaceId, afterSeq, limit) {
      checkLimit(limit);
      return sql().eventsAfter.all(workspaceId, afterSeq, limit) as StoredEvent[];
    },

    async ack(deskId, seq) {
      sql().ack.run(seq, deskId);
    },

    async prune(olderThan) {
      const s = sql();
      return db
        .transaction(() => {
          let deleted = s.deleteOlderThan.run(olderThan).changes;
          // Workspaces without desks have no row here: their events wait for the age limit.
          for (const { workspaceId, ackedSeq } of s.minAcks.all()) {
            if (ackedSeq > 0) deleted += s.deleteAcked.run(workspaceId, ackedSeq).changes;
          }
          return deleted;
        })
        .immediate();
    },

    async eventStats() {
      const row = sql().eventStats.get()!;
      return { events: row.events, bytes: row.bytes };
    },

    subscribe(listener) {
      // Wrapped so that subscribing the same function twice gives two independent subscriptions.
      const entry = (workspaceId: string) => listener(workspaceId);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },

    async createLink(link) {
      sql().insertLink.run(
        link.id,
        bytes(link.codeHash),
        bytes(link.secretHash),
        bytes(link.publicKey),
        link.deskName,
        link.createdAt,
        link.expiresAt,
      );
    },

    async findLinkByCode(codeHash, now) {
      return sql().pendingLinkByCode.get(bytes(codeHash), now) ?? null;
    },

    async getLink(id) {
      return sql().linkById.get(id) ?? null;
    },

    async approveLink(linkId, approval, now) {
      return sql().approveLink.run(approval.workspaceId, approval.approvedBy, bytes(approval.sealedKeys), linkId, now).changes > 0;
    },

    async collectLink(linkId, secretHash, desk, now) {
      const s = sql();
      return db
        .transaction((): CollectResult => {
          const link = s.linkById.get(linkId);
          // A wrong secret looks like an unknown link: it reveals nothing about the link.
          if (!link || link.deskId !== null || link.expiresAt <= now || !link.secretHash.equals(bytes(secretHash))) {
            return { kind: 'gone' };
          }
          if (link.workspaceId === null) return { kind: 'pending' };
          insertDesk(s, link.workspaceId, desk);
          s.markCollected.run(desk.id, linkId);
          return { kind: 'collected', link: s.linkById.get(linkId)!, desk: toDesk(s.deskById.get(desk.id)!) };
        })
        .immediate();
    },

    async pruneLinks(now) {
      return sql().pruneLinks.run(now).changes;
    },
  };
}

/** SQLite reads a negative LIMIT as "no limit": refused, as PostgreSQL does. */
function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readEvents: limit must be a non-negative integer, not ${limit}`);
}

/** The desk is primary only when its workspace has none (its first desk, or every other desk was removed). */
function insertDesk(s: ReturnType<typeof prepare>, workspaceId: string, desk: NewDesk): void {
  const primary = s.hasPrimary.get(workspaceId) === undefined ? 1 : 0;
  s.insertDesk.run(desk.id, workspaceId, desk.name, bytes(desk.tokenHash), primary, desk.pairedAt);
}

function prepare(db: Database.Database) {
  return {
    insertWorkspace: db.prepare<[string, string, string, string, Buffer, number]>(
      'INSERT INTO workspaces(id, name, verify_token, app_secret, pairing_code_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    workspaceById: db.prepare<[string], WorkspaceRow>(`SELECT ${workspaceColumns} FROM workspaces WHERE id = ?`),
    workspaceByCode: db.prepare<[Buffer], WorkspaceRow>(`SELECT ${workspaceColumns} FROM workspaces WHERE pairing_code_hash = ?`),
    allWorkspaces: db.prepare<[], WorkspaceRow>(`SELECT ${workspaceColumns} FROM workspaces ORDER BY created_at, id`),
    setPairingCode: db.prepare<[Buffer | null, string]>('UPDATE workspaces SET pairing_code_hash = ? WHERE id = ?'),
    consumePairingCode: db.prepare<[Buffer, string]>(
      'UPDATE workspaces SET pairing_code_hash = NULL, public_key = coalesce(public_key, ?) WHERE id = ?',
    ),
    bumpSeq: db.prepare<[number, string], number>('UPDATE workspaces SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq').pluck(),

    insertDesk: db.prepare<[string, string, string, Buffer, number, number]>(
      'INSERT INTO desks(id, workspace_id, name, token_hash, is_primary, paired_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deskById: db.prepare<[string], DeskRow>(`SELECT ${deskColumns} FROM desks WHERE id = ?`),
    desksOf: db.prepare<[string], DeskRow>(`SELECT ${deskColumns} FROM desks WHERE workspace_id = ? ORDER BY paired_at, id`),
    hasPrimary: db.prepare<[string], number>('SELECT 1 FROM desks WHERE workspace_id = ? AND is_primary = 1').pluck(),
    deleteDesk: db.prepare<[string]>('DELETE FROM desks WHERE id = ?'),
    promoteOldest: db.prepare<[string]>(
      'UPDATE desks SET is_primary = 1 WHERE id = (SELECT id FROM desks WHERE workspace_id = ? ORDER BY paired_at, id LIMIT 1)',
    ),
    clearPrimary: db.prepare<[string]>('UPDATE desks SET is_primary = 0 WHERE workspace_id = ? AND is_primary = 1'),
    makePrimary: db.prepare<[string]>('UPDATE desks SET is_primary = 1 WHERE id = ?'),
    touchDesk: db.prepare<[number, number, string]>('UPDATE desks SET last_seen_at = max(coalesce(last_seen_at, ?), ?) WHERE id = ?'),
    // Capped at the workspace's last seq: acknowledging events that do not exist yet would let prune drop them unread.
    ack: db.prepare<[number, string]>(`
      UPDATE desks SET acked_seq = max(acked_seq, min(?, (SELECT last_seq FROM workspaces WHERE workspaces.id = desks.workspace_id)))
      WHERE id = ?`),

    insertEvent: db.prepare<[string, number, EventKind, string | null, number, Buffer]>(
      'INSERT INTO events(workspace_id, seq, kind, from_desk_id, received_at, sealed) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    eventsAfter: db.prepare<[string, number, number], EventRow>(
      `SELECT ${eventColumns} FROM events WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    deleteOlderThan: db.prepare<[number]>('DELETE FROM events WHERE received_at < ?'),
    minAcks: db.prepare<[], { workspaceId: string; ackedSeq: number }>(
      'SELECT workspace_id AS workspaceId, min(acked_seq) AS ackedSeq FROM desks GROUP BY workspace_id',
    ),
    deleteAcked: db.prepare<[string, number]>('DELETE FROM events WHERE workspace_id = ? AND seq <= ?'),
    eventStats: db.prepare<[], { events: number; bytes: number }>(
      'SELECT count(*) AS events, coalesce(sum(length(sealed)), 0) AS bytes FROM events',
    ),

    insertLink: db.prepare<[string, Buffer, Buffer, Buffer, string, number, number]>(
      'INSERT INTO links(id, code_hash, secret_hash, public_key, desk_name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    linkById: db.prepare<[string], LinkRow & { secretHash: Buffer }>(`SELECT ${linkColumns} FROM links WHERE id = ?`),
    pendingLinkByCode: db.prepare<[Buffer, number], LinkRow>(
      `SELECT ${linkColumns} FROM links WHERE code_hash = ? AND workspace_id IS NULL AND desk_id IS NULL AND expires_at > ?
       ORDER BY created_at DESC, id LIMIT 1`,
    ),
    approveLink: db.prepare<[string, string, Buffer, string, number]>(`
      UPDATE links SET workspace_id = ?, approved_by = ?, sealed_keys = ?
      WHERE id = ? AND workspace_id IS NULL AND desk_id IS NULL AND expires_at > ?`),
    markCollected: db.prepare<[string, string]>('UPDATE links SET desk_id = ? WHERE id = ?'),
    pruneLinks: db.prepare<[number]>('DELETE FROM links WHERE expires_at <= ? OR desk_id IS NOT NULL'),
  };
}
