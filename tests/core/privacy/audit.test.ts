import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openArchive, openKeyedDatabase } from '../../../electron/core/archive';
import type { Archive } from '../../../electron/core/archive';
import { auditEntryHash } from '../../../electron/core/archive/repositories/audit-log';
import { createVirtualClock } from '../../../electron/core/clock';
import { createLogger } from '../../../electron/core/logger';
import { createConfSettings, createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import type { SettingsPort } from '../../../electron/core/ports';
import { createAuditService, createPrivacyServices } from '../../../electron/core/privacy';
import { createUnlockFailureLedger } from '../../../electron/core/vault/unlock-throttle';
import { createWorkspaceManager } from '../../../electron/core/workspace/workspace-manager';
import { fastArgon2, tempDir } from '../helpers';
import { createHarness, insert } from './privacy-support';

const passphrase = 'correct horse battery staple';

/** A real workspace manager (vault, Argon2id, archive, settings store) wired as core will wire it: the audit service flushes at unlock. */
function startManager(dataDir: string, clock = createVirtualClock()) {
  const memory = createMemoryLogger();
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: '9.9.9-test', clock, logger: memory });
  const flushes: Array<Promise<unknown>> = [];
  const manager = createWorkspaceManager<Archive>({
    ports,
    logger: createLogger(memory),
    argon2: fastArgon2,
    idleClock: createVirtualClock(),
    openArchive: (paths, keys) => openArchive({ path: paths.database, key: keys.database, clock }),
    onUnlocked: (workspace) => {
      flushes.push(createAuditService({ archive: workspace.archive, settings: ports.settings }).recordUnlockFailures(workspace.vault.id));
    },
  });
  onTestFinished(() => manager.shutdown());
  return { manager, ports, clock, flushes, settled: () => Promise.all(flushes) };
}

describe('audit: unlock failures', () => {
  it('counts wrong passphrases while locked and closed, and writes them at the next unlock with their count', async () => {
    const dataDir = tempDir();
    const first = startManager(dataDir);
    const draft = await first.manager.prepare({ name: 'Clinic', passphrase, keychainUnlock: false });
    const groups = draft.recoveryKey.split(' ');
    const { open } = await first.manager.create({ draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1]!, groups[draft.confirmGroups[1] - 1]!] });
    const workspaceId = open!.id;
    await first.settled();
    const archiveOf = (m: ReturnType<typeof startManager>) => m.manager.current()!.archive;
    const failuresIn = (archive: Archive) => archive.audit.page({ limit: 100 }).filter((e) => e.action === 'vault.unlock-failed');
    expect(failuresIn(archiveOf(first))).toEqual([]);

    // Locked: two wrong attempts (the throttle's delay waited out between them).
    first.manager.lock();
    const lockedAt = first.clock.now();
    await expect(first.manager.unlock({ workspaceId, method: 'passphrase', passphrase: 'wrong one!' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    first.clock.advance(1000);
    await expect(first.manager.unlock({ workspaceId, method: 'recovery', recoveryKey: '1'.repeat(64) })).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    // The archive was not touched by them: nothing in its audit log yet.
    expect(failuresIn(archiveOf(first))).toEqual([]);
    await first.manager.close();

    // Closed (the app restarted, nothing unlocked yet): one more, then the right passphrase.
    const second = startManager(dataDir, createVirtualClock(first.clock.now() + 60_000));
    await expect(second.manager.unlock({ workspaceId, method: 'passphrase', passphrase: 'still wrong' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    const lastFailureAt = second.clock.now();
    second.clock.advance(8000);
    await second.manager.unlock({ workspaceId, method: 'passphrase', passphrase });
    await second.settled();
    const archive = archiveOf(second);
    const entries = failuresIn(archive);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ subject: null, details: { count: 3, firstAt: lockedAt, lastAt: lastFailureAt } });
    // The count is reset: the next unlock adds nothing.
    expect(await second.ports.settings.get(`unlockFailuresUnaudited.${workspaceId}`)).toBeUndefined();
    second.manager.lock();
    await second.manager.unlock({ workspaceId, method: 'passphrase', passphrase });
    await second.settled();
    expect(failuresIn(archive)).toHaveLength(1);
    expect(createAuditService({ archive, settings: second.ports.settings }).verify()).toMatchObject({ ok: true });
  });

  it('does not write the same failures twice when the app died between the entry and the reset', async () => {
    const h = await createHarness();
    const real = createConfSettings(tempDir());
    let failDelete = true;
    const flaky: SettingsPort = {
      get: (key) => real.get(key),
      set: (key, value) => real.set(key, value),
      all: () => real.all(),
      async delete(key) {
        if (failDelete) {
          failDelete = false;
          throw new Error('killed');
        }
        return real.delete(key);
      },
    };
    const ledger = createUnlockFailureLedger(real);
    await ledger.add('ws-1', 1000);
    await ledger.add('ws-1', 2000);
    const audit = createAuditService({ archive: h.archive, settings: flaky });
    await expect(audit.recordUnlockFailures('ws-1')).rejects.toThrow('killed');
    expect(await ledger.read('ws-1')).toEqual({ count: 2, firstAt: 1000, lastAt: 2000 });
    const entry = await audit.recordUnlockFailures('ws-1');
    expect(entry).toMatchObject({ action: 'vault.unlock-failed', details: { count: 2, firstAt: 1000, lastAt: 2000 } });
    expect(h.archive.audit.page().filter((e) => e.action === 'vault.unlock-failed')).toHaveLength(1);
    expect(await ledger.read('ws-1')).toBeNull();
    expect(await audit.recordUnlockFailures('ws-1')).toBeNull();

    // A failure recorded while the entry was being written is kept for the next unlock.
    await ledger.add('ws-1', 3000);
    const pending = (await ledger.read('ws-1'))!;
    await ledger.add('ws-1', 4000);
    await ledger.clear('ws-1', pending);
    expect(await ledger.read('ws-1')).toEqual({ count: 1, firstAt: 4000, lastAt: 4000 });
  });
});

describe('audit: the chain', () => {
  function withEntries(archive: Archive, n: number) {
    const audit = createAuditService({ archive, settings: createConfSettings(tempDir()) });
    for (let i = 1; i <= n; i++) audit.settingsChanged('automation', [`key${i}`]);
    return audit;
  }

  /** A second connection with the key, as an attacker with the key (or a SQLCipher tool) would have. */
  function forger(archive: Archive, key: Uint8Array) {
    const db = openKeyedDatabase({ path: archive.path, key });
    onTestFinished(() => void db.close());
    return {
      run(sql: string, ...params: unknown[]) {
        db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
        db.prepare(sql).run(...params);
        db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                 CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`);
      },
    };
  }

  it('holds when nothing was touched, and the triggers refuse changes through the app', async () => {
    const h = await createHarness();
    const audit = withEntries(h.archive, 5);
    expect(audit.verify()).toEqual({ ok: true, entries: 5, brokenAt: null, reason: null, lastGoodSeq: 5 });
    expect(() => h.archive.db.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => h.archive.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('finds a row edited behind the triggers’ back', async () => {
    const h = await createHarness();
    const audit = withEntries(h.archive, 5);
    forger(h.archive, h.key).run(`UPDATE audit_log SET details_json = '{"area":"automation","keys":"nothing"}' WHERE seq = 3`);
    expect(audit.verify()).toEqual({ ok: false, entries: 3, brokenAt: 3, reason: 'entry_altered', lastGoodSeq: 2 });
  });

  it('finds a row rewritten with a freshly computed hash: the next link breaks', async () => {
    const h = await createHarness();
    const audit = withEntries(h.archive, 5);
    const e = h.archive.audit.get(3)!;
    const forged = { ...e, action: 'settings.changed', details: { area: 'automation', keys: 'forged' } };
    const { hash: _old, ...rest } = forged;
    forger(h.archive, h.key).run('UPDATE audit_log SET details_json = ?, hash = ? WHERE seq = 3', JSON.stringify(forged.details), auditEntryHash(rest));
    expect(audit.verify()).toEqual({ ok: false, entries: 4, brokenAt: 4, reason: 'link_broken', lastGoodSeq: 2 });
  });

  it('finds a deleted row, in the middle and at the end, even after new entries', async () => {
    const h = await createHarness();
    const audit = withEntries(h.archive, 5);
    const forge = forger(h.archive, h.key);
    forge.run('DELETE FROM audit_log WHERE seq = 5');
    expect(audit.verify()).toEqual({ ok: false, entries: 4, brokenAt: 5, reason: 'entries_missing_at_end', lastGoodSeq: 4 });
    // The app appends again: the number of the deleted entry is not reused, so the gap stays visible.
    audit.settingsChanged('automation', ['after']);
    expect(h.archive.audit.page({ limit: 1 })[0]!.seq).toBe(6);
    expect(audit.verify()).toMatchObject({ ok: false, brokenAt: 6, reason: 'entries_missing', lastGoodSeq: 4 });

    const h2 = await createHarness();
    const audit2 = withEntries(h2.archive, 5);
    forger(h2.archive, h2.key).run('DELETE FROM audit_log WHERE seq = 2');
    expect(audit2.verify()).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: 'entries_missing', lastGoodSeq: 1 });
    const h3 = await createHarness();
    const audit3 = withEntries(h3.archive, 3);
    forger(h3.archive, h3.key).run('DELETE FROM audit_log WHERE seq = 1');
    expect(audit3.verify()).toEqual({ ok: false, entries: 1, brokenAt: 2, reason: 'entries_missing', lastGoodSeq: null });
  });

  it('pages newest first for the view, validating the request', async () => {
    const h = await createHarness();
    const audit = withEntries(h.archive, 7);
    const first = audit.page({ limit: 3 });
    expect(first.entries.map((e) => e.seq)).toEqual([7, 6, 5]);
    expect(first.entries[0]).toEqual({ seq: 7, at: h.clock.now(), action: 'settings.changed', subject: null, details: { area: 'automation', keys: 'key7' }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const second = audit.page({ before: first.next, limit: 3 });
    expect(second.entries.map((e) => e.seq)).toEqual([4, 3, 2]);
    const last = audit.page({ before: second.next, limit: 3 });
    expect(last).toEqual({ entries: [expect.objectContaining({ seq: 1 })], next: null });
    expect(() => audit.page({ limit: 1000 })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => audit.page({ before: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('audit: subjects', () => {
  it('names contacts only by opaque id: no name, number or text in any entry', async () => {
    const h = await createHarness(Date.UTC(2026, 5, 20, 12));
    const { archive } = h;
    const audit = createAuditService({ archive, settings: createConfSettings(tempDir()) });
    const name = 'Henrietta Ploughwright';
    const number = '8613811112222';
    const { id: contactId } = archive.contacts.upsertByIdentity({ waId: number, phone: number, profileName: name });
    archive.contacts.update(contactId, { savedName: 'Hetty 海蒂', notes: 'likes green tea' });
    const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
    insert(archive, { conversationId, wamid: 'w.1', direction: 'in', type: 'text', text: 'my secret order', timestamp: Date.UTC(2025, 0, 1) });
    insert(archive, { conversationId, wamid: 'w.2', direction: 'in', type: 'text', text: 'another secret', timestamp: Date.UTC(2026, 5, 1) });

    // Everything through the facade IPC will call.
    const privacy = createPrivacyServices({ archive, media: () => h.media, settings: createConfSettings(tempDir()), clock: h.clock, logger: h.logger });
    const out = tempDir();
    await privacy.exportTranscript({ conversationId, locale: 'en' }, join(out, 't.html'));
    await privacy.exportContact({ contactId, destinationDir: out, locale: 'en' });
    expect(privacy.saveRetentionSettings({ months: 12 })).toEqual({ months: 12 });
    expect(privacy.previewRetention()).toMatchObject({ months: 12, messages: 1 });
    expect(await privacy.runRetention()).toMatchObject({ ran: true, messages: 1 });
    privacy.audit.settingsChanged('privacy.retention', ['months']);
    expect(privacy.previewErasure({ contactId })).toMatchObject({ messages: 1 });
    expect(await privacy.eraseContact({ contactId })).toMatchObject({ messages: 1 });
    expect(privacy.verifyAudit()).toMatchObject({ ok: true, entries: 6 });

    const entries = privacy.auditPage({ limit: 200 }).entries;
    expect(entries.map((e) => e.action)).toEqual([
      'privacy.contact-erased',
      'settings.changed',
      'privacy.retention-run',
      'privacy.retention-configured',
      'privacy.contact-exported',
      'privacy.transcript-exported',
    ]);
    for (const e of entries) expect(e.subject === null || /^(contact|conversation):\d+$/.test(e.subject)).toBe(true);
    expect(entries.find((e) => e.action === 'privacy.contact-erased')!.subject).toBe(`contact:${contactId}`);
    const text = JSON.stringify(archive.db.prepare('SELECT * FROM audit_log').all());
    for (const secret of [name, 'Henrietta', number, '13811112222', 'Hetty', '海蒂', 'green tea', 'secret']) expect(text).not.toContain(secret);

    // The service refuses to write anything else.
    expect(() => audit.settingsChanged('Henrietta', ['x'])).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(() => audit.settingsChanged('automation', ['+8613811112222'])).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(() => audit.contactErased(-1, { messages: 0, mediaFiles: 0, conversations: 0, reactions: 0, statusEvents: 0, outbox: 0, inboxBodies: 0, tombstones: 0 })).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
    expect(() => audit.contactExported(contactId, { messages: 1, mediaFiles: 0, bytes: 1, name } as never)).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});
