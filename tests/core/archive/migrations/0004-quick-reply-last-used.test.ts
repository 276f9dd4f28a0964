import { describe, expect, it } from 'vitest';
import { readSchemaVersion } from '../../../../electron/core/archive/migrations';
import { createDB, updateToVersion } from '../../../support/archive-helpers';

describe('migration 0004 (quick reply last used)', () => {
  it('keeps existing quick replies, never used until they are', () => {
    const { db } = createDB();
    updateToVersion(db, 3);
    db.exec(`INSERT INTO quick_replies(id, shortcut, text, usage_count, position, created_at, updated_at) VALUES (1, 'hours', 'We open at 9', 4, 0, 0, 0)`);
    updateToVersion(db, 4);
    expect(readSchemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT shortcut, usage_count AS usageCount, last_used_at AS lastUsedAt FROM quick_replies').get()).toEqual({ shortcut: 'hours', usageCount: 4, lastUsedAt: null });
    db.prepare('UPDATE quick_replies SET last_used_at = ? WHERE id = 1').run(1_700_000_000_000);
    expect(db.prepare('SELECT last_used_at FROM quick_replies').pluck().get()).toBe(1_700_000_000_000);
  });
});
