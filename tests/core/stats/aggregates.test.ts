/**
 * The statistics read aggregates kept by triggers (migration 0006) and episodes rebuilt for the conversations
 * whose turns changed. Whatever happens to the archive — messages stored in any order, statuses arriving late,
 * labels assigned before or after the messages, renamed or deleted, messages and conversations deleted — the
 * aggregates must equal a recount from the messages themselves, and the episodes a rebuild from scratch.
 */
import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { createStats } from '../../../electron/core/stats/metrics';
import { createStatsRepository, slotMs } from '../../../electron/core/stats/stats-repository';
import { createTestArchive } from '../../support/archive-helpers';

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

interface Row {
  conversation_id: number;
  direction: 'in' | 'out';
  type: string;
  status: string | null;
  sender_staff_id: string | null;
  timestamp: number;
}

/** The counts recounted from the messages in plain code, keyed label|slot|staff, zero rows left out. */
function recount(archive: Archive): Map<string, number[]> {
  const labelsOf = new Map<number, number[]>();
  for (const r of archive.db.prepare<[], { conversation_id: number; label_id: number }>('SELECT conversation_id, label_id FROM conversation_labels').all()) {
    labelsOf.set(r.conversation_id, [...(labelsOf.get(r.conversation_id) ?? []), r.label_id]);
  }
  const counts = new Map<string, number[]>();
  for (const m of archive.db.prepare<[], Row>('SELECT conversation_id, direction, type, status, sender_staff_id, timestamp FROM messages').all()) {
    const out = m.direction === 'out' && m.type !== 'reaction';
    const inbound = m.direction === 'in' && m.type !== 'reaction' && m.type !== 'system';
    if (!out && !inbound) continue;
    const values = [
      out ? 1 : 0,
      out && ['delivered', 'read', 'played'].includes(m.status!) ? 1 : 0,
      out && ['read', 'played'].includes(m.status!) ? 1 : 0,
      out && m.status === 'failed' ? 1 : 0,
      inbound ? 1 : 0,
    ];
    for (const label of [0, ...(labelsOf.get(m.conversation_id) ?? [])]) {
      const key = `${label}|${Math.floor(m.timestamp / slotMs)}|${out ? (m.sender_staff_id ?? '') : ''}`;
      const sum = counts.get(key) ?? [0, 0, 0, 0, 0];
      counts.set(key, sum.map((v, i) => v + values[i]!));
    }
  }
  return counts;
}

function aggregates(archive: Archive): Map<string, number[]> {
  const rows = archive.db
    .prepare<[], { label_id: number; slot: number; staff_key: string; sent: number; delivered: number; read: number; failed: number; received: number }>(
      'SELECT * FROM stats_counts WHERE sent <> 0 OR delivered <> 0 OR read <> 0 OR failed <> 0 OR received <> 0',
    )
    .all();
  return new Map(rows.map((r) => [`${r.label_id}|${r.slot}|${r.staff_key}`, [r.sent, r.delivered, r.read, r.failed, r.received]]));
}

const episodeRows = (archive: Archive) => archive.db.prepare('SELECT * FROM stats_episodes ORDER BY conversation_id, start_at, start_message_id').all();
const episodeBlocks = (archive: Archive) => archive.db.prepare('SELECT day, hex(data) AS data FROM stats_episode_blocks ORDER BY day').all();

describe('statistics aggregates', () => {
  it('stay equal to a recount from the messages through every kind of change', () => {
    const { archive } = createTestArchive();
    const rnd = random(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const stats = createStats({ repo: createStatsRepository(archive.db), hoursVersions: () => [], fallbackTimezone: 'Asia/Kolkata' });
    const conversations: number[] = [];
    for (let c = 0; c < 8; c++) {
      const contact = archive.contacts.upsertByIdentity({ waId: `9198765432${c}0`, phone: null, profileName: `C${c}` });
      conversations.push(archive.conversations.getOrCreateForContact(contact.id).conversation.id);
    }
    const labels = [archive.labels.create({ name: 'VIP', colour: 1 }).id, archive.labels.create({ name: 'Orders', colour: 2 }).id];
    archive.labels.assignToConversations(labels[0]!, [conversations[0]!, conversations[1]!]);
    const base = Date.UTC(2026, 5, 1, 3, 30);
    const messages: number[] = [];
    let seq = 0;
    const check = (step: string) => {
      expect(aggregates(archive), step).toEqual(recount(archive));
      // Incremental episodes, and their packed day blocks, equal a rebuild of everything from scratch.
      stats.compute({ from: base - 4 * 3_600_000 * 24, to: base + 4 * 3_600_000 * 24 });
      const incremental = { rows: episodeRows(archive), blocks: episodeBlocks(archive) };
      archive.db.exec('DELETE FROM stats_episodes; DELETE FROM stats_episode_blocks; INSERT INTO stats_dirty(conversation_id) SELECT id FROM conversations');
      createStatsRepository(archive.db).refreshEpisodes();
      expect({ rows: episodeRows(archive), blocks: episodeBlocks(archive) }, step).toEqual(incremental);
    };

    for (let round = 0; round < 6; round++) {
      // Messages in random order of time (out of order, as webhooks and backfills arrive), some of every kind.
      for (let i = 0; i < 40; i++) {
        const direction = rnd() < 0.5 ? 'in' : 'out';
        const type = pick(['text', 'text', 'text', 'image', 'reaction', 'system']);
        const timestamp = base + Math.floor((rnd() - 0.5) * 3 * 86_400_000);
        const { id } = archive.messages.insert({
          conversationId: pick(conversations),
          wamid: `wamid.${seq++}`,
          direction,
          type: direction === 'out' && type === 'system' ? 'text' : type,
          text: 'x',
          timestamp,
          ...(direction === 'out' ? { status: 'sent' as const, statusAt: timestamp, senderStaffId: pick(['ann', 'bob', null]), automatic: pick([null, null, 'away' as const]) } : {}),
        });
        messages.push(id);
      }
      // Statuses, some late or out of order, some failures.
      for (let i = 0; i < 30; i++) {
        const status = pick(['delivered', 'read', 'sent', 'played', 'failed'] as const);
        archive.statusEvents.applyDeliveryStatus(pick(messages), { status, at: base, errorCode: status === 'failed' ? 131047 : null, errorTitle: null });
      }
      check(`round ${round}: messages and statuses`);
      // Labels assigned after the messages, taken off, a label deleted with its assignments.
      archive.labels.assignToConversations(pick(labels), [pick(conversations), pick(conversations)]);
      archive.labels.unassignFromConversations(labels[0]!, [pick(conversations)]);
      check(`round ${round}: labels`);
      // Messages deleted, re-timed, and an automatic reply turned into a staff one.
      archive.messages.delete([pick(messages), pick(messages)]);
      archive.db.prepare('UPDATE messages SET timestamp = timestamp + 3600000 WHERE id = ?').run(pick(messages));
      archive.db.prepare("UPDATE messages SET automatic = NULL, sender_staff_id = 'cy' WHERE id = ? AND direction = 'out'").run(pick(messages));
      check(`round ${round}: deletes and edits`);
    }
    const third = archive.labels.create({ name: 'Later', colour: 3 }).id;
    archive.labels.assignToConversations(third, conversations);
    archive.labels.delete(third);
    check('label deleted');
    archive.db.prepare('DELETE FROM conversations WHERE id = ?').run(conversations[2]!);
    check('conversation deleted');
    expect(recount(archive).size).toBeGreaterThan(20);
  });

  it('counts a half-hour timezone into its own local hours (Asia/Kolkata, UTC+05:30)', () => {
    const { archive } = createTestArchive();
    const contact = archive.contacts.upsertByIdentity({ waId: '919876543210', phone: null, profileName: 'Asha' });
    const conversationId = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
    const stats = createStats({ repo: createStatsRepository(archive.db), hoursVersions: () => [], fallbackTimezone: 'Asia/Kolkata' });
    // Mon 2026-06-01 at local 09:29 (03:59Z) and 09:31 (04:01Z) fall in different UTC hours but the same local
    // hour 09; local 10:05 (04:35Z) is hour 10.
    for (const [i, at] of ['2026-06-01T03:59:00Z', '2026-06-01T04:01:00Z', '2026-06-01T04:35:00Z'].entries()) {
      archive.messages.insert({ conversationId, wamid: `wamid.k${i}`, direction: 'in', type: 'text', text: 'x', timestamp: Date.parse(at) });
    }
    // The local day Mon 2026-06-01 = [05-31T18:30Z, 06-01T18:30Z).
    const s = stats.compute({ from: Date.parse('2026-05-31T18:30:00Z'), to: Date.parse('2026-06-01T18:30:00Z') });
    expect(s.perDay).toEqual([{ date: '2026-06-01', sent: 0, received: 3 }]);
    expect(s.hourOfWeek[9]).toBe(2);
    expect(s.hourOfWeek[10]).toBe(1);
    expect(s.busiestHours.map((h) => [h.weekday, h.hour, h.volume])).toEqual([
      [0, 9, 2],
      [0, 10, 1],
    ]);
  });

  it('refuses a range that does not start and end on a quarter hour', () => {
    const { archive } = createTestArchive();
    const stats = createStats({ repo: createStatsRepository(archive.db), hoursVersions: () => [], fallbackTimezone: 'UTC' });
    expect(() => stats.compute({ from: Date.UTC(2026, 0, 1, 0, 10), to: Date.UTC(2026, 0, 2) })).toThrow(/quarter hour/);
  });
});
