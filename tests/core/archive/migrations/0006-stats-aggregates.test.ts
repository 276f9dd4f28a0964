import { describe, expect, it } from 'vitest';
import { readSchemaVersion } from '../../../../electron/core/archive/migrations';
import { createStats } from '../../../../electron/core/stats/metrics';
import { createStatsRepository } from '../../../../electron/core/stats/stats-repository';
import { createDB, updateToVersion } from '../../../support/archive-helpers';

describe('migration 0006 (statistics aggregates)', () => {
  it('counts the messages already stored, under their labels, and builds their episodes at the first read', () => {
    const { db } = createDB();
    updateToVersion(db, 5);
    // One conversation labelled VIP: in at 09:00, automatic greeting, ann answers at 09:20 (delivered), a
    // reaction, a system event; 900,000 ms = one quarter hour.
    db.exec(`INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '85291234567', 0, 0);
             INSERT INTO conversations(id, contact_id, last_activity_at, created_at) VALUES (1, 1, 10, 0);
             INSERT INTO labels(id, name, name_key, colour, position, created_at) VALUES (7, 'VIP', 'vip', 1, 1, 0);
             INSERT INTO conversation_labels(conversation_id, label_id, assigned_at) VALUES (1, 7, 0);
             INSERT INTO messages(id, conversation_id, direction, type, status, sender_staff_id, automatic, timestamp, received_at) VALUES
               (1, 1, 'in', 'text', NULL, NULL, NULL, 32400000, 0),
               (2, 1, 'out', 'text', 'read', NULL, 'greeting', 32430000, 0),
               (3, 1, 'out', 'text', 'delivered', 'ann', NULL, 33600000, 0),
               (4, 1, 'in', 'reaction', NULL, NULL, NULL, 33700000, 0),
               (5, 1, 'in', 'system', NULL, NULL, NULL, 33800000, 0);`);
    updateToVersion(db, 6);
    expect(readSchemaVersion(db)).toBe(6);

    // Slot 36 (09:00–09:15): message 1 in, greeting 2 out and read; slot 37 (09:15–09:30): ann's 3, delivered.
    const rows = db.prepare('SELECT label_id, slot, staff_key, sent, delivered, read, failed, received FROM stats_counts ORDER BY label_id, slot, staff_key').raw().all();
    expect(rows).toEqual([
      [0, 36, '', 1, 1, 1, 0, 1],
      [0, 37, 'ann', 1, 1, 0, 0, 0],
      [7, 36, '', 1, 1, 1, 0, 1],
      [7, 37, 'ann', 1, 1, 0, 0, 0],
    ]);
    const stats = createStats({ repo: createStatsRepository(db), hoursVersions: () => [], fallbackTimezone: 'UTC' });
    const s = stats.compute({ from: 0, to: 86_400_000, labelId: 7 });
    expect(s.counts).toMatchObject({ sent: 2, delivered: 2, read: 1, received: 1 });
    // The greeting did not stop the clock: 09:00 → 09:20 = 20 minutes.
    expect(s.responses.firstResponse).toMatchObject({ count: 1, median: 20 * 60_000 });
    expect(db.prepare('SELECT count(*) FROM stats_dirty').pluck().get()).toBe(0);
  });
});
