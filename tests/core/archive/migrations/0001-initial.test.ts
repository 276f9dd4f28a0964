import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSchemaVersion } from '../../../../electron/core/archive/migrations';
import { createDB, createTestArchive, schemaOf, updateToVersion } from '../../../support/archive-helpers';

function migrated() {
  const { db } = createDB();
  updateToVersion(db, 1);
  return db;
}

const bigTables = ['messages', 'conversations', 'contacts', 'status_events', 'outbox', 'webhook_inbox', 'reactions', 'media', 'audit_log'];

describe('migration 0001 (initial schema)', () => {
  it('creates every table of the product', () => {
    const db = migrated();
    expect(readSchemaVersion(db)).toBe(1);
    const tables = schemaOf(db).filter((o) => o.type === 'table' && !o.name.includes('_fts_')).map((o) => o.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'workspace', 'staff', 'contacts', 'contact_identity_history', 'conversations', 'messages', 'status_events', 'reactions',
        'media', 'labels', 'conversation_labels', 'message_labels', 'quick_replies', 'templates', 'business_profile',
        'business_hours_versions', 'auto_reply_log', 'webhook_inbox', 'outbox', 'audit_log', 'tombstones', 'settings',
        'messages_fts', 'contacts_fts',
      ]),
    );
    expect(db.prepare("SELECT json_extract(value_json, '$') FROM settings WHERE key = 'archive.tombstoneSalt'").pluck().get()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('enforces its enums, identities and ranges with CHECK constraints', () => {
    const db = migrated();
    const fails = (sql: string) => expect(() => db.exec(sql)).toThrow(/constraint/i);
    fails("INSERT INTO contacts(created_at, updated_at) VALUES (0, 0)"); // no identity at all
    db.exec("INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '8613800000000', 0, 0)");
    fails("INSERT INTO contacts(wa_id, created_at, updated_at) VALUES ('8613800000000', 0, 0)"); // wa_id unique
    fails('INSERT INTO conversations(last_activity_at, created_at) VALUES (0, 0)'); // neither contact nor group
    db.exec('INSERT INTO conversations(id, contact_id, last_activity_at, created_at) VALUES (1, 1, 0, 0)');
    fails("INSERT INTO messages(conversation_id, direction, type, timestamp, received_at) VALUES (1, 'sideways', 'text', 0, 0)");
    fails("INSERT INTO messages(conversation_id, direction, type, status, timestamp, received_at) VALUES (1, 'in', 'text', 'read', 0, 0)");
    fails("INSERT INTO messages(conversation_id, direction, type, timestamp, received_at) VALUES (1, 'out', 'text', 0, 0)"); // outbound needs a status
    fails("INSERT INTO messages(conversation_id, direction, type, status, automatic, timestamp, received_at) VALUES (1, 'out', 'text', 'sent', 'birthday', 0, 0)");
    fails("INSERT INTO messages(conversation_id, direction, type, payload_json, timestamp, received_at) VALUES (1, 'in', 'text', '{not json', 0, 0)");
    db.exec("INSERT INTO messages(conversation_id, direction, type, timestamp, received_at) VALUES (1, 'in', 'some_future_type', 0, 0)");
    fails("INSERT INTO labels(name, name_key, colour, position, created_at) VALUES ('Paid', 'paid', 20, 0, 0)");
    fails("INSERT INTO labels(name, name_key, colour, position, created_at) VALUES ('  ', '', 1, 0, 0)");
    fails("INSERT INTO quick_replies(shortcut, text, position, created_at, updated_at) VALUES ('has space', 'x', 0, 0, 0)");
    fails(`INSERT INTO quick_replies(shortcut, text, position, created_at, updated_at) VALUES ('${'a'.repeat(26)}', 'x', 0, 0, 0)`);
    db.exec("INSERT INTO quick_replies(shortcut, text, position, created_at, updated_at) VALUES ('thanks-2_u', 'x', 0, 0, 0)");
    fails("INSERT INTO quick_replies(shortcut, text, position, created_at, updated_at) VALUES ('THANKS-2_U', 'y', 1, 0, 0)"); // unique, any case
    fails("INSERT INTO media(state, created_at, updated_at) VALUES ('stored', 0, 0)"); // stored needs its content hash
    fails("INSERT INTO media(state, content_hash, created_at, updated_at) VALUES ('stored', '../../etc/passwd', 0, 0)");
    fails("INSERT INTO outbox(client_id, conversation_id, request_json, state, created_at, updated_at) VALUES ('c1', 1, '{}', 'lost', 0, 0)");
    fails("INSERT INTO business_profile(id, updated_at) VALUES (2, 0)");
    fails("INSERT INTO workspace(id, kind, name, desk_id, created_at) VALUES ('w', 'trial', 'x', 'd', 0)");
    fails("INSERT INTO auto_reply_log(kind, contact_id, inbound_wamid, created_at) VALUES ('away', 1, 'wamid.1', 0)"); // away needs a period
  });

  it('lets an away message go once per contact and period, and each reply once per inbound message', () => {
    const db = migrated();
    db.exec("INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '1', 0, 0)");
    db.exec("INSERT INTO auto_reply_log(kind, contact_id, inbound_wamid, period_key, created_at) VALUES ('away', 1, 'wamid.a', '2026-W02', 0)");
    expect(() => db.exec("INSERT INTO auto_reply_log(kind, contact_id, inbound_wamid, period_key, created_at) VALUES ('away', 1, 'wamid.b', '2026-W02', 0)")).toThrow(/UNIQUE/);
    expect(() => db.exec("INSERT INTO auto_reply_log(kind, contact_id, inbound_wamid, created_at) VALUES ('greeting', 1, 'wamid.a', 0)")).not.toThrow();
    expect(() => db.exec("INSERT INTO auto_reply_log(kind, contact_id, inbound_wamid, created_at) VALUES ('greeting', 1, 'wamid.a', 0)")).toThrow(/UNIQUE/);
  });

  it('keeps the audit log append-only and status events idempotent', () => {
    const db = migrated();
    db.exec("INSERT INTO audit_log(at, action, prev_hash, hash) VALUES (0, 'unlock', '', 'h1')");
    expect(() => db.exec("UPDATE audit_log SET action = 'x'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_log')).toThrow(/append-only/);
    const insert = "INSERT INTO status_events(wamid, status, timestamp, raw_json, received_at) VALUES ('wamid.1', 'read', 5, '{}', 0) ON CONFLICT DO NOTHING";
    expect(db.prepare(insert).run().changes).toBe(1);
    expect(db.prepare(insert).run().changes).toBe(0);
  });

  it('keeps one reaction per reactor per message, the business included', () => {
    const db = migrated();
    db.exec("INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '1', 0, 0)");
    const react = db.prepare(`
      INSERT INTO reactions(message_wamid, reactor_contact_id, emoji, timestamp) VALUES (?, ?, ?, ?)
      ON CONFLICT (message_wamid, ifnull(reactor_contact_id, 0)) DO UPDATE SET emoji = excluded.emoji, timestamp = excluded.timestamp
      WHERE excluded.timestamp >= reactions.timestamp`);
    react.run('wamid.m', 1, '👍', 10);
    react.run('wamid.m', 1, '❤️', 20);
    react.run('wamid.m', 1, '😮', 15); // older event arriving late: ignored
    react.run('wamid.m', null, '🙏', 10);
    react.run('wamid.m', null, null, 30); // the business removed its reaction
    expect(db.prepare('SELECT reactor_contact_id AS who, emoji FROM reactions ORDER BY id').all()).toEqual([
      { who: 1, emoji: '❤️' },
      { who: null, emoji: null },
    ]);
  });

  it('removes search entries with their message, cascades included', () => {
    const db = migrated();
    db.exec("INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '1', 0, 0)");
    db.exec('INSERT INTO conversations(id, contact_id, last_activity_at, created_at) VALUES (1, 1, 0, 0)');
    db.exec("INSERT INTO messages(id, conversation_id, direction, type, text, timestamp, received_at) VALUES (7, 1, 'in', 'text', 'parcel', 0, 0)");
    db.exec("INSERT INTO messages_fts(rowid, body) VALUES (7, 'parcel')");
    db.exec("INSERT INTO contacts_fts(rowid, names, notes) VALUES (1, 'Ada', '')");
    expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'parcel'").pluck().get()).toBe(1);
    db.exec('DELETE FROM contacts WHERE id = 1'); // → conversation → message, by cascade
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'parcel'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'ada'").pluck().get()).toBe(0);
  });

  it('has an index behind every foreign key a delete must check', () => {
    const db = migrated();
    const missing: string[] = [];
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'").pluck().all();
    // business_profile has one row: nothing to index.
    for (const table of tables.filter((t) => t !== 'business_profile')) {
      const fks = db.prepare<[], { table: string; from: string }>(`PRAGMA foreign_key_list(${table})`).all();
      for (const fk of fks) {
        const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT 1 FROM ${table} WHERE ${fk.from} = 1`).all();
        if (!plan.some((p) => /USING (COVERING )?INDEX|PRIMARY KEY/.test(p.detail))) missing.push(`${table}.${fk.from}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/**
 * Every statement the repositories prepare, run through EXPLAIN QUERY PLAN: none may scan a large table or
 * sort a page in a temporary b-tree, so lists and search stay fast at a million messages.
 */
describe('query plans of the repositories', () => {
  const sources = new Set<string>();
  const original = Database.prototype.prepare;
  beforeEach(() => {
    sources.clear();
    Database.prototype.prepare = function (this: Database.Database, source: string) {
      sources.add(source);
      return original.call(this, source);
    } as typeof original;
  });
  afterEach(() => {
    Database.prototype.prepare = original;
  });

  it('use indexes for every query on a large table', () => {
    const { archive } = createTestArchive();
    // Exercise the dynamically built statements in all their shapes.
    const label = archive.labels.create({ name: 'VIP', colour: 3 });
    archive.conversations.page();
    archive.conversations.page({ unreadOnly: true, labelIds: [label.id], labelMode: 'all' });
    archive.conversations.page({ archived: true, labelIds: [label.id], labelMode: 'any' });
    archive.search.searchMessages({ text: 'order' });
    archive.search.searchMessages({ text: '订单', before: 100, labelId: label.id, from: 0, to: 10, direction: 'in', type: 'text', status: 'read', staffId: 's' });
    archive.search.searchMessages({ text: 'deliv', contactId: 1 });

    archive.audit.append('a', null);
    archive.audit.page();
    archive.audit.verify();

    // Deliberate whole-table passes: counting for a rebuild's progress, media garbage collection, verifying the audit chain.
    // The receiver counters count the whole inbox (a settings-page read, not a hot path); a scan of a partial index holds only the rows it names.
    const allowed = [/FROM audit_log ORDER BY seq$/, /^SELECT count\(\*\) AS received/, /^SELECT count\(\*\) FROM (messages|contacts)$/, /^SELECT DISTINCT content_hash FROM media/, /^\s*DELETE FROM media WHERE created_at/];
    const problems: string[] = [];
    for (const source of sources) {
      const sql = source.trim();
      if (!/^(SELECT|UPDATE|DELETE|INSERT)/i.test(sql) || allowed.some((a) => a.test(sql))) continue;
      const names = new Set([...sql.matchAll(/[:@$]([A-Za-z_]\w*)/g)].map((m) => m[1]!));
      const positional = (sql.match(/\?/g) ?? []).length;
      const statement = archive.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const args: unknown[] = names.size > 0 ? [Object.fromEntries([...names].map((n) => [n, n === 'match' ? 'x' : n === 'labels' ? '[1]' : 1]))] : Array(positional).fill(1);
      const plan = (statement.all(...args) as Array<{ detail: string }>).map((p) => p.detail);
      for (const line of plan) {
        const scan = /^SCAN (\w+)(?: AS \w+)?(?! VIRTUAL)/.exec(line);
        const table = scan?.[1];
        const partialIndex = /USING (COVERING )?INDEX webhook_inbox_(pending|failed|unverified)\b/.test(line);
        const realScan = table && bigTables.includes(table) && !line.includes('VIRTUAL TABLE') && !partialIndex;
        // A scan of the aliased table "cv", "m", "lm" etc. is reported by alias: resolve via the SQL.
        const aliasScan = /^SCAN (cv|c|m|lm|g)\b/.test(line) && !line.includes('VIRTUAL');
        // Labels are sorted in memory: a workspace has tens of them, not millions.
        const smallSort = /ORDER BY (l\.)?position/.test(sql);
        if (realScan || aliasScan || (/TEMP B-TREE FOR ORDER BY/.test(line) && !smallSort)) problems.push(`${line}\n    in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
    }
    expect(sources.size).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});
