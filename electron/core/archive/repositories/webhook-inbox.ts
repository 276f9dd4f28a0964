import type Database from 'better-sqlite3';

export type InboxSource = 'direct' | 'relay' | 'sandbox' | 'spool';

export interface NewInboxRow {
  /** The raw request body, byte for byte as received (the signature covers exactly these bytes). */
  body: Buffer;
  receivedAt: number;
  source: InboxSource;
  /**
   * An id that makes redelivery idempotent: the relay's event id, or `spool:<sha256 of the sealed record>`
   * for bodies drained from the spool. A row whose external id is already stored is not stored again.
   */
  externalId?: string | null;
  /** False for a body spooled while no app secret was at hand; `signature` is then kept to check later. */
  verified?: boolean;
  signature?: string | null;
}

export interface InboxRow {
  id: number;
  receivedAt: number;
  source: InboxSource;
  body: Buffer;
}

export interface UnverifiedInboxRow extends InboxRow {
  signature: string | null;
}

export interface InboxCounts {
  /** Every stored body, whatever its state. */
  received: number;
  /** Turned into archive rows. */
  processed: number;
  /** Given up on by the processor (kept, with its error; `retryFailed` puts them back in the queue). */
  failed: number;
  /** Waiting for the processor (verified, neither processed nor failed). */
  pending: number;
  /** Spooled without an app secret and not yet checked: never handed to the processor. */
  unverified: number;
}

/**
 * The durable inbox of raw webhook bodies (DESIGN: Messages in and out). The receiver appends, the
 * processor takes the oldest unprocessed rows and marks each one processed or failed.
 *
 * States with the columns of migration 0001: pending = `processed_at IS NULL`; processed = `processed_at`
 * set and `error` NULL; failed = `processed_at` set (when the processor gave up) and `error` set. A failed
 * row thus leaves the queue, so one poisonous body never blocks the rows behind it.
 */
export interface WebhookInboxRepository {
  /** Stores every row in one transaction; returns their ids in order (the existing id for a known external id). */
  appendMany(rows: readonly NewInboxRow[]): number[];
  /** Whether a row with this external id is stored (a redelivered relay event, an already drained spool record). */
  hasExternalId(externalId: string): boolean;
  /** The oldest verified rows not yet processed or failed, oldest first. */
  nextUnprocessed(limit: number): InboxRow[];
  markProcessed(id: number, at: number): void;
  markFailed(id: number, error: string, at: number): void;
  /** Puts every failed row back in the queue (after an update that understands them); returns how many. */
  retryFailed(): number;
  counts(): InboxCounts;
  /** Rows spooled without an app secret, oldest first, for checking once the secret is known. */
  unverified(limit: number): UnverifiedInboxRow[];
  /** The signature checked out: the row joins the queue. */
  markVerified(id: number): void;
  /** The signature did not check out: the body is forged and deleted. */
  deleteForged(id: number): void;
}

const rowColumns = 'id, received_at AS receivedAt, source, body';

export function createWebhookInboxRepository(db: Database.Database): WebhookInboxRepository {
  const insert = db.prepare<{ receivedAt: number; source: InboxSource; externalId: string | null; body: Buffer; signature: string | null; verified: number }>(`
    INSERT INTO webhook_inbox(received_at, source, external_id, body, signature, verified)
    VALUES (:receivedAt, :source, :externalId, :body, :signature, :verified)
    ON CONFLICT (external_id) DO NOTHING`);
  const byExternalId = db.prepare<[string], number>('SELECT id FROM webhook_inbox WHERE external_id = ?').pluck();
  const next = db.prepare<[number], InboxRow>(`
    SELECT ${rowColumns} FROM webhook_inbox WHERE processed_at IS NULL AND verified = 1 ORDER BY id LIMIT ?`);
  const processed = db.prepare<[number, number]>(
    'UPDATE webhook_inbox SET processed_at = ?, error = NULL, attempts = attempts + 1 WHERE id = ?',
  );
  const failed = db.prepare<[number, string, number]>(
    'UPDATE webhook_inbox SET processed_at = ?, error = ?, attempts = attempts + 1 WHERE id = ?',
  );
  const retry = db.prepare('UPDATE webhook_inbox SET processed_at = NULL WHERE processed_at IS NOT NULL AND error IS NOT NULL');
  const counts = db.prepare<[], InboxCounts>(`
    SELECT count(*) AS received,
      coalesce(sum(processed_at IS NOT NULL AND error IS NULL), 0) AS processed,
      coalesce(sum(processed_at IS NOT NULL AND error IS NOT NULL), 0) AS failed,
      coalesce(sum(processed_at IS NULL AND verified = 1), 0) AS pending,
      coalesce(sum(processed_at IS NULL AND verified = 0), 0) AS unverified
    FROM webhook_inbox`);
  const unverified = db.prepare<[number], UnverifiedInboxRow>(`
    SELECT ${rowColumns}, signature FROM webhook_inbox WHERE verified = 0 ORDER BY id LIMIT ?`);
  const verify = db.prepare<[number]>('UPDATE webhook_inbox SET verified = 1 WHERE id = ? AND verified = 0');
  const remove = db.prepare<[number]>('DELETE FROM webhook_inbox WHERE id = ? AND verified = 0');

  const appendMany = db.transaction((rows: readonly NewInboxRow[]): number[] =>
    rows.map((row) => {
      const externalId = row.externalId ?? null;
      const result = insert.run({
        receivedAt: row.receivedAt,
        source: row.source,
        externalId,
        body: row.body,
        signature: row.signature ?? null,
        verified: row.verified === false ? 0 : 1,
      });
      if (result.changes === 0 && externalId !== null) return byExternalId.get(externalId)!;
      return Number(result.lastInsertRowid);
    }),
  );

  return {
    appendMany: (rows) => (rows.length === 0 ? [] : appendMany(rows)),
    hasExternalId: (externalId) => byExternalId.get(externalId) !== undefined,
    nextUnprocessed: (limit) => next.all(limit),
    markProcessed: (id, at) => void processed.run(at, id),
    markFailed: (id, error, at) => void failed.run(at, error, id),
    retryFailed: () => retry.run().changes,
    counts: () => counts.get()!,
    unverified: (limit) => unverified.all(limit),
    markVerified: (id) => void verify.run(id),
    deleteForged: (id) => void remove.run(id),
  };
}
