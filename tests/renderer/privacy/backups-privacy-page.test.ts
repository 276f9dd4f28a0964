/**
 * The "Backups & privacy" page's retention and audit log sections (PRODUCT §13) over a fake core: the preview
 * counted by core for a number typed before it is saved, saving, "Run now…" with its confirmation, and the
 * audit log's pages with actions in words, opaque subjects, details, and the chain's verification — whole, or
 * broken at an entry with the reason — in English and Chinese.
 */
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { AuditEntryView, RetentionCounts, RetentionView } from '../../../shared/ipc/privacy';
import { ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

const tz = 'Asia/Hong_Kong';
/** 2026-03-02 00:00 in Hong Kong. */
const cutoffSix = Date.parse('2025-09-02T00:00:00+08:00');
const counts = (months: number, messages: number, mediaFiles: number): RetentionCounts => ({
  months,
  cutoff: months === 0 ? null : cutoffSix,
  timezone: tz,
  messages,
  mediaFiles,
});
const view = (months: number, extra: Partial<RetentionView> = {}): RetentionView => ({
  months,
  preview: months === 0 ? counts(0, 0, 0) : counts(months, 0, 0),
  lastRunAt: null,
  nextRunAt: Date.parse('2026-03-02T10:01:00Z'),
  ...extra,
});

function entry(seq: number, action: string, subject: string | null, details: AuditEntryView['details'] = {}): AuditEntryView {
  return { seq, at: Date.UTC(2026, 2, 2, 9, 0, seq), action, subject, details, hash: 'f'.repeat(64) };
}

const entries = [
  entry(7, 'privacy.contact-erased', 'contact:42', { messages: 12, mediaFiles: 2, conversations: 1 }),
  entry(6, 'privacy.contact-exported', 'contact:42', { messages: 12, mediaFiles: 2, bytes: 20480 }),
  entry(5, 'vault.unlock-failed', null, { count: 3, firstAt: Date.UTC(2026, 2, 1, 8), lastAt: Date.UTC(2026, 2, 1, 9) }),
  entry(4, 'settings.changed', null, { area: 'autoLock', keys: 'minutes' }),
  entry(3, 'something.new-from-a-later-version', null, { flag: true }),
];
const older = [entry(2, 'vault.unlocked', null, { method: 'keychain' }), entry(1, 'backup.created', 'bk_3f9a', { bytes: 1000 })];

async function openPage(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  let saved = 0;
  const frontdesk = createFakeFrontdesk({
    'privacy:retention': () => ok(view(saved)),
    'privacy:retention-preview': ({ months }) => ok(counts(months, months >= 6 ? 120 : 300, months >= 6 ? 4 : 9)),
    'privacy:set-retention': ({ months }) => {
      saved = months;
      return ok(view(months, { preview: counts(months, 120, 4) }));
    },
    'audit:page': ({ before }) => ok(before ? { entries: older, next: null } : { entries, next: 3 }),
    'audit:verify': () => ok({ ok: true, entries: 7, brokenAt: null, reason: null, lastGoodSeq: 7 }),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/backups' });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const previewSettles = () => new Promise((resolve) => setTimeout(resolve, 300)).then(flushPromises);

describe('retention', () => {
  it('counts what a number would delete before it is saved, then saves it', async () => {
    const { wrapper, frontdesk } = await openPage();
    expect(byId(wrapper, 'retention-preview').text()).toBe('Retention is off: every message is kept.');
    expect(byId(wrapper, 'retention-save').attributes()).toHaveProperty('disabled');

    await byId(wrapper, 'retention-months').setValue('6');
    await previewSettles();
    expect(frontdesk.payloadsOf('privacy:retention-preview')).toEqual([{ months: 6 }]);
    expect(byId(wrapper, 'retention-preview').text()).toBe(
      'With 6 months: 120 messages and 4 files older than September 2, 2025 will be deleted, and then every day whatever becomes older than 6 months.',
    );
    expect(byId(wrapper, 'retention-state').text()).toContain('Not saved yet.');
    expect(frontdesk.callsTo('privacy:set-retention')).toBe(0);

    await byId(wrapper, 'retention-save').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('privacy:set-retention')).toEqual([{ months: 6 }]);
    expect(byId(wrapper, 'retention-state').text()).toContain('Saved. Saved setting: 6 months.');
    expect(byId(wrapper, 'retention-state').text()).toContain('Next run:');
  });

  it('refuses a number out of range before asking core', async () => {
    const { wrapper, frontdesk } = await openPage();
    await byId(wrapper, 'retention-months').setValue('500');
    await previewSettles();
    expect(wrapper.text()).toContain('Enter a whole number of months from 0 to 120.');
    expect(byId(wrapper, 'retention-save').attributes()).toHaveProperty('disabled');
    expect(frontdesk.callsTo('privacy:retention-preview')).toBe(0);
  });

  it('runs now only after a confirmation naming the counts, and says what went', async () => {
    const { wrapper, frontdesk } = await openPage({
      'privacy:retention': () => ok(view(6, { preview: counts(6, 120, 4) })),
      'privacy:run-retention': () => ok({ ...counts(6, 120, 4), ran: true }),
    });
    await byId(wrapper, 'retention-run').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'retention-run-confirm').text()).toContain('Delete 120 messages and 4 files older than September 2, 2025 now?');
    expect(frontdesk.callsTo('privacy:run-retention')).toBe(0);
    await byId(wrapper, 'retention-run-confirm-button').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('privacy:run-retention')).toBe(1);
    expect(byId(wrapper, 'retention-ran').text()).toBe('Deleted 120 messages and 4 files older than September 2, 2025.');
  });
});

describe('the audit log', () => {
  it('lists entries with actions in words, opaque subjects and details, and pages back', async () => {
    const { wrapper, frontdesk } = await openPage();
    const rows = wrapper.findAll('[data-testid="audit-entry"]');
    expect(rows.map((r) => r.get('[data-testid="audit-entry-action"]').text())).toEqual([
      'Contact erased',
      'Everything about a contact exported',
      'Wrong passphrase or recovery key',
      'Settings changed',
      'something.new-from-a-later-version',
    ]);
    expect(rows[0]!.get('[data-testid="audit-entry-subject"]').text()).toBe('contact:42');
    expect(rows[0]!.get('[data-testid="audit-entry-details"]').text()).toContain('messages 12');
    expect(rows[2]!.get('[data-testid="audit-entry-details"]').text()).toMatch(/how many 3.*first .*2026/);
    expect(rows[3]!.get('[data-testid="audit-entry-details"]').text()).toContain('settings minutes');

    await byId(wrapper, 'audit-older').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('audit:page')).toEqual([{ limit: 50 }, { limit: 50, before: 3 }]);
    expect(wrapper.findAll('[data-testid="audit-entry"]')).toHaveLength(7);
    expect(wrapper.find('[data-testid="audit-older"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="audit-entry-action"]').at(-1)!.text()).toBe('Backup made');
  });

  it('verifies the chain: whole, or broken at an entry with the reason, that entry marked', async () => {
    let report = { ok: true, entries: 7, brokenAt: null as number | null, reason: null as 'entry_altered' | null, lastGoodSeq: 7 as number | null };
    const { wrapper } = await openPage({ 'audit:verify': () => ok(report) });
    await byId(wrapper, 'audit-verify').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'audit-verify-ok').text()).toBe('The chain holds: all 7 entries are intact.');

    report = { ok: false, entries: 5, brokenAt: 5, reason: 'entry_altered', lastGoodSeq: 4 };
    await byId(wrapper, 'audit-verify').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'audit-verify-broken').text()).toContain('The chain is broken at entry 5: this entry was changed after it was written.');
    expect(byId(wrapper, 'audit-verify-broken').text()).toContain('Entries up to 4 are proven intact.');
    expect(wrapper.get('[data-testid="audit-entry"][data-seq="5"]').classes()).toContain('broken');
  });

  it('speaks Chinese', async () => {
    const { wrapper } = await openPage({ 'audit:verify': () => ok({ ok: false, entries: 7, brokenAt: 8, reason: 'entries_missing_at_end', lastGoodSeq: 7 }) }, 'zh-CN');
    expect(wrapper.findAll('[data-testid="audit-entry-action"]')[0]!.text()).toBe('已彻底删除联系人');
    expect(byId(wrapper, 'retention-preview').text()).toBe('保留期限已关闭：所有消息都会保留。');
    await byId(wrapper, 'audit-verify').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'audit-verify-broken').text()).toContain('哈希链在第 8 条记录处断开：最新的记录被删除了。');
  });
});
