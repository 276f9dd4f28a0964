import type Database from 'better-sqlite3';

/**
 * The outbox table: one row per send request we owe Meta (DESIGN: Messages in and out). The row is written in
 * the same transaction as its message, before any network call, so a crash never loses what staff sent.
 *
 * `sending` means "a request may have reached Meta": a send in flight, or one whose outcome is unknown (a
 * timeout after a possible accept, or a crash mid-send). Such a row is never picked again by `due`; only a
 * status webhook (reconcile) or the confirmation deadline (not_confirmed) moves it on.
 *
 * Times are passed in (`at`) rather than read from a clock: the outbox service owns the clock.
 */
export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'not_confirmed' | 'cancelled';

export const outboxStates: readonly OutboxState[] = ['queued', 'sending', 'sent', 'failed', 'not_confirmed', 'cancelled'];

export interface OutboxEntry {
  id: number;
  /** Ours, sent as `biz_opaque_callback_data`; status webhooks echo it back. */
  clientId: string;
  conversationId: number;
  messageId: number | null;
  /** The request body as queued (without `biz_opaque_callback_data`, which the sender adds). */
  request: unknown;
  state: OutboxState;
  /** Requests made for this row (each `markSending`). */
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewOutboxEntry {
  conversationId: number;
  messageId: number;
  clientId: string;
  request: unknown;
  at: number;
  /** `failed` for a request refused before any network call (the 24-hour window is closed). */
  state?: 'queued' | 'failed';
  lastError?: string | null;
}

export interface OutboxRepository {
  /** Adds a row (`queued`, due at once, unless `state` says otherwise); returns its id. */
  enqueue(entry: NewOutboxEntry): number;
  get(id: number): OutboxEntry | undefined;
  byClientId(clientId: string): OutboxEntry | undefined;
  /** The newest row for a message (a resend makes a new message, so there is normally one). */
  latestForMessage(messageId: number): OutboxEntry | undefined;
  /**
   * Rows ready to send, oldest first: only the oldest queued row of each conversation (messages to one
   * customer go out in order), due by `now`, and not in `excludeConversationIds` (in flight or rate-limited).
   */
  due(now: number, limit: number, excludeConversationIds?: Iterable<number>): OutboxEntry[];
  /** When the next queued head outside `excludeConversationIds` falls due; null when nothing is queued. */
  nextDueAt(excludeConversationIds?: Iterable<number>): number | null;
  /** Every row in a state, oldest first (start-up looks for `sending` rows a crash left behind). */
  inState(state: OutboxState): OutboxEntry[];
  /** queued → sending, one more attempt. False when the row was not queued. */
  markSending(id: number, at: number): boolean;
  /** Meta accepted it (from the response or, reconciled, from a status webhook): → sent from any open state. */
  markSent(id: number, at: number): boolean;
  /** sending → queued again, due at `nextAttemptAt`, with the reason. */
  scheduleRetry(id: number, nextAttemptAt: number, error: string, at: number): boolean;
  /** queued or sending → failed (a permanent error, or refused before sending). */
  markFailed(id: number, error: string, at: number): boolean;
  /**
   * The outcome of a send is unknown (timeout after a possible accept; a crash mid-send): the row stays
   * `sending`, never due again; `updatedAt` becomes `at`, from which the confirmation deadline runs.
   */
  markUnknown(id: number, error: string, at: number): boolean;
  /** sending (unknown) → not_confirmed: no status came in time. */
  markNotConfirmed(id: number, at: number): boolean;
  /** queued → cancelled. False when it is already sending or done. */
  cancel(id: number, at: number): boolean;
  /** Sends not finished yet, for one conversation or all. */
  pendingCounts(conversationId?: number): OutboxPendingCounts;
  /**
   * A wamid that a stored status webhook gave for this client id (`biz_opaque_callback_data`), if any:
   * proof that Meta accepted a send whose response was lost.
   */
  acceptedWamid(clientId: string): string | undefined;
}

export interface OutboxPendingCounts {
  queued: number;
  /** In flight (or left `sending` by a crash, until the outbox starts). */
  sending: number;
  /** Sent, but Meta's answer was lost: waiting for a status webhook. */
  unknown: number;
  notConfirmed: number;
}

interface OutboxRow {
  id: number;
  clientId: string;
  conversationId: number;
  messageId: number | null;
  requestJson: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

const columns = `
  o.id, o.client_id AS clientId, o.conversation_id AS conversationId, o.message_id AS messageId,
  o.request_json AS requestJson, o.state, o.attempts, o.next_attempt_at AS nextAttemptAt, o.last_error AS lastError,
  o.created_at AS createdAt, o.updated_at AS updatedAt`;

// The head of each conversation's queue: its oldest queued row. Reads queued rows only (outbox_due index);
// the heads are sorted in memory, as there are at most as many as queued rows.
const heads = "SELECT min(id) AS id FROM outbox WHERE state = 'queued' GROUP BY conversation_id";

interface HeadRow {
  id: number;
  nextAttemptAt: number | null;
}

function toEntry(r: OutboxRow): OutboxEntry {
  const { requestJson, ...rest } = r;
  return { ...rest, request: JSON.parse(requestJson) as unknown };
}

function idList(ids: Iterable<number> | undefined): string {
  return JSON.stringify(ids ? [...ids] : []);
}

export function createOutboxRepository(db: Database.Database): OutboxRepository {
  const insert = db.prepare<{ clientId: string; conversationId: number; messageId: number; requestJson: string; state: string; lastError: string | null; at: number }>(`
    INSERT INTO outbox(client_id, conversation_id, message_id, request_json, state, attempts, next_attempt_at, last_error, created_at, updated_at)
    VALUES (:clientId, :conversationId, :messageId, :requestJson, :state, 0, CASE WHEN :state = 'queued' THEN :at END, :lastError, :at, :at)`);
  const byId = db.prepare<[number], OutboxRow>(`SELECT ${columns} FROM outbox o WHERE o.id = ?`);
  const byClient = db.prepare<[string], OutboxRow>(`SELECT ${columns} FROM outbox o WHERE o.client_id = ?`);
  const byMessage = db.prepare<[number], OutboxRow>(`SELECT ${columns} FROM outbox o WHERE o.message_id = ? ORDER BY o.id DESC LIMIT 1`);
  const headRows = db.prepare<{ exclude: string }, HeadRow>(`
    SELECT o.id, o.next_attempt_at AS nextAttemptAt FROM (${heads}) h JOIN outbox o ON o.id = h.id
    WHERE o.conversation_id NOT IN (SELECT value FROM json_each(:exclude))`);
  const inState = db.prepare<[string], OutboxRow>(`SELECT ${columns} FROM outbox o WHERE o.state = ?`);
  const toSending = db.prepare<[number, number]>(`
    UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = NULL, updated_at = ?
    WHERE id = ? AND state = 'queued'`);
  const toSent = db.prepare<[number, number]>(`
    UPDATE outbox SET state = 'sent', next_attempt_at = NULL, last_error = NULL, updated_at = ?
    WHERE id = ? AND state IN ('queued', 'sending', 'not_confirmed', 'failed', 'cancelled')`);
  const toRetry = db.prepare<[number, string, number, number]>(`
    UPDATE outbox SET state = 'queued', next_attempt_at = ?, last_error = ?, updated_at = ?
    WHERE id = ? AND state = 'sending'`);
  const toFailed = db.prepare<[string, number, number]>(`
    UPDATE outbox SET state = 'failed', next_attempt_at = NULL, last_error = ?, updated_at = ?
    WHERE id = ? AND state IN ('queued', 'sending')`);
  const toUnknown = db.prepare<[string, number, number]>(`
    UPDATE outbox SET last_error = ?, updated_at = ? WHERE id = ? AND state = 'sending'`);
  const toNotConfirmed = db.prepare<[number, number]>(`
    UPDATE outbox SET state = 'not_confirmed', updated_at = ? WHERE id = ? AND state = 'sending'`);
  const toCancelled = db.prepare<[number, number]>(`
    UPDATE outbox SET state = 'cancelled', next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state = 'queued'`);
  // Only unfinished states: counting `sent` would read the whole table.
  const pending = "o.state IN ('queued', 'sending', 'not_confirmed')";
  const countAll = db.prepare<[], { state: OutboxState; status: string | null; n: number }>(`
    SELECT o.state, m.status, count(*) AS n FROM outbox o LEFT JOIN messages m ON m.id = o.message_id
    WHERE ${pending} GROUP BY o.state, m.status`);
  const countOne = db.prepare<[number], { state: OutboxState; status: string | null; n: number }>(`
    SELECT o.state, m.status, count(*) AS n FROM outbox o LEFT JOIN messages m ON m.id = o.message_id
    WHERE o.conversation_id = ? AND ${pending} GROUP BY o.state, m.status`);
  // status_events belongs to the inbound processor; read only, through its client_id index.
  const accepted = db.prepare<[string], string>('SELECT wamid FROM status_events WHERE client_id = ? ORDER BY id LIMIT 1').pluck();

  const entry = (row: OutboxRow | undefined) => row && toEntry(row);

  return {
    enqueue: (e) =>
      Number(
        insert.run({
          clientId: e.clientId,
          conversationId: e.conversationId,
          messageId: e.messageId,
          requestJson: JSON.stringify(e.request),
          state: e.state ?? 'queued',
          lastError: e.lastError ?? null,
          at: e.at,
        }).lastInsertRowid,
      ),
    get: (id) => entry(byId.get(id)),
    byClientId: (clientId) => entry(byClient.get(clientId)),
    latestForMessage: (messageId) => entry(byMessage.get(messageId)),
    due(now, limit, exclude) {
      if (limit <= 0) return [];
      const ready = headRows.all({ exclude: idList(exclude) }).filter((h) => h.nextAttemptAt !== null && h.nextAttemptAt <= now);
      ready.sort((a, b) => a.id - b.id);
      ready.length = Math.min(ready.length, Math.trunc(limit));
      return ready.map((h) => toEntry(byId.get(h.id)!));
    },
    nextDueAt(exclude) {
      let next: number | null = null;
      for (const h of headRows.all({ exclude: idList(exclude) })) {
        if (h.nextAttemptAt !== null && (next === null || h.nextAttemptAt < next)) next = h.nextAttemptAt;
      }
      return next;
    },
    inState: (state) => inState.all(state).map(toEntry).sort((a, b) => a.id - b.id),
    markSending: (id, at) => toSending.run(at, id).changes > 0,
    markSent: (id, at) => toSent.run(at, id).changes > 0,
    scheduleRetry: (id, nextAttemptAt, error, at) => toRetry.run(nextAttemptAt, error, at, id).changes > 0,
    markFailed: (id, error, at) => toFailed.run(error, at, id).changes > 0,
    markUnknown: (id, error, at) => toUnknown.run(error, at, id).changes > 0,
    markNotConfirmed: (id, at) => toNotConfirmed.run(at, id).changes > 0,
    cancel: (id, at) => toCancelled.run(at, id).changes > 0,
    pendingCounts(conversationId) {
      const result: OutboxPendingCounts = { queued: 0, sending: 0, unknown: 0, notConfirmed: 0 };
      const rows = conversationId === undefined ? countAll.all() : countOne.all(conversationId);
      for (const r of rows) {
        if (r.state === 'queued') result.queued += r.n;
        else if (r.state === 'not_confirmed') result.notConfirmed += r.n;
        else if (r.status === 'unknown') result.unknown += r.n;
        else result.sending += r.n;
      }
      return result;
    },
    acceptedWamid: (clientId) => accepted.get(clientId),
  };
}
