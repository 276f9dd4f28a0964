/**
 * Statistics (issue 8, PRODUCT §10) at scale: every figure (counts, rates, failures by code, response times
 * with the business-hours variant, per day, hour-of-week, busiest hours, per label, per staff) for a 90-day
 * range of an encrypted archive holding 1,000,000 messages spread over 120 days and 3,000 conversations.
 * Target ≤ 200 ms. Baseline: a plain `SELECT count(*)` of the messages in the same range (messages_by_time).
 *
 * Messages are written straight into the tables with one prepared statement in one transaction (the
 * statistics read only stored rows and the aggregates the triggers of migration 0006 keep; the ingest path has
 * its own benchmarks). The first statistics after that build every conversation's episodes, as after the
 * upgrade to migration 0006: timed once and printed. Then: all figures with nothing new; with one label; and
 * with 20 new messages in 20 conversations since the last view (their episodes rebuilt first).
 * BENCH_STATS_MESSAGES overrides the size.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openArchive } from '../../../electron/core/archive/connection';
import { createAutomationStore } from '../../../electron/core/automation/repositories/automation-store';
import { createStats } from '../../../electron/core/stats/metrics';
import { createStatsRepository } from '../../../electron/core/stats/stats-repository';
import { measure, row } from '../harness';
import type { Suite } from '../harness';

const suiteName = 'stats';
const dayMs = 86_400_000;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


/** Writes `total` messages over 120 days and 3,000 conversations, 6 labels, 3 staff, two hours versions. */
export function fillStatsArchive(db: Database.Database, total: number) {
  const conversations = 3000;
  const days = 120;
  const start = Date.UTC(2026, 0, 5);
  const rnd = random(8);
  db.transaction(() => {
    const contact = db.prepare('INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (?, ?, 0, 0)');
    const conversation = db.prepare('INSERT INTO conversations(id, contact_id, unread_count, last_activity_at, created_at) VALUES (?, ?, ?, 0, 0)');
    for (let c = 1; c <= conversations; c++) {
      contact.run(c, `852${String(c).padStart(8, '0')}`);
      conversation.run(c, c, c % 7 === 0 ? 1 : 0);
    }
    for (let l = 1; l <= 6; l++) db.prepare('INSERT INTO labels(id, name, name_key, colour, position, created_at) VALUES (?, ?, ?, ?, ?, 0)').run(l, `Label ${l}`, `label ${l}`, l, l);
    const assign = db.prepare('INSERT INTO conversation_labels(conversation_id, label_id, assigned_at) VALUES (?, ?, 0)');
    for (let c = 1; c <= conversations; c++) if (c % 3 !== 0) assign.run(c, 1 + (c % 6));
    for (const [id, name] of [['s-ann', 'Ann'], ['s-bob', 'Bob'], ['s-cy', 'Cy']]) db.prepare('INSERT INTO staff(id, name, created_at, updated_at) VALUES (?, ?, 0, 0)').run(id, name);
    const insert = db.prepare(`INSERT INTO messages(conversation_id, direction, type, status, status_at, error_code, sender_staff_id, automatic, timestamp, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Each conversation alternates bursts of customer messages and answers (sometimes automatic first).
    const staff = ['s-ann', 's-bob', 's-cy'];
    const statuses = ['read', 'read', 'read', 'delivered', 'delivered', 'sent', 'played', 'failed'];
    const step = (days * dayMs) / total;
    const inbound = new Uint8Array(conversations + 1);
    for (let i = 0; i < total; i++) {
      const c = 1 + Math.floor(rnd() * conversations);
      const ts = Math.floor(start + i * step);
      const r = rnd();
      const out = inbound[c]! > 0 ? r < 0.55 : r < 0.2;
      if (!out) {
        inbound[c] = Math.min(255, inbound[c]! + 1);
        const type = r > 0.99 ? 'reaction' : r > 0.985 ? 'system' : 'text';
        insert.run(c, 'in', type, null, null, null, null, null, ts, ts);
      } else {
        inbound[c] = 0;
        const automatic = r < 0.05 ? 'greeting' : r < 0.08 ? 'away' : null;
        const status = statuses[Math.floor(rnd() * statuses.length)]!;
        insert.run(c, 'out', 'text', status, ts, status === 'failed' ? [131047, 131026, 130472][i % 3]! : null, automatic ? null : staff[i % 3]!, automatic, ts, ts);
      }
    }
  })();
  const automation = createAutomationStore(db);
  const week = { mode: 'open' as const, intervals: [{ start: '09:00', end: '18:00' }] };
  const closed = { mode: 'closed' as const };
  automation.addHoursVersion({ timezone: 'Europe/London', week: { mon: week, tue: week, wed: week, thu: week, fri: week, sat: closed, sun: closed }, exceptions: [] }, start);
  automation.addHoursVersion(
    { timezone: 'Europe/London', week: { mon: week, tue: week, wed: week, thu: week, fri: week, sat: { mode: 'open', intervals: [{ start: '10:00', end: '14:00' }] }, sun: closed }, exceptions: [] },
    start + 60 * dayMs,
  );
  return { start, automation };
}

export const stats: Suite = {
  name: suiteName,
  async run() {
    const total = Number(process.env.BENCH_STATS_MESSAGES ?? 1_000_000);
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-stats-'));
    const archive = openArchive({ path: join(dir, 'archive.db'), key: new Uint8Array(randomBytes(32)) });
    try {
      const db = archive.db;
      const filled = performance.now();
      const { start, automation } = fillStatsArchive(db, total);
      db.pragma('optimize');
      console.error(`  ${total} messages written in ${((performance.now() - filled) / 1000).toFixed(1)} s`);

      const service = createStats({ repo: createStatsRepository(db), hoursVersions: () => automation.hoursVersions(), fallbackTimezone: 'Europe/London' });
      const filter = { from: start + 15 * dayMs, to: start + 105 * dayMs };
      const built = performance.now();
      const first = service.compute(filter);
      console.error(`  first statistics (every episode built): ${(performance.now() - built).toFixed(0)} ms`);
      const count = db.prepare<[number, number], number>('SELECT count(*) FROM messages WHERE timestamp >= ? AND timestamp < ?').pluck();
      const inRange = count.get(filter.from, filter.to)!;
      const subject = await measure('all statistics, 90 days of 1M messages', () => service.compute(filter), { iterations: 15, warmup: 2 });
      const baseline = await measure('SELECT count(*) over the same 90 days', () => count.get(filter.from, filter.to), { iterations: 15, warmup: 2 });
      const labelled = await measure('all statistics, 90 days, one label', () => service.compute({ ...filter, labelId: 2 }), { iterations: 10, warmup: 1 });
      const insert = db.prepare("INSERT INTO messages(conversation_id, direction, type, timestamp, received_at) VALUES (?, 'in', 'text', ?, ?)");
      let round = 0;
      const fresh = await measure(
        'all statistics, 90 days, 20 new messages since',
        () => {
          round++;
          db.transaction(() => {
            for (let c = 1; c <= 20; c++) insert.run(c * 97 + round, start + 60 * dayMs + round * 1000 + c, 0);
          })();
          return service.compute(filter);
        },
        { iterations: 10, warmup: 1 },
      );
      return [
        row(suiteName, subject, baseline, {
          target: 'p50 ≤ 200 ms',
          note: `${inRange} messages in range; ${first.counts.sent} sent, ${first.counts.received} received, ${first.responses.episodes} episodes`,
        }),
        row(suiteName, labelled, baseline, { target: 'p50 ≤ 200 ms', note: 'label filter (1 of 6 labels)' }),
        row(suiteName, fresh, baseline, { target: 'p50 ≤ 200 ms', note: 'includes storing the 20 messages and rebuilding their 20 conversations' }),
      ];
    } finally {
      archive.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
