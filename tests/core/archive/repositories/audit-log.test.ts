import { describe, expect, it } from 'vitest';
import { createTestArchive } from '../../../support/archive-helpers';

describe('audit log repository', () => {
  it('chains entries, verifies the chain, and refuses edits and deletions', () => {
    const { archive } = createTestArchive();
    archive.audit.append('vault.unlocked', null, { method: 'passphrase', failedAttemptsBefore: 0 });
    archive.audit.append('privacy.contact-erased', 'contact:7f3a', {});
    archive.audit.append('backup.exported', null, { bytes: 1024 });
    expect(archive.audit.verify()).toEqual({ ok: true, entries: 3, brokenAt: null });
    expect(archive.audit.page({ limit: 2 }).map((e) => e.seq)).toEqual([3, 2]);
    expect(archive.audit.page({ before: 2 }).map((e) => e.seq)).toEqual([1]);
    expect(() => archive.db.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => archive.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('finds a forged entry: the chain breaks there', () => {
    const { archive } = createTestArchive();
    archive.audit.append('a', null);
    archive.audit.append('b', null);
    // An attacker with the key drops the triggers and rewrites history: verification notices.
    archive.db.exec('DROP TRIGGER audit_log_no_update');
    archive.db.prepare("UPDATE audit_log SET action = 'forged' WHERE seq = 1").run();
    expect(archive.audit.verify()).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
