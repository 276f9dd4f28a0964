import type Database from 'better-sqlite3';
import type { MessageStatus } from '../types';
import type { SearchIndexRepository } from './search-index';

/**
 * Events Meta reports about a message by its wamid, kept as they came (PRODUCT §11: statuses with their
 * times), and their effect on the stored message.
 *
 * - Delivery statuses (`sent`, `delivered`, `read`, `played`, `failed`, or anything new Meta sends).
 * - A customer's `edit` and `revoke` of an earlier message (coexistence numbers), under those two names:
 *   like a status, one can arrive before the message it changes, and waits here until it appears.
 *
 * An event whose message is not stored (yet) stays `applied = 0`; it is applied when the message appears
 * (matched by wamid, or by our client id echoed in `biz_opaque_callback_data`). The unique key
 * (wamid, status, timestamp) makes a repeated webhook a no-op.
 */
export interface StatusEventsRepository {
  /** Stores an event unless the same one is stored; returns the stored row either way. */
  record(event: NewStatusEvent): { event: StatusEvent; inserted: boolean };
  markApplied(id: number): void;
  /** Events for this message not yet applied, oldest first. */
  pendingFor(ref: { wamid: string | null; clientId: string | null }): StatusEvent[];
  /** Unapplied events whose message is stored now (by wamid or client id), in no particular order. */
  pendingWithStoredMessage(limit: number): Array<{ event: StatusEvent; messageId: number }>;
  /** Every event kept for a wamid, oldest first. */
  forWamid(wamid: string): StatusEvent[];
  /**
   * Sets an outbound message's delivery status when it ranks above the current one (sent < failed <
   * delivered < read < played; the same status keeps its earliest time). Monotonic, so any arrival order
   * ends in the same state. Returns whether the message changed.
   */
  applyDeliveryStatus(messageId: number, status: DeliveryStatus): boolean;
  /** A message known only by client id (its send response was lost) gets the wamid a status names. */
  assignWamid(messageId: number, wamid: string): boolean;
  /** The customer deleted the message: its content goes (text, caption, payload, media link, search entry). */
  applyRevoke(messageId: number, at: number): boolean;
}

export interface NewStatusEvent {
  wamid: string;
  /** Meta's status value, or `edit` / `revoke`. */
  status: string;
  /** Meta's own time for the event, ms. */
  timestamp: number;
  clientId?: string | null;
  errorCode?: number | null;
  errorTitle?: string | null;
  /** The event object as Meta sent it. */
  raw: unknown;
  receivedAt: number;
}

export interface StatusEvent {
  id: number;
  wamid: string;
  status: string;
  timestamp: number;
  clientId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  rawJson: string;
  receivedAt: number;
  applied: boolean;
}

export type AppliedStatus = Extract<MessageStatus, 'sent' | 'delivered' | 'read' | 'played' | 'failed'>;

export interface DeliveryStatus {
  status: AppliedStatus;
  at: number;
  errorCode: number | null;
  errorTitle: string | null;
}

/** Rank of a delivery status: a later state of the same message never goes back to an earlier one. */
export const deliveryStatusRank: Record<AppliedStatus, number> = { sent: 1, failed: 2, delivered: 3, read: 4, played: 5 };

const columnsOf = (t: string) => `
  ${t}.id, ${t}.wamid, ${t}.status, ${t}.timestamp, ${t}.client_id AS clientId, ${t}.error_code AS errorCode,
  ${t}.error_title AS errorTitle, ${t}.raw_json AS rawJson, ${t}.received_at AS receivedAt, ${t}.applied`;
const eventColumns = columnsOf('status_events');

type EventRow = Omit<StatusEvent, 'applied'> & { applied: number };
const byTime = (a: EventRow, b: EventRow) => a.timestamp - b.timestamp || a.id - b.id;
const toEvent = (r: EventRow): StatusEvent => ({ ...r, applied: r.applied === 1 });

// The stored message's rank. Our own states before Meta says anything rank 0: pending, unknown,
// not_confirmed, and a `failed` the outbox set without a wamid (any status from Meta proves it was accepted).
const currentRankSql = `CASE status WHEN 'sent' THEN 1 WHEN 'failed' THEN (CASE WHEN wamid IS NULL THEN 0 ELSE 2 END)
  WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 WHEN 'played' THEN 5 ELSE 0 END`;

export function createStatusEventsRepository(db: Database.Database, deps: { searchIndex: SearchIndexRepository }): StatusEventsRepository {
  const insert = db.prepare<{ wamid: string; status: string; timestamp: number; clientId: string | null; errorCode: number | null; errorTitle: string | null; rawJson: string; receivedAt: number }>(`
    INSERT INTO status_events(wamid, status, timestamp, client_id, error_code, error_title, raw_json, received_at)
    VALUES (:wamid, :status, :timestamp, :clientId, :errorCode, :errorTitle, :rawJson, :receivedAt)
    ON CONFLICT (wamid, status, timestamp) DO NOTHING`);
  const byKey = db.prepare<[string, string, number], EventRow>(`SELECT ${eventColumns} FROM status_events WHERE wamid = ? AND status = ? AND timestamp = ?`);
  const byId = db.prepare<[number], EventRow>(`SELECT ${eventColumns} FROM status_events WHERE id = ?`);
  const markApplied = db.prepare<[number]>('UPDATE status_events SET applied = 1 WHERE id = ?');
  const pendingByWamid = db.prepare<[string], EventRow>(`SELECT ${eventColumns} FROM status_events WHERE wamid = ? AND applied = 0`);
  const pendingByClientId = db.prepare<[string], EventRow>(`SELECT ${eventColumns} FROM status_events WHERE client_id = ? AND applied = 0`);
  // Walks the unapplied events only (a partial index); the order of application does not matter, since
  // every effect is monotonic.
  const pendingStored = db.prepare<[number], EventRow & { messageId: number }>(`
    SELECT ${columnsOf('se')}, m.id AS messageId
    FROM status_events se JOIN messages m ON m.wamid = se.wamid
    WHERE se.applied = 0
    UNION
    SELECT ${columnsOf('se')}, m.id AS messageId
    FROM status_events se JOIN messages m ON m.client_id = se.client_id
    WHERE se.applied = 0 AND se.client_id IS NOT NULL
    LIMIT ?`);
  // The events of one message are a handful: sorted here rather than by a temporary b-tree.
  const forWamid = db.prepare<[string], EventRow>(`SELECT ${eventColumns} FROM status_events WHERE wamid = ?`);
  const applyStatus = db.prepare<{ id: number; status: AppliedStatus; rank: number; at: number; errorCode: number | null; errorTitle: string | null }>(`
    UPDATE messages SET status = :status, status_at = :at, error_code = :errorCode, error_title = :errorTitle
    WHERE id = :id AND direction = 'out'
      AND (${currentRankSql} < :rank OR (${currentRankSql} = :rank AND (status_at IS NULL OR :at < status_at)))`);
  const assignWamid = db.prepare<{ id: number; wamid: string }>(`
    UPDATE messages SET wamid = :wamid
    WHERE id = :id AND wamid IS NULL AND NOT EXISTS (SELECT 1 FROM messages WHERE wamid = :wamid)`);
  const revoke = db.prepare<{ id: number; at: number }>(`
    UPDATE messages SET revoked_at = min(ifnull(revoked_at, :at), :at), text = NULL, caption = NULL, payload_json = NULL, media_id = NULL
    WHERE id = :id AND (revoked_at IS NULL OR revoked_at > :at OR text IS NOT NULL OR caption IS NOT NULL OR payload_json IS NOT NULL OR media_id IS NOT NULL)`);

  return {
    record(e) {
      const result = insert.run({
        wamid: e.wamid,
        status: e.status,
        timestamp: e.timestamp,
        clientId: e.clientId ?? null,
        errorCode: e.errorCode ?? null,
        errorTitle: e.errorTitle ?? null,
        rawJson: JSON.stringify(e.raw),
        receivedAt: e.receivedAt,
      });
      if (result.changes === 0) return { event: toEvent(byKey.get(e.wamid, e.status, e.timestamp)!), inserted: false };
      return { event: toEvent(byId.get(Number(result.lastInsertRowid))!), inserted: true };
    },

    markApplied: (id) => void markApplied.run(id),

    pendingFor(ref) {
      const rows = new Map<number, EventRow>();
      if (ref.wamid) for (const r of pendingByWamid.all(ref.wamid)) rows.set(r.id, r);
      if (ref.clientId) for (const r of pendingByClientId.all(ref.clientId)) rows.set(r.id, r);
      return [...rows.values()].sort(byTime).map(toEvent);
    },

    pendingWithStoredMessage: (limit) => pendingStored.all(limit).map(({ messageId, ...row }) => ({ event: toEvent(row), messageId })),
    forWamid: (wamid) => forWamid.all(wamid).sort(byTime).map(toEvent),

    applyDeliveryStatus: (id, s) =>
      applyStatus.run({ id, status: s.status, rank: deliveryStatusRank[s.status], at: s.at, errorCode: s.errorCode, errorTitle: s.errorTitle }).changes > 0,

    assignWamid: (id, wamid) => assignWamid.run({ id, wamid }).changes > 0,

    applyRevoke(id, at) {
      if (revoke.run({ id, at }).changes === 0) return false;
      deps.searchIndex.reindexMessage(id, null, null);
      return true;
    },
  };
}
