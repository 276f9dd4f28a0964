/**
 * Helpers for the inbound processor and webhook schema tests: Meta's real payloads read from
 * ../shared/cloud-api/fixtures (never copied into the repo), a processor on a real archive in a temp dir,
 * and a canonical dump of what the processor writes, for comparing archives built in different orders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { createVirtualClock } from '../../../electron/core/clock';
import { createInboundProcessor } from '../../../electron/core/cloud/inbound-processor';
import type { InboundEvent, InboundEventName, InboundEventPayloads, InboundProcessorOptions, MediaJob } from '../../../electron/core/cloud/inbound-processor';
import { createLogger } from '../../../electron/core/logger';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { createTestArchive } from '../../support/archive-helpers';

/**
 * The repository root is three folders up from this file; the fixtures sit beside the repository.
 * FRONTDESK_FIXTURES_DIR points elsewhere (a missing folder shows how the suites behave without them).
 */
export const fixturesDir = process.env.FRONTDESK_FIXTURES_DIR ?? join(import.meta.dirname, '../../..', '../shared/cloud-api/fixtures');

/** The inbound fixtures: every `webhook-*.json` and `status-*.json`, sorted; empty when the folder is absent. */
export function inboundFixtureNames(): string[] {
  if (!existsSync(fixturesDir)) return [];
  return readdirSync(fixturesDir)
    .filter((n) => /^(webhook|status)-.*\.json$/.test(n))
    .sort();
}

export const fixturesPresent = inboundFixtureNames().length > 0;

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}

/** Fixtures are edited as plain JSON in tests (ids, times, values changed; never shapes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

/** A fresh parsed copy of a fixture, to derive variants (other ids, times or values; never other shapes). */
export function fixture(name: string): Json {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as Json;
}

/** The first change's value of a fixture (every inbound fixture has exactly one). */
export function valueOf(body: Json): Json {
  return body.entry[0].changes[0].value;
}

/** The first message (or status) of a fixture's value. */
export const firstMessage = (body: Json): Json => valueOf(body).messages[0];
export const firstStatus = (body: Json): Json => valueOf(body).statuses[0];

export const asBody = (body: unknown) => JSON.stringify(body);

/**
 * A describe whose tests need the fixtures. Without the folder it says so, in the log and as one passing
 * test, rather than skipping or failing.
 */
export function describeWithFixtures(title: string, fn: () => void): void {
  if (fixturesPresent) {
    describe(title, fn);
    return;
  }
  describe(title, () => {
    console.warn(`${title}: Meta's fixtures are absent (${fixturesDir}); these tests need them.`);
    it(`has nothing to check: the fixtures folder ${fixturesDir} is absent`, () => {});
  });
}

export function createHarness(options: Partial<Pick<InboundProcessorOptions, 'phoneNumberId' | 'inbox'>> & { archive?: Archive } = {}) {
  const archive = options.archive ?? createTestArchive().archive;
  const clock = createVirtualClock(Date.UTC(2026, 5, 20, 12, 0, 0));
  const memory = createMemoryLogger();
  const events: InboundEvent[] = [];
  const media: MediaJob[] = [];
  const processor = createInboundProcessor({
    archive,
    clock,
    logger: createLogger(memory),
    events: (e) => void events.push(e),
    onMedia: (job) => void media.push(job),
    ...(options.phoneNumberId ? { phoneNumberId: options.phoneNumberId } : {}),
    ...(options.inbox ? { inbox: options.inbox } : {}),
  });
  /** Processes one body (string, bytes or object) and fails the test on a refused one. */
  const process = (body: unknown, receivedAt = clock.now()) => {
    const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const result = processor.processBody(raw, receivedAt);
    if (!result.ok) throw new Error(`processBody refused the body: ${result.error.code}: ${result.error.message}`);
    return result.counts;
  };
  const eventsNamed = <N extends InboundEventName>(name: N): Array<InboundEventPayloads[N]> =>
    events.filter((e) => e.name === name).map((e) => e.payload as InboundEventPayloads[N]);
  return { archive, clock, processor, events, eventsNamed, media, logs: memory.entries, process };
}

// ---------------------------------------------------------------------------------------------------------
// Reading what the processor wrote

type Row = Record<string, unknown>;

export function rows(archive: Archive, sql: string, ...params: unknown[]): Row[] {
  return archive.db.prepare(sql).all(...params) as Row[];
}

export function messageByWamid(archive: Archive, wamid: string) {
  return archive.messages.getByWamid(wamid);
}

export const countOf = (archive: Archive, table: string) => (archive.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);

/** Status events (and edits, revokes) still waiting for their message. */
export const unappliedEvents = (archive: Archive) => archive.db.prepare('SELECT count(*) FROM status_events WHERE applied = 0').pluck().get() as number;

/**
 * Everything the processor writes, with autoincrement ids replaced by natural keys (a contact by its
 * identities, a conversation by its contact or group, a message by its wamid) and arrival bookkeeping left
 * out (created_at, updated_at, received_at, the identity-change log): two archives built from the same
 * events in different orders must dump equal.
 */
export function canonicalDump(archive: Archive) {
  const q = (sql: string) => rows(archive, sql);
  const contactKey = `coalesce(c.user_id, '') || '|' || coalesce(c.wa_id, '') || '|' || coalesce(c.phone, '')`;
  return {
    contacts: q(`
      SELECT user_id, parent_user_id, wa_id, phone, username, profile_name, saved_name, notes, blocked, marketing_opt_out,
        marketing_opt_out_at
      FROM contacts c ORDER BY ${contactKey}`),
    conversations: q(`
      SELECT (SELECT ${contactKey} FROM contacts c WHERE c.id = cv.contact_id) AS contact, cv.group_id, cv.archived, cv.unread_count,
        cv.last_activity_at, cv.last_inbound_at, cv.last_staff_at, (SELECT wamid FROM messages WHERE id = cv.last_message_id) AS last_message
      FROM conversations cv ORDER BY contact, cv.group_id`),
    messages: q(`
      SELECT m.wamid, m.client_id, m.direction, m.type, m.text, m.caption, m.payload_json, m.reply_to_wamid, m.status, m.status_at,
        m.error_code, m.error_title, m.timestamp, m.read_at, m.edited_at, m.revoked_at, m.is_group, m.group_id,
        (SELECT ${contactKey} FROM contacts c WHERE c.id = m.author_contact_id) AS author,
        (SELECT coalesce((SELECT ${contactKey} FROM contacts c WHERE c.id = cv.contact_id), cv.group_id) FROM conversations cv WHERE cv.id = m.conversation_id) AS conversation,
        md.state AS media_state, md.meta_media_id, md.mime, md.sha256, md.file_name
      FROM messages m LEFT JOIN media md ON md.id = m.media_id ORDER BY m.wamid`),
    media: q('SELECT state, mime, sha256, meta_media_id, file_name, content_hash FROM media ORDER BY meta_media_id, sha256, file_name'),
    statusEvents: q(`
      SELECT wamid, status, timestamp, client_id, error_code, error_title, raw_json, applied FROM status_events
      ORDER BY wamid, status, timestamp`),
    reactions: q(`
      SELECT r.message_wamid, (SELECT ${contactKey} FROM contacts c WHERE c.id = r.reactor_contact_id) AS reactor, r.emoji, r.timestamp, r.wamid
      FROM reactions r ORDER BY r.message_wamid, reactor`),
    templates: q(`
      SELECT meta_id, name, language, category, sub_category, status, quality, rejection_reason, parameter_format, components_json
      FROM templates ORDER BY meta_id`),
    settings: q("SELECT key, value_json FROM settings WHERE key <> 'archive.tombstoneSalt' ORDER BY key"),
    search: q('SELECT rowid AS id FROM messages_fts ORDER BY rowid').length,
  };
}

/** A seeded Fisher–Yates shuffle: the same seed gives the same order on every run. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
