import { describe, expect, it } from 'vitest';
import { readSchemaVersion } from '../../../../electron/core/archive/migrations';
import { createDB, updateToVersion } from '../../../support/archive-helpers';

describe('migration 0003 (mute expiry)', () => {
  it('finds the next timed mute of an unread conversation through the muted conversations alone', () => {
    const { db } = createDB();
    updateToVersion(db, 3);
    expect(readSchemaVersion(db)).toBe(3);
    db.exec(`INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '85291234567', 0, 0), (2, '85291234568', 0, 0);
             INSERT INTO conversations(id, contact_id, unread_count, muted_until, last_activity_at, created_at) VALUES (1, 1, 2, 500, 10, 0), (2, 2, 0, NULL, 10, 0);`);
    const sql = 'SELECT min(muted_until) FROM conversations INDEXED BY conversations_muted WHERE muted_until > ? AND muted_until < 9007199254740991 AND (unread_count > 0 OR manual_unread = 1)';
    expect(db.prepare(sql).pluck().get(100)).toBe(500);
    expect(db.prepare(sql).pluck().get(500)).toBeNull();
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(100) as Array<{ detail: string }>;
    expect(plan.map((r) => r.detail).join('; ')).toContain('USING INDEX conversations_muted (muted_until>? AND muted_until<?)');
  });
});
