import type Database from 'better-sqlite3';
import { businessHoursSchema } from '../../../../shared/rules/business-hours';
import type { BusinessHours } from '../../../../shared/rules/business-hours';
import type { HoursVersion } from '../hours';

/**
 * The automation's reads and writes (PRODUCT §5, §6): business-hours versions, the auto-reply log, and what
 * a decision needs to know about an inbound message. Every query is keyed by an index of the schema
 * (messages_by_conversation, messages_by_time, auto_reply_by_contact, the log's unique keys).
 */

/** What deciding on one inbound message needs (for a live message and in a dry run alike). */
export interface InboundFacts {
  messageId: number;
  wamid: string | null;
  conversationId: number;
  contactId: number;
  type: string;
  timestamp: number;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId: string | null;
  blocked: boolean;
}

export interface LogRow {
  id: number;
  kind: 'greeting' | 'away';
  at: number;
  contactId: number;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  periodKey: string | null;
  messageId: number | null;
  text: string | null;
  status: string | null;
  conversationId: number | null;
  inboundMessageId: number | null;
  inboundText: string | null;
}

export interface AutomationStore {
  hoursVersions(): HoursVersion[];
  /** A new version in force from `at` (later than every earlier one: versions never share a start). */
  addHoursVersion(hours: BusinessHours, at: number): HoursVersion;
  /** Inbound 1:1 messages after `afterId`, oldest first. */
  inboundAfter(afterId: number, limit: number): InboundFacts[];
  /** Inbound 1:1 messages with from ≤ timestamp ≤ to, by time. */
  inboundBetween(from: number, to: number): InboundFacts[];
  inboundFacts(messageId: number): InboundFacts | undefined;
  lastMessageId(): number;
  /** Another message of the conversation, either way, within [from, to] (the greeting's idle test). */
  otherMessageWithin(conversationId: number, messageId: number, from: number, to: number): boolean;
  /** The contact wrote any other message, ever (the greeting's "never wrote before"). */
  otherInboundExists(conversationId: number, messageId: number): boolean;
  /** A person on the staff wrote in the conversation within [from, to] (automatic messages are not staff). */
  staffMessageWithin(conversationId: number, from: number, to: number): boolean;
  labelIds(conversationId: number): number[];
  greetedSince(contactId: number, since: number): boolean;
  awaySentIn(contactId: number, periodKey: string): boolean;
  /** Records an automatic reply; false when this inbound message (or this away period) already had one. */
  logReply(entry: { kind: 'greeting' | 'away'; contactId: number; inboundWamid: string; periodKey: string | null; at: number }): number | null;
  attachMessage(logId: number, messageId: number): void;
  logPage(before: number | null, limit: number): LogRow[];
}

const factColumns = `
  m.id AS messageId, m.wamid, m.conversation_id AS conversationId, c.contact_id AS contactId, m.type, m.timestamp,
  co.saved_name AS savedName, co.profile_name AS profileName,
  co.phone, co.username, co.wa_id AS waId, co.blocked`;
const factJoins = `
  JOIN conversations c ON c.id = m.conversation_id
  JOIN contacts co ON co.id = c.contact_id`;

type RawFacts = Omit<InboundFacts, 'blocked'> & { blocked: number };
const toFacts = (row: RawFacts): InboundFacts => ({ ...row, blocked: row.blocked === 1 });

export function createAutomationStore(db: Database.Database): AutomationStore {
  const versions = db.prepare<[], { id: number; effectiveFrom: number; timezone: string; schedule: string }>(
    'SELECT id, effective_from AS effectiveFrom, timezone, schedule_json AS schedule FROM business_hours_versions ORDER BY effective_from',
  );
  const lastVersionStart = db.prepare<[], number | null>('SELECT max(effective_from) FROM business_hours_versions').pluck();
  const insertVersion = db.prepare<[number, string, string, number]>(
    'INSERT INTO business_hours_versions(effective_from, timezone, schedule_json, created_at) VALUES (?, ?, ?, ?)',
  );
  const after = db.prepare<[number, number], RawFacts>(`
    SELECT ${factColumns} FROM messages m ${factJoins}
    WHERE m.id > ? AND m.direction = 'in' AND m.is_group = 0 ORDER BY m.id LIMIT ?`);
  const between = db.prepare<[number, number], RawFacts>(`
    SELECT ${factColumns} FROM messages m ${factJoins}
    WHERE m.timestamp >= ? AND m.timestamp <= ? AND m.direction = 'in' AND m.is_group = 0 ORDER BY m.timestamp, m.id`);
  const one = db.prepare<[number], RawFacts>(`SELECT ${factColumns} FROM messages m ${factJoins} WHERE m.id = ? AND m.direction = 'in' AND m.is_group = 0`);
  const lastId = db.prepare<[], number | null>('SELECT max(id) FROM messages').pluck();
  const otherWithin = db.prepare<[number, number, number, number], number>(`
    SELECT 1 FROM messages WHERE conversation_id = ? AND timestamp BETWEEN ? AND ? AND id <> ? LIMIT 1`).pluck();
  const otherInbound = db.prepare<[number, number], number>(`SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'in' AND id <> ? LIMIT 1`).pluck();
  const staffWithin = db.prepare<[number, number, number], number>(`
    SELECT 1 FROM messages WHERE conversation_id = ? AND timestamp BETWEEN ? AND ? AND direction = 'out' AND automatic IS NULL LIMIT 1`).pluck();
  const labels = db.prepare<[number], number>('SELECT label_id FROM conversation_labels WHERE conversation_id = ?').pluck();
  const greeted = db.prepare<[number, number], number>(`SELECT 1 FROM auto_reply_log WHERE contact_id = ? AND kind = 'greeting' AND created_at >= ? LIMIT 1`).pluck();
  const awaySent = db.prepare<[number, string], number>(`SELECT 1 FROM auto_reply_log WHERE contact_id = ? AND period_key = ? AND kind = 'away'`).pluck();
  // Both unique keys (one reply of a kind per inbound message, one away message per contact per period) make
  // a repeated webhook or a second desk's attempt a no-op here.
  const insertLog = db.prepare<{ kind: string; contactId: number; inboundWamid: string; periodKey: string | null; at: number }>(`
    INSERT INTO auto_reply_log(kind, contact_id, inbound_wamid, period_key, created_at)
    VALUES (:kind, :contactId, :inboundWamid, :periodKey, :at) ON CONFLICT DO NOTHING`);
  const attach = db.prepare<[number, number]>('UPDATE auto_reply_log SET message_id = ? WHERE id = ?');
  const page = db.prepare<[number, number], LogRow>(`
    SELECT l.id, l.kind, l.created_at AS at, l.contact_id AS contactId, co.saved_name AS savedName, co.profile_name AS profileName,
      co.phone, co.username, l.period_key AS periodKey, l.message_id AS messageId, m.text, m.status, m.conversation_id AS conversationId,
      i.id AS inboundMessageId, coalesce(i.text, i.caption) AS inboundText
    FROM auto_reply_log l
    JOIN contacts co ON co.id = l.contact_id
    LEFT JOIN messages m ON m.id = l.message_id
    LEFT JOIN messages i ON i.wamid = l.inbound_wamid
    WHERE l.id < ? ORDER BY l.id DESC LIMIT ?`);

  return {
    hoursVersions: () =>
      versions.all().map((row) => ({
        id: row.id,
        effectiveFrom: row.effectiveFrom,
        hours: businessHoursSchema.parse({ ...(JSON.parse(row.schedule) as object), timezone: row.timezone }),
      })),
    addHoursVersion(hours, at) {
      const from = Math.max(at, (lastVersionStart.get() ?? Number.NEGATIVE_INFINITY) + 1);
      const { timezone, ...schedule } = hours;
      const { lastInsertRowid } = insertVersion.run(from, timezone, JSON.stringify(schedule), at);
      return { id: Number(lastInsertRowid), effectiveFrom: from, hours };
    },
    inboundAfter: (afterId, limit) => after.all(afterId, limit).map(toFacts),
    inboundBetween: (from, to) => between.all(from, to).map(toFacts),
    inboundFacts(messageId) {
      const row = one.get(messageId);
      return row ? toFacts(row) : undefined;
    },
    lastMessageId: () => lastId.get() ?? 0,
    otherMessageWithin: (conversationId, messageId, from, to) => otherWithin.get(conversationId, from, to, messageId) !== undefined,
    otherInboundExists: (conversationId, messageId) => otherInbound.get(conversationId, messageId) !== undefined,
    staffMessageWithin: (conversationId, from, to) => staffWithin.get(conversationId, from, to) !== undefined,
    labelIds: (conversationId) => labels.all(conversationId),
    greetedSince: (contactId, since) => greeted.get(contactId, since) !== undefined,
    awaySentIn: (contactId, periodKey) => awaySent.get(contactId, periodKey) !== undefined,
    logReply(entry) {
      const result = insertLog.run(entry);
      return result.changes === 0 ? null : Number(result.lastInsertRowid);
    },
    attachMessage: (logId, messageId) => void attach.run(messageId, logId),
    logPage: (before, limit) => page.all(before ?? Number.MAX_SAFE_INTEGER, limit),
  };
}

const cache = new WeakMap<Database.Database, AutomationStore>();

/** Statements prepared once per open archive. */
export function automationStore(db: Database.Database): AutomationStore {
  let store = cache.get(db);
  if (!store) {
    store = createAutomationStore(db);
    cache.set(db, store);
  }
  return store;
}
