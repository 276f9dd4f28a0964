/**
 * Erasure, retention, the audit log and settings changes through core's channels (PRODUCT §13) on a real
 * archive: the erasure confirmed with the count it showed (a stale count refused), the contact gone from the
 * inbox, contacts and search with the events the lists listen to, and a customer's later webhook kept out;
 * retention previewed before it is saved, run now and on the daily schedule started when the workspace
 * opened; audit pages, the chain verified and a tampered entry found with its reason.
 */
import { describe, expect, it } from 'vitest';
import type { CloudStatus, ContactsPage, InboxPage, SearchPage } from '../../../shared/ipc';
import type { AuditLogPage, AuditVerification, ErasurePreview, ErasureSummary, RetentionCounts, RetentionRunResult, RetentionView } from '../../../shared/ipc/privacy';
import { auditActions, call, customerText, fails, openDemoInbox, settle, waitFor } from './privacy-ipc-support';
import type { DemoInbox } from './privacy-ipc-support';

const day = 86_400_000;

describe('privacy:erase', () => {
  it('previews, refuses a stale confirmation, erases, and the contact is gone from inbox, contacts and search', async () => {
    const inbox = await openDemoInbox();
    const erased = await customerText(inbox, 0);
    const kept = await customerText(inbox, 1);
    const word = erased.text.split(/\s+/).find((w) => w.length >= 4) ?? erased.text;

    expect((await fails(inbox, 'privacy:erase-preview', { contactId: 'x' })).code).toBe('invalid_request');
    expect((await fails(inbox, 'privacy:erase', { contactId: erased.contactId })).fields?.map((f) => f.path)).toContain('confirmMessages');
    expect((await fails(inbox, 'privacy:erase-preview', { contactId: 999_999 })).code).toBe('not_found');

    const preview = await call<ErasurePreview>(inbox.core, 'privacy:erase-preview', { contactId: erased.contactId });
    expect(preview).toEqual({ contactId: erased.contactId, messages: 1, conversations: 1, mediaFiles: 0, labelAssignments: 0 });

    // The customer writes again before staff confirm: the count they saw is stale.
    const again = await customerText(inbox, 0);
    expect(again.contactId).toBe(erased.contactId);
    const stale = await fails(inbox, 'privacy:erase', { contactId: erased.contactId, confirmMessages: 1 });
    expect(stale.code).toBe('confirmation_stale');
    expect(inbox.archive().contacts.get(erased.contactId)).toBeDefined();

    const eventsBefore = inbox.events.length;
    const summary = await call<ErasureSummary>(inbox.core, 'privacy:erase', { contactId: erased.contactId, confirmMessages: 2 });
    expect(summary).toMatchObject({ contactId: erased.contactId, messages: 2, conversations: 1, mediaFiles: 0 });
    expect(summary.webhookBodies).toBeGreaterThanOrEqual(2);
    await settle();

    // The lists are told: the contact (reason erased) and the conversation's row, and the unread total.
    const events = inbox.events.slice(eventsBefore);
    expect(events).toContainEqual({ event: 'contacts:changed', payload: { contactId: erased.contactId, mergedIds: [], reason: 'erased' } });
    expect(events.some((e) => e.event === 'conversations:changed' && (e.payload.ids as number[]).includes(erased.conversationId))).toBe(true);
    expect(events.some((e) => e.event === 'inbox:unread')).toBe(true);

    // Gone everywhere the renderer looks; the other customer stays.
    expect((await fails(inbox, 'contacts:get', { contactId: erased.contactId })).code).toBe('not_found');
    expect((await fails(inbox, 'conversations:get', { conversationId: erased.conversationId })).code).toBe('not_found');
    const rows = (await call<InboxPage>(inbox.core, 'inbox:list', { offset: 0, limit: 100 })).rows.map((r) => r.id);
    expect(rows).not.toContain(erased.conversationId);
    expect(rows).toContain(kept.conversationId);
    const contacts = await call<ContactsPage>(inbox.core, 'contacts:list', { offset: 0, limit: 100 });
    expect(contacts.rows.map((c) => c.id)).not.toContain(erased.contactId);
    expect(contacts.rows.map((c) => c.id)).toContain(kept.contactId);
    const hits = await call<SearchPage>(inbox.core, 'search:messages', { query: word });
    expect(hits.hits.filter((h) => h.conversationId === erased.conversationId)).toEqual([]);

    // The audit log names them only by opaque id.
    const entry = auditActions(inbox).find((e) => e.action === 'privacy.contact-erased');
    expect(entry).toMatchObject({ subject: `contact:${erased.contactId}`, details: { messages: 2, conversations: 1 } });
    expect(JSON.stringify(auditActions(inbox))).not.toContain(erased.text);

    // The same person writing again stays out (tombstone): processed, nothing stored.
    const processed = async () => (await call<CloudStatus>(inbox.core, 'cloud:status')).inbox.processed;
    const before = await processed();
    inbox.demo().customers.act('text', 0);
    for (let i = 0; i < 250 && (await processed()) <= before; i++) await settle();
    expect(await processed()).toBeGreaterThan(before);
    expect(inbox.archive().conversations.get(erased.conversationId)).toBeUndefined();
    expect(inbox.archive().db.prepare('SELECT count(*) AS n FROM contacts WHERE id = ?').get(erased.contactId)).toEqual({ n: 0 });
    expect((await fails(inbox, 'privacy:erase-preview', { contactId: erased.contactId })).code).toBe('not_found');
  });
});

/** Messages of a seeded customer, `daysAgo` days before core's now, written through the repositories. */
function oldMessages(inbox: DemoInbox, daysAgo: number[]): number {
  const archive = inbox.archive();
  const contact = archive.contacts.upsertByIdentity({ waId: '85290001111', phone: '85290001111', profileName: 'Old Timer' });
  const conversationId = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
  daysAgo.forEach((d, i) =>
    archive.messages.insert({ conversationId, wamid: `wamid.old.${i}`, direction: 'in', type: 'text', text: `old message ${i}`, timestamp: inbox.clock.now() - d * day }),
  );
  return conversationId;
}

describe('retention', () => {
  it('previews a setting before it is saved, saves it (audited), and runs now', async () => {
    const inbox = await openDemoInbox();
    oldMessages(inbox, [400, 200, 100, 10]);
    for (const months of [-1, 121, 1.5]) expect((await fails(inbox, 'privacy:retention-preview', { months })).code).toBe('invalid_request');
    expect((await fails(inbox, 'privacy:set-retention', { months: 500 })).fields?.[0]?.path).toBe('months');

    const view = await call<RetentionView>(inbox.core, 'privacy:retention');
    expect(view).toMatchObject({ months: 0, preview: { months: 0, cutoff: null, messages: 0 }, lastRunAt: null });
    // Scheduled since the workspace opened, a minute after.
    expect(view.nextRunAt).toBe(inbox.clock.now() + 60_000);

    const six = await call<RetentionCounts>(inbox.core, 'privacy:retention-preview', { months: 6 });
    expect(six).toMatchObject({ months: 6, messages: 2, mediaFiles: 0 });
    expect(six.cutoff).toBeLessThan(inbox.clock.now() - 180 * day);
    expect((await call<RetentionCounts>(inbox.core, 'privacy:retention-preview', { months: 1 })).messages).toBe(3);
    // Only a preview: nothing saved, nothing deleted.
    expect((await call<RetentionView>(inbox.core, 'privacy:retention')).months).toBe(0);

    const saved = await call<RetentionView>(inbox.core, 'privacy:set-retention', { months: 6 });
    expect(saved).toMatchObject({ months: 6, preview: { months: 6, messages: 2 } });
    expect(auditActions(inbox)[0]).toMatchObject({ action: 'privacy.retention-configured', details: { months: 6 } });

    const run = await call<RetentionRunResult>(inbox.core, 'privacy:run-retention');
    expect(run).toMatchObject({ ran: true, months: 6, messages: 2 });
    expect(inbox.archive().messages.getByWamid('wamid.old.0')).toBeUndefined();
    expect(inbox.archive().messages.getByWamid('wamid.old.2')).toBeDefined();
    expect((await call<RetentionView>(inbox.core, 'privacy:retention')).lastRunAt).toBe(inbox.clock.now());
    expect(auditActions(inbox).find((e) => e.action === 'privacy.retention-run')).toMatchObject({ details: { months: 6, messages: 2 } });
  });

  it('runs daily on its own once the workspace is open', async () => {
    const inbox = await openDemoInbox();
    oldMessages(inbox, [100, 50, 5]);
    await call(inbox.core, 'privacy:set-retention', { months: 1 });
    inbox.clock.advance(61_000);
    await waitFor(() => inbox.archive().messages.getByWamid('wamid.old.1') === undefined);
    expect(inbox.archive().messages.getByWamid('wamid.old.2')).toBeDefined();
    const next = (await call<RetentionView>(inbox.core, 'privacy:retention')).nextRunAt!;
    expect(next - inbox.clock.now()).toBeGreaterThan(day - 120_000);
    // A month later the message that was 5 days old is older than a month: a later daily run takes it.
    for (let i = 0; i < 30 && inbox.archive().messages.getByWamid('wamid.old.2'); i++) {
      inbox.clock.advance(day);
      await settle();
    }
    expect(inbox.archive().messages.getByWamid('wamid.old.2')).toBeUndefined();
    expect(auditActions(inbox).filter((e) => e.action === 'privacy.retention-run').length).toBeGreaterThanOrEqual(2);

    // Closed: the daily run stopped with it (it neither runs nor fails on a closed archive).
    await call(inbox.core, 'workspace:close');
    const logged = () => inbox.logger.entries.filter((e) => e.message === 'Retention ran' || e.message.startsWith('The daily privacy run')).length;
    const before = logged();
    inbox.clock.advance(3 * day);
    await settle();
    expect(logged()).toBe(before);
  });
});

describe('audit log', () => {
  it('pages newest first, verifies the chain, and finds an edited entry with its reason', async () => {
    const inbox = await openDemoInbox();
    for (let i = 1; i <= 5; i++) await call(inbox.core, 'vault:set-auto-lock', { minutes: i });
    for (const payload of [{ limit: 0 }, { limit: 201 }, { before: -3 }, { after: 1 }]) expect((await fails(inbox, 'audit:page', payload)).code).toBe('invalid_request');

    const first = await call<AuditLogPage>(inbox.core, 'audit:page', { limit: 3 });
    expect(first.entries).toHaveLength(3);
    expect(first.entries[0]).toMatchObject({ action: 'settings.changed', subject: null, details: { area: 'autoLock', keys: 'minutes' } });
    expect(first.entries.map((e) => e.seq)).toEqual([...first.entries.map((e) => e.seq)].sort((a, b) => b - a));
    const second = await call<AuditLogPage>(inbox.core, 'audit:page', { before: first.next, limit: 3 });
    expect(second.entries[0]!.seq).toBeLessThan(first.entries.at(-1)!.seq);
    // The values never reach the log, only the key names.
    expect(JSON.stringify(first)).not.toMatch(/"minutes":\d/);

    const good = await call<AuditVerification>(inbox.core, 'audit:verify');
    expect(good).toMatchObject({ ok: true, brokenAt: null, reason: null });
    expect(good.entries).toBeGreaterThanOrEqual(5);

    // Someone edits an entry in the database: the chain breaks there.
    const target = first.entries[1]!.seq;
    // (Behind the append-only triggers' back, as someone with the key and a SQLCipher tool could.)
    const db = inbox.archive().db;
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET details_json = ? WHERE seq = ?').run(JSON.stringify({ area: 'autoLock', keys: 'nothing' }), target);
    db.exec("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END");
    const bad = await call<AuditVerification>(inbox.core, 'audit:verify');
    expect(bad).toMatchObject({ ok: false, brokenAt: target, reason: 'entry_altered', lastGoodSeq: target - 1 });
  });

  it('records settings saves by area and key names, and not a save that failed', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'inbox:set-preferences', { readReceipts: false });
    expect(auditActions(inbox)[0]).toMatchObject({ action: 'settings.changed', details: { area: 'inbox', keys: 'readReceipts' } });
    const before = auditActions(inbox).length;
    expect((await fails(inbox, 'vault:set-auto-lock', { minutes: 999 })).code).toBe('invalid_request');
    expect(auditActions(inbox).length).toBe(before);
    await call(inbox.core, 'secrets:set', { accessToken: 'EAAG-not-a-real-token-but-long-enough' });
    const entry = auditActions(inbox)[0]!;
    expect(entry).toMatchObject({ action: 'settings.changed', details: { area: 'secrets', keys: 'accessToken' } });
    expect(JSON.stringify(entry)).not.toContain('EAAG');
  });

  it('is refused while locked', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'vault:lock');
    expect((await fails(inbox, 'audit:page', {})).code).toBe('locked');
    expect((await fails(inbox, 'audit:verify')).code).toBe('locked');
  });
});
