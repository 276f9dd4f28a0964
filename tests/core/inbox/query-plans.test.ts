/**
 * The inbox's queries at scale (PRODUCT §2: 100,000 conversations scroll smoothly): every filter shape of
 * the list, its total, the unread summary and chat pages through EXPLAIN QUERY PLAN — on a realistically
 * shaped archive, before and after ANALYZE (SQLite's `optimize` at close may gather statistics), so the
 * plans hold whichever way the planner is informed. Never a full scan of messages; the list's page always
 * comes from an index, and in index order wherever the filter does not itself pick a small set.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { serviceWindowMs } from '../../../electron/core/cloud/inbound/window';
import { createChatPageRepository, newerSql, olderSql } from '../../../electron/core/inbox/repositories/chat-page';
import { countSql, createInboxListRepository, filterSql, pageSql, unreadSql } from '../../../electron/core/inbox/repositories/inbox-list';
import type { InboxListFilter } from '../../../electron/core/inbox/repositories/inbox-list';
import { createTestArchive } from '../../support/archive-helpers';

const conversations = 4000;
const minute = 60_000;
const now = conversations * minute;

function seededArchive() {
  const { archive } = createTestArchive();
  // One conversation a minute; 1 in 10 waits for an answer, 1 in 20 is unread, 1 in 50 archived; ten messages each.
  archive.db.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${conversations})
    INSERT INTO contacts(id, wa_id, phone, profile_name, created_at, updated_at) SELECT i, '44791' || i, '44791' || i, 'Name ' || i, 0, 0 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${conversations})
    INSERT INTO conversations(id, contact_id, last_activity_at, last_inbound_at, last_staff_at, unread_count, archived, created_at)
    SELECT i, i, i * ${minute}, i * ${minute} - 1000, CASE WHEN i % 10 = 0 THEN NULL ELSE i * ${minute} END, i % 20 = 0, i % 50 = 0, 0 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${conversations * 10})
    INSERT INTO messages(id, wamid, conversation_id, direction, type, text, reply_to_wamid, timestamp, received_at)
    SELECT i, 'wamid.' || i, 1 + i % ${conversations}, 'in', 'text', 'hello ' || i, CASE WHEN i % 7 = 0 THEN 'wamid.' || (i - 1) END, i * 6000, 0 FROM n;
    INSERT INTO messages_fts(rowid, body) SELECT id, text FROM messages;
    INSERT INTO contacts_fts(rowid, names, notes) SELECT id, profile_name || ' ' || phone, '' FROM contacts;
    INSERT INTO labels(id, name, name_key, colour, position, created_at) VALUES (1, 'A', 'a', 1, 0, 0), (2, 'B', 'b', 2, 1, 0);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${conversations})
    INSERT INTO conversation_labels(conversation_id, label_id, assigned_at) SELECT i, 1 + i % 2, 0 FROM n WHERE i % 5 = 0;
  `);
  return archive;
}

const shapes: Array<{ name: string; filter: Omit<InboxListFilter, 'archived'>; ordered: boolean }> = [
  { name: 'everything', filter: {}, ordered: true },
  { name: 'unread', filter: { unread: true }, ordered: true },
  { name: 'labels (any)', filter: { labelIds: [1, 2] }, ordered: true },
  { name: 'labels (all)', filter: { labelIds: [1, 2], labelMode: 'all' }, ordered: true },
  { name: 'unread with a label', filter: { unread: true, labelIds: [1] }, ordered: true },
  { name: 'needs reply', filter: { needsReply: true }, ordered: true },
  { name: 'window closed', filter: { window: 'closed' }, ordered: false },
  // These pick a small set first (the last 24 hours, a date range, search matches) and sort only it.
  { name: 'window open', filter: { window: 'open' }, ordered: false },
  { name: 'date range', filter: { from: now - 60 * minute, to: now }, ordered: false },
  { name: 'search', filter: { search: { contacts: '"name" *', messages: '"hello" *' } }, ordered: false },
  { name: 'search in a label, unread', filter: { unread: true, labelIds: [2], search: { contacts: null, messages: '"hello"' } }, ordered: false },
];

function planOf(archive: ReturnType<typeof seededArchive>, sql: string, params: Record<string, unknown>): string[] {
  const used = Object.fromEntries(Object.entries(params).filter(([key]) => new RegExp(`:${key}\\b`).test(sql)));
  return (archive.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(used) as Array<{ detail: string }>).map((row) => row.detail);
}

const messageScan = /^SCAN (messages|m|lm|q)\b(?! VIRTUAL)/;
const tableScan = /^SCAN (conversations|cv)$/;

describe('query plans of the inbox', () => {
  for (const analyzed of [false, true]) {
    it(`keep every list filter off a scan of messages, and the page on an index${analyzed ? ' (after ANALYZE)' : ''}`, () => {
      const archive = seededArchive();
      if (analyzed) archive.db.exec('ANALYZE');
      const problems: string[] = [];
      for (const shape of shapes) {
        for (const archivedToo of [false, true]) {
          const { where, params } = filterSql({ archived: archivedToo, ...shape.filter });
          const all = { ...params, windowStart: now - serviceWindowMs, limit: 50, offset: 1000 };
          const page = planOf(archive, pageSql(where), all);
          const count = planOf(archive, countSql(where), all);
          for (const line of [...page, ...count]) if (messageScan.test(line)) problems.push(`${shape.name}: ${line}`);
          for (const line of page) if (tableScan.test(line)) problems.push(`${shape.name} (page): ${line}`);
          if (shape.ordered && page.some((line) => line.includes('TEMP B-TREE'))) problems.push(`${shape.name} (page) sorts: ${page.join(' / ')}`);
          // Counting closed windows reads nearly every conversation: a scan is the cheapest way there.
          if (shape.name !== 'window closed') for (const line of count) if (tableScan.test(line)) problems.push(`${shape.name} (count): ${line}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it(`read chat pages and the unread summary through their indexes${analyzed ? ' (after ANALYZE)' : ''}`, () => {
      const archive = seededArchive();
      if (analyzed) archive.db.exec('ANALYZE');
      for (const sql of [olderSql, newerSql]) {
        const plan = planOf(archive, sql, { cid: 7, ts: now, id: 10, limit: 51 });
        expect(plan[0]).toMatch(/^SEARCH m USING INDEX messages_by_conversation \(conversation_id=\? AND timestamp[<>]\?\)$/);
        expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|^SCAN/m);
      }
      const unread = planOf(
        archive,
        unreadSql,
        { now },
      );
      expect(unread).toEqual(['SEARCH cv USING INDEX conversations_unread (archived=?)']);
    });
  }

  it('prepare no statement that scans messages or conversations (rows by id, reactions, labels, cursors)', () => {
    const archive = seededArchive();
    archive.db.exec('ANALYZE');
    const sources: string[] = [];
    const original = Database.prototype.prepare;
    Database.prototype.prepare = function (this: Database.Database, source: string) {
      sources.push(source);
      return original.call(this, source);
    } as typeof original;
    try {
      createInboxListRepository(archive.db);
      createChatPageRepository(archive.db);
    } finally {
      Database.prototype.prepare = original;
    }
    expect(sources.length).toBeGreaterThan(8);
    const problems: string[] = [];
    for (const sql of sources) {
      const names = [...sql.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n) => [n, ['ids', 'wamids'].includes(n) ? '[1, 2]' : 1]));
      const positional = (sql.match(/\?/g) ?? []).length;
      const statement = archive.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const plan = (names.length > 0 ? statement.all(params) : statement.all(...Array(positional).fill(1))) as Array<{ detail: string }>;
      for (const { detail } of plan) if (messageScan.test(detail) || tableScan.test(detail) || /^SCAN (reactions|conversation_labels|message_labels|cl|ml)\b/.test(detail)) problems.push(`${detail}\n    in: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
  });
});
