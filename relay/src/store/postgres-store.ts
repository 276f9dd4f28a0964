import pg from 'pg';
import type { CollectResult, DeskRecord, LinkRecord, NewDesk, PairResult, RelayStore, StoredEvent, WorkspaceRecord } from './types';

/**
 * The relay's store on PostgreSQL, for several relay instances sharing one database. Numbering locks the
 * workspace row, so seq order is commit order across instances; appends NOTIFY `relay_events` with the
 * workspace id, and every instance LISTENs on one dedicated connection.
 */

export interface PostgresStoreOptions {
  /** Pooled connections for queries (the LISTEN connection is extra). Default 10. */
  poolSize?: number;
  /**
   * Errors no caller is waiting for: an idle pooled connection or the LISTEN connection failed (it
   * reconnects), a ROLLBACK failed. Default: console.error.
   */
  onError?: (error: Error) => void;
}

const channel = 'relay_events';
/** pg_advisory_xact_lock key for migrations: one migrating instance at a time per database. */
const migrationLock = 0x72656c6179; // "relay"
const reconnectDelays = [250, 1_000, 5_000, 15_000, 30_000];

/** Schema versions, applied in order; relay_schema_version records each one applied. */
const migrations: readonly string[] = [
  `
  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    verify_token TEXT NOT NULL,
    app_secret TEXT NOT NULL,
    pairing_code_hash BYTEA,
    public_key BYTEA,
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
  );
  -- A pairing code must name one workspace.
  CREATE UNIQUE INDEX workspaces_pairing_code ON workspaces(pairing_code_hash) WHERE pairing_code_hash IS NOT NULL;

  CREATE TABLE desks (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL,
    is_primary BOOLEAN NOT NULL DEFAULT false,
    acked_seq BIGINT NOT NULL DEFAULT 0,
    paired_at BIGINT NOT NULL,
    last_seen_at BIGINT
  );
  CREATE INDEX desks_workspace ON desks(workspace_id, paired_at);
  -- At most one primary desk per workspace, whatever a caller does.
  CREATE UNIQUE INDEX desks_one_primary ON desks(workspace_id) WHERE is_primary;

  CREATE TABLE events (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('meta', 'desk')),
    from_desk_id TEXT,
    received_at BIGINT NOT NULL,
    sealed BYTEA NOT NULL,
    PRIMARY KEY (workspace_id, seq)
  );
  -- Sealed bytes do not compress: TOAST stores them out of line without trying.
  ALTER TABLE events ALTER COLUMN sealed SET STORAGE EXTERNAL;
  CREATE INDEX events_received_at ON events(received_at);

  CREATE TABLE links (
    id TEXT PRIMARY KEY,
    code_hash BYTEA NOT NULL,
    secret_hash BYTEA NOT NULL,
    public_key BYTEA NOT NULL,
    desk_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
    approved_by TEXT,
    sealed_keys BYTEA,
    desk_id TEXT
  );
  CREATE INDEX links_code ON links(code_hash);
  CREATE INDEX links_expires_at ON links(expires_at);
  `,
];

// Quoted aliases: PostgreSQL folds unquoted ones to lower case. Ids sort COLLATE "C" (bytewise, as SQLite) whatever the database's collation.
const workspaceColumns = `id, name, verify_token AS "verifyToken", app_secret AS "appSecret", public_key AS "publicKey",
  last_seq AS "lastSeq", created_at AS "createdAt"`;
const deskColumns = `id, workspace_id AS "workspaceId", name, token_hash AS "tokenHash", is_primary AS "primary",
  acked_seq AS "ackedSeq", paired_at AS "pairedAt", last_seen_at AS "lastSeenAt"`;
const eventColumns = `workspace_id AS "workspaceId", seq, kind, from_desk_id AS "fromDeskId", received_at AS "receivedAt", sealed`;
const linkColumns = `id, code_hash AS "codeHash", secret_hash AS "secretHash", public_key AS "publicKey", desk_name AS "deskName",
  created_at AS "createdAt", expires_at AS "expiresAt", workspace_id AS "workspaceId", approved_by AS "approvedBy",
  sealed_keys AS "sealedKeys", desk_id AS "deskId"`;

type WorkspaceRow = WorkspaceRecord & { publicKey: Buffer | null };
type LinkRow = LinkRecord & { secretHash: Buffer };

/** pg sends any ArrayBufferView as bytea, but a Buffer view avoids relying on that. */
function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** BIGINT columns (seqs, times, counts) as numbers: they stay far below 2^53. */
function typeOverrides(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new RangeError(`BIGINT ${value} does not fit a JavaScript number`);
    return parsed;
  });
  return types;
}

/** Opens a pool on `url` and the LISTEN connection. Call `migrate()` before use (openStore does). */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<RelayStore> {
  const onError = options.onError ?? ((error: Error) => console.error('relay store (PostgreSQL):', error));
  const types = typeOverrides();
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // Without a listener an idle connection's error would crash the process.
  pool.on('error', onError);

  const listeners = new Set<(workspaceId: string) => void>();
  function wake(workspaceId: string): void {
    for (const listener of listeners) {
      // Outside pg's event handler: a throwing listener must not break the LISTEN connection.
      queueMicrotask(() => {
        if (listeners.has(listener)) listener(workspaceId);
      });
    }
  }

  const notifications = new NotificationConnection(url, types, wake, onError, async () => {
    // Notifications sent while the connection was down are lost: wake every workspace once.
    if (listeners.size === 0) return;
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM workspaces');
    for (const { id } of rows) wake(id);
  });
  try {
    // Listening before open resolves: an append right after subscribe() is heard.
    await notifications.start();
  } catch (error) {
    await pool.end();
    throw error;
  }

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
        onError(rollbackError);
      });
      throw error;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: the pool closes it instead of reusing it.
      client.release(broken);
    }
  }

  /** Locks the workspace row: desk changes of one workspace (primary, pairing) happen one at a time. */
  async function lockWorkspace(client: pg.PoolClient, workspaceId: string): Promise<WorkspaceRow | undefined> {
    // NO KEY UPDATE, not UPDATE: it does not wait for transactions that only reference the row (foreign keys).
    const { rows } = await client.query<WorkspaceRow>(`SELECT ${workspaceColumns} FROM workspaces WHERE id = $1 FOR NO KEY UPDATE`, [workspaceId]);
    return rows[0];
  }

  /** The desk is primary only when its workspace has none (its first desk, or every other desk was removed). */
  async function insertDesk(client: pg.PoolClient, workspaceId: string, desk: NewDesk): Promise<DeskRecord> {
    const { rows } = await client.query<DeskRecord>(
      `INSERT INTO desks(id, workspace_id, name, token_hash, is_primary, paired_at)
       VALUES ($1, $2, $3, $4, NOT EXISTS (SELECT 1 FROM desks WHERE workspace_id = $2 AND is_primary), $5)
       RETURNING ${deskColumns}`,
      [desk.id, workspaceId, desk.name, bytes(desk.tokenHash), desk.pairedAt],
    );
    return rows[0]!;
  }

  async function deskWorkspace(client: pg.PoolClient, deskId: string): Promise<string | undefined> {
    const { rows } = await client.query<{ workspaceId: string }>('SELECT workspace_id AS "workspaceId" FROM desks WHERE id = $1', [deskId]);
    return rows[0]?.workspaceId;
  }

  return {
    async migrate() {
      await transaction(async (client) => {
        // Several instances may start at once: the first migrates, the others wait and find nothing to do.
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLock]);
        await client.query('CREATE TABLE IF NOT EXISTS relay_schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
        const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM relay_schema_version');
        const version = rows[0]!.version;
        if (version > migrations.length) {
          throw new Error(`relay store: the database schema is at version ${version}, newer than this relay knows (${migrations.length})`);
        }
        for (let next = version; next < migrations.length; next++) {
          await client.query(migrations[next]!);
          await client.query('INSERT INTO relay_schema_version(version, applied_at) VALUES ($1, $2)', [next + 1, Date.now()]);
        }
      });
    },

    async close() {
      listeners.clear();
      await notifications.stop();
      await pool.end();
    },

    async addWorkspace(w) {
      await pool.query(
        'INSERT INTO workspaces(id, name, verify_token, app_secret, pairing_code_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [w.id, w.name, w.verifyToken, w.appSecret, bytes(w.pairingCodeHash), w.createdAt],
      );
    },

    async getWorkspace(id) {
      const { rows } = await pool.query<WorkspaceRow>(`SELECT ${workspaceColumns} FROM workspaces WHERE id = $1`, [id]);
      return rows[0] ?? null;
    },

    async listWorkspaces() {
      const { rows } = await pool.query<WorkspaceRow>(`SELECT ${workspaceColumns} FROM workspaces ORDER BY created_at, id COLLATE "C"`);
      return rows;
    },

    async setPairingCode(workspaceId, codeHash) {
      const result = await pool.query('UPDATE workspaces SET pairing_code_hash = $1 WHERE id = $2', [codeHash ? bytes(codeHash) : null, workspaceId]);
      return (result.rowCount ?? 0) > 0;
    },

    async pairDesk({ codeHash, publicKey, desk }) {
      return transaction(async (client): Promise<PairResult> => {
        // A concurrent pairing with the same code waits here, then finds the code gone.
        const { rows } = await client.query<WorkspaceRow>(
          `SELECT ${workspaceColumns} FROM workspaces WHERE pairing_code_hash = $1 FOR NO KEY UPDATE`,
          [bytes(codeHash)],
        );
        const workspace = rows[0];
        if (!workspace) return { kind: 'invalid_code' };
        // A refused pairing changes nothing: the code stays valid for the desk holding the right key.
        if (workspace.publicKey && !workspace.publicKey.equals(bytes(publicKey))) return { kind: 'key_mismatch' };
        const updated = await client.query<WorkspaceRow>(
          `UPDATE workspaces SET pairing_code_hash = NULL, public_key = coalesce(public_key, $1) WHERE id = $2 RETURNING ${workspaceColumns}`,
          [bytes(publicKey), workspace.id],
        );
        const added = await insertDesk(client, workspace.id, desk);
        return { kind: 'paired', workspace: updated.rows[0]!, desk: added };
      });
    },

    async getDesk(id) {
      const { rows } = await pool.query<DeskRecord>(`SELECT ${deskColumns} FROM desks WHERE id = $1`, [id]);
      return rows[0] ?? null;
    },

    async listDesks(workspaceId) {
      const { rows } = await pool.query<DeskRecord>(`SELECT ${deskColumns} FROM desks WHERE workspace_id = $1 ORDER BY paired_at, id COLLATE "C"`, [workspaceId]);
      return rows;
    },

    async removeDesk(id) {
      return transaction(async (client) => {
        const workspaceId = await deskWorkspace(client, id);
        if (workspaceId === undefined) return false;
        await lockWorkspace(client, workspaceId);
        const removed = await client.query<{ primary: boolean }>('DELETE FROM desks WHERE id = $1 RETURNING is_primary AS "primary"', [id]);
        const desk = removed.rows[0];
        if (!desk) return false;
        if (desk.primary) {
          await client.query(
            'UPDATE desks SET is_primary = true WHERE id = (SELECT id FROM desks WHERE workspace_id = $1 ORDER BY paired_at, id COLLATE "C" LIMIT 1)',
            [workspaceId],
          );
        }
        return true;
      });
    },

    async setPrimary(deskId) {
      return transaction(async (client) => {
        const workspaceId = await deskWorkspace(client, deskId);
        if (workspaceId === undefined) return false;
        await lockWorkspace(client, workspaceId);
        // Read again under the lock: a concurrent removeDesk may have won.
        if ((await deskWorkspace(client, deskId)) === undefined) return false;
        // Two statements: the unique index on the primary desk is checked row by row.
        await client.query('UPDATE desks SET is_primary = false WHERE workspace_id = $1 AND is_primary AND id <> $2', [workspaceId, deskId]);
        await client.query('UPDATE desks SET is_primary = true WHERE id = $1', [deskId]);
        return true;
      });
    },

    async touchDesk(id, at) {
      await pool.query('UPDATE desks SET last_seen_at = GREATEST(last_seen_at, $1) WHERE id = $2', [at, id]);
    },

    async appendEvents(events) {
      if (events.length === 0) return [];
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.workspaceId, (counts.get(event.workspaceId) ?? 0) + 1);
      // Workspace rows locked in one order by every instance: two batches spanning the same workspaces cannot deadlock.
      const workspaceIds = [...counts.keys()].sort();
      return transaction(async (client) => {
        await client.query('SET LOCAL synchronous_commit = on');
        const next = new Map<string, number>();
        for (const workspaceId of workspaceIds) {
          const count = counts.get(workspaceId)!;
          // The row lock taken here is held to COMMIT: numbering in a workspace follows commit order.
          const { rows } = await client.query<{ lastSeq: number }>(
            'UPDATE workspaces SET last_seq = last_seq + $1 WHERE id = $2 RETURNING last_seq AS "lastSeq"',
            [count, workspaceId],
          );
          const last = rows[0]?.lastSeq;
          if (last === undefined) throw new Error(`appendEvents: unknown workspace ${workspaceId}`);
          next.set(workspaceId, last - count + 1);
        }
        const seqs = events.map((event) => {
          const seq = next.get(event.workspaceId)!;
          next.set(event.workspaceId, seq + 1);
          return seq;
        });
        await client.query(
          `INSERT INTO events(workspace_id, seq, kind, from_desk_id, received_at, sealed)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bytea[])`,
          [
            events.map((e) => e.workspaceId),
            seqs,
            events.map((e) => e.kind),
            events.map((e) => e.fromDeskId),
            events.map((e) => e.receivedAt),
            events.map((e) => bytes(e.sealed)),
          ],
        );
        // Delivered by PostgreSQL at COMMIT, to every instance listening (this one included).
        await client.query(`SELECT pg_notify('${channel}', id) FROM unnest($1::text[]) AS id`, [workspaceIds]);
        return seqs;
      });
    },

    async readEvents(workspaceId, afterSeq, limit) {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readEvents: limit must be a non-negative integer, not ${limit}`);
      const { rows } = await pool.query<StoredEvent>(
        `SELECT ${eventColumns} FROM events WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [workspaceId, afterSeq, limit],
      );
      return rows;
    },

    async ack(deskId, seq) {
      // Capped at the workspace's last seq: acknowledging events that do not exist yet would let prune drop them unread.
      await pool.query(
        `UPDATE desks d SET acked_seq = GREATEST(d.acked_seq, LEAST($1::bigint, w.last_seq))
         FROM workspaces w WHERE w.id = d.workspace_id AND d.id = $2`,
        [seq, deskId],
      );
    },

    async prune(olderThan) {
      return transaction(async (client) => {
        const old = await client.query('DELETE FROM events WHERE received_at < $1', [olderThan]);
        // Workspaces without desks have no row in the join: their events wait for the age limit.
        const acked = await client.query(
          `DELETE FROM events e USING (SELECT workspace_id, min(acked_seq) AS seq FROM desks GROUP BY workspace_id) a
           WHERE e.workspace_id = a.workspace_id AND e.seq <= a.seq`,
        );
        return (old.rowCount ?? 0) + (acked.rowCount ?? 0);
      });
    },

    async eventStats() {
      const { rows } = await pool.query<{ events: number; bytes: number }>(
        'SELECT count(*) AS events, coalesce(sum(octet_length(sealed)), 0)::bigint AS bytes FROM events',
      );
      return rows[0]!;
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
      await pool.query(
        'INSERT INTO links(id, code_hash, secret_hash, public_key, desk_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [link.id, bytes(link.codeHash), bytes(link.secretHash), bytes(link.publicKey), link.deskName, link.createdAt, link.expiresAt],
      );
    },

    async findLinkByCode(codeHash, now) {
      const { rows } = await pool.query<LinkRow>(
        `SELECT ${linkColumns} FROM links WHERE code_hash = $1 AND workspace_id IS NULL AND desk_id IS NULL AND expires_at > $2
         ORDER BY created_at DESC, id COLLATE "C" LIMIT 1`,
        [bytes(codeHash), now],
      );
      return rows[0] ?? null;
    },

    async getLink(id) {
      const { rows } = await pool.query<LinkRow>(`SELECT ${linkColumns} FROM links WHERE id = $1`, [id]);
      return rows[0] ?? null;
    },

    async approveLink(linkId, approval, now) {
      const result = await pool.query(
        `UPDATE links SET workspace_id = $1, approved_by = $2, sealed_keys = $3
         WHERE id = $4 AND workspace_id IS NULL AND desk_id IS NULL AND expires_at > $5`,
        [approval.workspaceId, approval.approvedBy, bytes(approval.sealedKeys), linkId, now],
      );
      return (result.rowCount ?? 0) > 0;
    },

    async collectLink(linkId, secretHash, desk, now) {
      return transaction(async (client): Promise<CollectResult> => {
        // The link row lock makes collect once-only across instances.
        const { rows } = await client.query<LinkRow>(`SELECT ${linkColumns} FROM links WHERE id = $1 FOR UPDATE`, [linkId]);
        const link = rows[0];
        // A wrong secret looks like an unknown link: it reveals nothing about the link.
        if (!link || link.deskId !== null || link.expiresAt <= now || !link.secretHash.equals(bytes(secretHash))) {
          return { kind: 'gone' };
        }
        if (link.workspaceId === null) return { kind: 'pending' };
        await lockWorkspace(client, link.workspaceId);
        const added = await insertDesk(client, link.workspaceId, desk);
        const collected = await client.query<LinkRow>(`UPDATE links SET desk_id = $1 WHERE id = $2 RETURNING ${linkColumns}`, [desk.id, linkId]);
        return { kind: 'collected', link: collected.rows[0]!, desk: added };
      });
    },

    async pruneLinks(now) {
      const result = await pool.query('DELETE FROM links WHERE expires_at <= $1 OR desk_id IS NOT NULL', [now]);
      return result.rowCount ?? 0;
    },
  };
}

/**
 * The one connection that LISTENs. When it fails it reconnects with a growing delay, then calls
 * `onReconnect` (notifications sent meanwhile are lost).
 */
class NotificationConnection {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly types: pg.TypeOverrides,
    private readonly onNotification: (workspaceId: string) => void,
    private readonly onError: (error: Error) => void,
    private readonly onReconnect: () => Promise<void>,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types: this.types });
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload) this.onNotification(message.payload);
    });
    client.on('error', (error) => {
      this.onError(error);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      // The connect error is the one thrown; a failure to clean up is reported beside it.
      await client.end().catch(this.onError);
      throw error;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.attempt = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(this.onError);
    this.retry();
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    const delay = reconnectDelays[Math.min(this.attempt, reconnectDelays.length - 1)]!;
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.start().then(
        () => (this.stopped ? undefined : this.onReconnect().catch(this.onError)),
        (error: Error) => {
          this.onError(error);
          this.retry();
        },
      );
    }, delay);
  }
}
