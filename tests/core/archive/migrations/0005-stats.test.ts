import { describe, expect, it } from 'vitest';
import { readSchemaVersion } from '../../../../electron/core/archive/migrations';
import { createDB, updateToVersion } from '../../../support/archive-helpers';

describe('migration 0005 (statistics indexes)', () => {
  it('indexes existing messages so the statistics read a time range from covering partial indexes', () => {
    const { db } = createDB();
    updateToVersion(db, 4);
    db.exec(`INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '85291234567', 0, 0);
             INSERT INTO conversations(id, contact_id, last_activity_at, created_at) VALUES (1, 1, 10, 0);
             INSERT INTO messages(id, conversation_id, direction, type, status, sender_staff_id, automatic, timestamp, received_at) VALUES
               (1, 1, 'in', 'text', NULL, NULL, NULL, 100, 100),
               (2, 1, 'out', 'text', 'read', NULL, 'greeting', 110, 110),
               (3, 1, 'out', 'text', 'delivered', 'ann', NULL, 120, 120),
               (4, 1, 'in', 'reaction', NULL, NULL, NULL, 130, 130),
               (5, 1, 'out', 'reaction', 'sent', 'ann', NULL, 140, 140),
               (6, 1, 'in', 'system', NULL, NULL, NULL, 150, 150);`);
    updateToVersion(db, 5);
    expect(readSchemaVersion(db)).toBe(5);

    // Existing rows are in the new indexes: outbound except reactions (2, 3), inbound except reactions and
    // system events (1), turns = inbound (1) and staff messages (3).
    const outbound = "SELECT count(*) FROM messages INDEXED BY stats_outbound WHERE direction = 'out' AND type <> 'reaction' AND timestamp >= ? AND timestamp < ?";
    const inbound = "SELECT count(*) FROM messages INDEXED BY stats_inbound WHERE direction = 'in' AND type NOT IN ('reaction', 'system') AND timestamp >= ? AND timestamp < ?";
    const turns = `SELECT group_concat(id) FROM messages INDEXED BY stats_turns WHERE conversation_id = 1 AND
      ((direction = 'in' AND is_group = 0 AND type NOT IN ('reaction', 'system')) OR (direction = 'out' AND automatic IS NULL AND type <> 'reaction'))`;
    expect(db.prepare(outbound).pluck().get(0, 1000)).toBe(2);
    expect(db.prepare(inbound).pluck().get(0, 1000)).toBe(1);
    expect(db.prepare(turns).pluck().get()).toBe('1,3');
    for (const [sql, index] of [[outbound, 'stats_outbound'], [inbound, 'stats_inbound']] as const) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 1000) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      expect(plan).toContain(`USING COVERING INDEX ${index} (timestamp>? AND timestamp<?)`);
    }
    // New messages go into them too.
    db.exec("INSERT INTO messages(id, conversation_id, direction, type, status, sender_staff_id, timestamp, received_at) VALUES (7, 1, 'out', 'text', 'sent', 'bob', 160, 160)");
    expect(db.prepare(outbound).pluck().get(0, 1000)).toBe(3);
    expect(db.prepare(turns).pluck().get()).toBe('1,3,7');
  });
});
