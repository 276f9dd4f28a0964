/**
 * The privacy and transcript queries read through indexes (DESIGN: EXPLAIN QUERY PLAN checked in tests):
 * a transcript page, an export page, an erasure's lookups and deletes, a retention batch never scan a large
 * table. The few deliberate scans (raw webhook bodies searched for an identity, orphan statuses matched on
 * their raw event, the retention of raw bodies by arrival time) are named here.
 */
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { createPrivacyStore } from '../../../electron/core/privacy/repositories/privacy-store';
import { createTranscriptStore } from '../../../electron/core/transcript/repositories/transcript-store';
import { createTestArchive } from '../../support/archive-helpers';

const bigTables = ['messages', 'media', 'contacts', 'conversations', 'status_events', 'reactions', 'webhook_inbox', 'outbox', 'message_labels', 'conversation_labels', 'auto_reply_log', 'contact_identity_history'];
const deliberate = [/instr\(body/, /json_extract\(raw_json/, /FROM webhook_inbox WHERE processed_at IS NOT NULL AND received_at/];
const jsonLists = new Set(['wamids', 'clientIds', 'identities', 'conversations', 'messages']);

it('reads and deletes through indexes, except the named deliberate scans', () => {
  const { archive } = createTestArchive();
  const sources: string[] = [];
  const original = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    sources.push(sql);
    return original.call(this, sql);
  } as typeof original;
  try {
    createPrivacyStore(archive.db);
    createTranscriptStore(archive.db);
  } finally {
    Database.prototype.prepare = original;
  }
  expect(sources.length).toBeGreaterThan(30);
  const problems: string[] = [];
  for (const source of sources) {
    const sql = source.trim();
    if (deliberate.some((d) => d.test(sql))) continue;
    const names = new Set([...sql.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!));
    const positional = (sql.match(/\?/g) ?? []).length;
    const args: unknown[] = names.size > 0 ? [Object.fromEntries([...names].map((n) => [n, jsonLists.has(n) ? '[1]' : 1]))] : Array(positional).fill('[1]');
    const plan = (archive.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail);
    for (const line of plan) {
      const scan = /^SCAN (\w+)/.exec(line);
      // A scan of a partial index reads only the rows it holds (statuses still waiting for their message).
      if (!scan || line.includes('VIRTUAL TABLE') || /USING (COVERING )?INDEX status_events_unapplied\b/.test(line)) continue;
      // Resolve an alias ("messages m") to its table.
      const alias = scan[1]!;
      const table = bigTables.includes(alias) ? alias : (new RegExp(`\\b(\\w+)\\s+(?:AS\\s+)?${alias}\\b`).exec(sql)?.[1] ?? alias);
      if (bigTables.includes(table)) problems.push(`${line}\n  in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  expect(problems).toEqual([]);
});
