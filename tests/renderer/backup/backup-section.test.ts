/**
 * The backup section of "Backups & privacy" (PRODUCT §12) over a fake core: the folder (dialog, or a detected
 * cloud folder in one click, or "none found"), the schedule and keep saved, the last backup's time, age
 * (on core's clock) and size, the warning when it is overdue, "Back up now" with progress (bytes, files, time
 * left) and Cancel, verify without a passphrase for the workspace's own backup and with one for another's, a
 * refusal said in words, restore into a new workspace with the new recovery key and Open, and a replacement
 * pending with Confirm / Roll back — in English and Chinese.
 */
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { BackupFileView, BackupProgressView, BackupView } from '../../../shared/ipc/backup';
import { fail, ok } from '../../../shared/ipc/result';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk, unlockedState } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

const now = Date.UTC(2026, 2, 2, 10, 0);
const hour = 3_600_000;

function view(overrides: Partial<BackupView> = {}): BackupView {
  return {
    destination: null,
    schedule: { frequency: 'off', time: '21:00', weekday: 5 },
    keep: 7,
    cloudFolders: [],
    status: { lastSuccessAt: null, lastAttemptAt: null, lastFileName: null, lastFileBytes: null, lastError: null },
    now,
    nextRunAt: null,
    overdue: false,
    running: null,
    pendingReplacement: null,
    ...overrides,
  };
}

const ownFile: BackupFileView = {
  fileId: 'a'.repeat(32),
  fileName: 'frontdesk-3f9a-20260301T210000Z.fdbackup',
  fileBytes: 5_400_000,
  createdAt: now - 13 * hour,
  appVersion: '0.1.0',
  workspaceName: 'Lotus Dental',
  workspaceKind: 'business',
  ownWorkspace: true,
  unlockMethods: ['passphrase', 'recovery'],
};
const otherFile: BackupFileView = { ...ownFile, fileId: 'b'.repeat(32), workspaceName: 'Tea House', ownWorkspace: false };

async function openPage(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({ 'backup:get': () => ok(view()), ...handlers });
  const mounted = await mountApp({ frontdesk, locale, path: '/backups' });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const has = (wrapper: Wrapper, testId: string) => wrapper.find(`[data-testid="${testId}"]`).exists();

describe('where backups go, and when', () => {
  it('chooses a folder in the dialog, offers the cloud folders found, and says when none are', async () => {
    let current = view({ cloudFolders: [{ provider: 'google-drive', label: 'Google Drive (ana@example.com)', path: '/Users/ana/Library/CloudStorage/GoogleDrive-ana/My Drive' }, { provider: 'dropbox', label: 'Dropbox', path: '/Users/ana/Dropbox' }] });
    const { wrapper, frontdesk } = await openPage({
      'backup:get': () => ok(current),
      'backup:choose-destination': () => {
        current = { ...current, destination: '/Volumes/USB/Backups' };
        return ok({ chosen: true, view: current });
      },
      'backup:use-cloud-folder': ({ path }) => {
        current = { ...current, destination: path };
        return ok(current);
      },
    });
    expect(byId(wrapper, 'backup-destination-none').text()).toBe(en.backup.destination.none);
    expect(byId(wrapper, 'backup-cloud-found').text()).toContain('Cloud folders found on this computer: Google Drive (ana@example.com), Dropbox.');
    expect(byId(wrapper, 'backup-now').attributes()).toHaveProperty('disabled');

    await byId(wrapper, 'backup-choose-folder').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'backup-destination-path').text()).toContain('/Volumes/USB/Backups');

    const cloud = wrapper.findAll('[data-testid="backup-cloud-folder"]');
    expect(cloud.map((b) => b.text())).toEqual(['Use Google Drive (ana@example.com)', 'Use Dropbox']);
    await cloud[1]!.trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('backup:use-cloud-folder')).toEqual([{ path: '/Users/ana/Dropbox' }]);
    expect(wrapper.findAll('[data-testid="backup-cloud-folder"]')[1]!.text()).toBe('Dropbox (in use)');
  });

  it('says no cloud folder was found, and saves a weekly schedule with keep N', async () => {
    const { wrapper, frontdesk } = await openPage({
      'backup:get': () => ok(view({ destination: '/home/desk/Backups' })),
      'backup:save-settings': (request) => ok(view({ destination: '/home/desk/Backups', schedule: request.schedule, keep: request.keep, nextRunAt: Date.UTC(2026, 2, 6, 2, 30) })),
    });
    expect(byId(wrapper, 'backup-cloud-found').text()).toBe(en.backup.destination.noneFound);
    expect(byId(wrapper, 'backup-next-run').text()).toBe(en.backup.schedule.offNow);
    await byId(wrapper, 'backup-frequency').setValue('weekly');
    await byId(wrapper, 'backup-weekday').setValue('5');
    await byId(wrapper, 'backup-time').setValue('02:30');
    await byId(wrapper, 'backup-keep').setValue('0');
    expect(byId(wrapper, 'backup-schedule-save').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'backup-keep').setValue('12');
    await byId(wrapper, 'backup-schedule').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('backup:save-settings')).toEqual([{ schedule: { frequency: 'weekly', time: '02:30', weekday: 5 }, keep: 12 }]);
    expect(byId(wrapper, 'backup-next-run').text()).toContain('Next backup:');
  });
});

describe('the last backup and "Back up now"', () => {
  it('shows the last backup with its age and size, and warns when it is overdue', async () => {
    const { wrapper } = await openPage({
      'backup:get': () =>
        ok(
          view({
            destination: '/home/desk/Backups',
            schedule: { frequency: 'daily', time: '21:00', weekday: 0 },
            overdue: true,
            status: { lastSuccessAt: now - 3 * 24 * hour, lastAttemptAt: now - 13 * hour, lastFileName: 'frontdesk-x.fdbackup', lastFileBytes: 5_400_000, lastError: { code: 'backup_destination_unavailable', reason: 'destination_unavailable' } },
          }),
        ),
    });
    expect(byId(wrapper, 'backup-last').text()).toContain('(3 days ago), 5.1 MB.');
    expect(byId(wrapper, 'backup-last-error').text()).toContain(en.backup.reasons.destination_unavailable);
    expect(byId(wrapper, 'backup-overdue').text()).toBe(en.backup.status.overdue);
  });

  it('backs up now with progress and Cancel, then says what was made', async () => {
    let finish: (() => void) | null = null;
    const { wrapper, frontdesk } = await openPage({
      'backup:get': () => ok(view({ destination: '/home/desk/Backups', keep: 3 })),
      'backup:run': () => new Promise((resolve) => (finish = () => resolve(ok({ fileName: 'frontdesk-new.fdbackup', fileBytes: 2_097_152, createdAt: now, files: 12, deleted: 1 })))),
      'backup:cancel': () => ok({ cancelled: true }),
    });
    await byId(wrapper, 'backup-now').trigger('click');
    const step: BackupProgressView = { operation: 'export', phase: 'writing', bytesDone: 1_048_576, bytesTotal: 4_194_304, filesDone: 3, filesTotal: 12, etaMs: 42_000, scheduled: false };
    frontdesk.emit('backup:progress', step);
    await flushPromises();
    expect(byId(wrapper, 'backup-progress-detail').text()).toBe('1 MB of 4 MB · 3 of 12 files · about 42 seconds left');
    expect(byId(wrapper, 'backup-progress-title').text()).toBe('Backing up · writing');
    expect(byId(wrapper, 'backup-now').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'backup-cancel').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('backup:cancel')).toBe(1);
    finish!();
    await flushPromises();
    expect(byId(wrapper, 'backup-now-result').text()).toBe('Backup made: frontdesk-new.fdbackup (2 MB). One older backup was deleted to keep the newest 3.');
  });

  it('says a cancelled backup wrote nothing', async () => {
    const { wrapper } = await openPage({
      'backup:get': () => ok(view({ destination: '/home/desk/Backups' })),
      'backup:run': () => fail('backup_cancelled', 'cancelled', [{ path: 'backup', message: 'cancelled' }]),
    });
    await byId(wrapper, 'backup-now').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'backup-now-result').text()).toBe(en.backup.now.cancelled);
    expect(has(wrapper, 'backup-now-error')).toBe(false);
  });
});

describe('verify and restore', () => {
  it('verifies the workspace’s own backup without asking for a passphrase', async () => {
    const { wrapper, frontdesk } = await openPage({
      'backup:choose-file': () => ok({ chosen: true, file: ownFile }),
      'backup:verify': () => ok({ fileName: ownFile.fileName, createdAt: ownFile.createdAt, workspaceName: 'Lotus Dental', fileBytes: 5_400_000, entries: 13, mediaFiles: 12, databaseBytes: 1000, mediaBytes: 2000 }),
    });
    await byId(wrapper, 'backup-verify-choose').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('backup:verify')).toEqual([{ fileId: ownFile.fileId }]);
    expect(has(wrapper, 'backup-credentials')).toBe(false);
    expect(byId(wrapper, 'backup-verify-ok').text()).toContain('The backup is good: the archive and 12 files, 5.1 MB');
  });

  it('asks for the passphrase for another workspace’s backup and says a refusal in words', async () => {
    const { wrapper, frontdesk } = await openPage({
      'backup:choose-file': () => ok({ chosen: true, file: otherFile }),
      'backup:verify': () => fail('backup_tampered', 'altered', [{ path: 'backup', message: 'tampered' }]),
    });
    await byId(wrapper, 'backup-verify-choose').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('backup:verify')).toBe(0);
    expect(byId(wrapper, 'backup-verify-start').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'backup-method-recovery').setValue(true);
    await byId(wrapper, 'backup-secret').setValue('1234 5678');
    await byId(wrapper, 'backup-verify-start').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('backup:verify')).toEqual([{ fileId: otherFile.fileId, credentials: { method: 'recovery', recoveryKey: '1234 5678' } }]);
    expect(byId(wrapper, 'backup-file-error').text()).toBe(`The backup was refused: ${en.backup.reasons.tampered}`);
  });

  it('a file that is not a backup is refused when chosen', async () => {
    const { wrapper } = await openPage({ 'backup:choose-file': () => fail('not_a_backup', 'no', [{ path: 'backup', message: 'not_a_backup' }]) });
    await byId(wrapper, 'backup-verify-choose').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'backup-file-error').text()).toBe(`The backup was refused: ${en.backup.reasons.not_a_backup}`);
  });

  it('restores into a new workspace with the recovery key and a new passphrase, shows the new key, and opens it at the unlock screen', async () => {
    const restoredSummary = { id: 'ws-restored-0001', name: 'Lotus Dental (restored)', kind: 'business' as const, keychainUnlock: false };
    let open = true;
    const { wrapper, frontdesk } = await openPage({
      'workspace:state': () => ok(open ? unlockedState() : { open: null, locked: false, autoLockMinutes: 10 }),
      'backup:choose-file': () => ok({ chosen: true, file: ownFile }),
      'backup:restore-new': () => ok({ workspace: restoredSummary, newRecoveryKey: null, entries: 13, missingMedia: 0 }),
      'workspace:close': () => {
        open = false;
        return ok({ open: null, locked: false, autoLockMinutes: 10 });
      },
    });
    await byId(wrapper, 'backup-restore-choose').trigger('click');
    await flushPromises();
    expect((byId(wrapper, 'backup-restore-name').element as HTMLInputElement).value).toBe('Lotus Dental (restored)');
    expect((byId(wrapper, 'backup-restore-mode-replace').element as HTMLInputElement).disabled).toBe(false);
    await byId(wrapper, 'backup-method-recovery').setValue(true);
    await byId(wrapper, 'backup-secret').setValue('0000 1111');
    expect(byId(wrapper, 'backup-restore-start').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'backup-new-passphrase').setValue('a brand new passphrase');
    await byId(wrapper, 'backup-restore-start').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('backup:restore-new')).toEqual([
      { fileId: ownFile.fileId, credentials: { method: 'recovery', recoveryKey: '0000 1111' }, name: 'Lotus Dental (restored)', newPassphrase: 'a brand new passphrase' },
    ]);
    expect(byId(wrapper, 'backup-restore-done').text()).toContain('Restored into the new workspace “Lotus Dental (restored)”.');
    await byId(wrapper, 'backup-open-restored').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('workspace:close')).toBe(1);
    expect(wrapper.find('[data-testid="unlock-passphrase"]').exists()).toBe(true);
  });

  it('replaces this workspace after a confirmation, then shows Confirm / Roll back while pending (Chinese)', async () => {
    const pending = { backupId: 'x', backupCreatedAt: ownFile.createdAt, replacedAt: now };
    let current = view();
    const { wrapper, frontdesk } = await openPage(
      {
        'backup:get': () => ok(current),
        'backup:choose-file': () => ok({ chosen: true, file: ownFile }),
        'backup:replace': () => {
          current = view({ pendingReplacement: pending });
          return ok(current);
        },
        'backup:rollback-replace': () => {
          current = view();
          return ok(current);
        },
      },
      'zh-CN',
    );
    expect(byId(wrapper, 'backup-section').text()).toContain(zhCN.backup.heading);
    await byId(wrapper, 'backup-restore-choose').trigger('click');
    await flushPromises();
    await byId(wrapper, 'backup-restore-mode-replace').setValue(true);
    expect(has(wrapper, 'backup-credentials')).toBe(false);
    await byId(wrapper, 'backup-restore-start').trigger('click');
    expect(byId(wrapper, 'backup-replace-confirm').text()).toContain('Lotus Dental');
    expect(frontdesk.callsTo('backup:replace')).toBe(0);
    await byId(wrapper, 'backup-replace-yes').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('backup:replace')).toEqual([{ fileId: ownFile.fileId }]);
    expect(byId(wrapper, 'backup-pending-replace').text()).toContain(zhCN.backup.pending.heading);
    expect(byId(wrapper, 'backup-pending-confirm').text()).toBe(zhCN.backup.pending.confirm);
    await byId(wrapper, 'backup-pending-rollback').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('backup:rollback-replace')).toBe(1);
    expect(has(wrapper, 'backup-pending-replace')).toBe(false);
  });
});

describe('every string in both languages', () => {
  it('has the same keys in Chinese, none left in English', () => {
    const keys = (o: object, prefix = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(zhCN.backup).sort()).toEqual(keys(en.backup).sort());
    const flat = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? flat(v as object) : [String(v)]));
    const zh = flat(zhCN.backup);
    const english = flat(en.backup);
    for (const [i, text] of zh.entries()) if (text.length > 12) expect(text, english[i]).not.toBe(english[i]);
  });
});
