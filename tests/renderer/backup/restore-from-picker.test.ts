/**
 * "Restore from a backup…" in the workspace picker, with no workspace open (a new computer, PRODUCT §12), over
 * a fake core: the file chosen through core (the renderer sends only the fileId core gave), what its header says
 * (workspace, made at, how it opens), a wrong passphrase refused in words, the restore with the passphrase
 * showing the new recovery key, then Open at the unlock screen; with the recovery key a new passphrase checked
 * (too short, not the same) before it is sent; the restored workspace listed when going back; a demo backup
 * (keychain only) saying it restores only on the computer that made it — in English and Chinese. No other
 * backup channel is called.
 */
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { BackupFileChoice, BackupFileView, BackupRestoreResult } from '../../../shared/ipc/backup';
import type { WorkspaceSummary } from '../../../shared/ipc/contract';
import { fail, ok } from '../../../shared/ipc/result';
import type { Result } from '../../../shared/ipc/result';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../support/cleanup';
import { closedState, createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { click, mountApp } from '../support/mount-app';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

const madeAt = Date.UTC(2026, 2, 1, 21, 0);
const businessFile: BackupFileView = {
  fileId: 'c'.repeat(32),
  fileName: 'frontdesk-3f9a-20260301T210000Z.fdbackup',
  fileBytes: 5_400_000,
  createdAt: madeAt,
  appVersion: '0.1.0',
  workspaceName: 'Lotus Dental',
  workspaceKind: 'business',
  ownWorkspace: false,
  unlockMethods: ['passphrase', 'recovery'],
};
const demoFile: BackupFileView = { ...businessFile, fileId: 'd'.repeat(32), workspaceName: 'Demo', workspaceKind: 'demo', unlockMethods: ['keychain'] };
const restoredWorkspace: WorkspaceSummary = { id: 'ws-restored-01', name: 'Lotus Dental', kind: 'business', keychainUnlock: false };
const recoveryKey = '1111 2222 3333 4444 5555 6666 7777 8888 9999 0000 1111 2222 3333 4444 5555 6666';

function restoredResult(newRecoveryKey: string | null): BackupRestoreResult {
  return { workspace: { ...restoredWorkspace }, newRecoveryKey, entries: 2, missingMedia: 0 };
}

/** No workspace open, none on this computer: a fresh install. */
async function freshInstall(handlers: FakeHandlers, locale: 'en' | 'zh-CN' = 'en') {
  let listed: WorkspaceSummary[] = [];
  const frontdesk = createFakeFrontdesk({
    'workspace:state': () => ok(closedState),
    'workspace:list': () => ok(listed.map((w) => ({ ...w }))),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale });
  await flushPromises();
  return { ...mounted, list: (next: WorkspaceSummary[]) => (listed = next) };
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const has = (wrapper: Wrapper, testId: string) => wrapper.find(`[data-testid="${testId}"]`).exists();
const backupChannelsCalled = (frontdesk: ReturnType<typeof createFakeFrontdesk>) => [...new Set(frontdesk.calls.map((c) => c.channel).filter((c) => c.startsWith('backup:')))].sort();

describe('restore from a backup in the picker (no workspace open)', () => {
  it('chooses the file, shows its header, refuses a wrong passphrase, restores, shows the new recovery key and opens the unlock screen', async () => {
    let answer: Result<BackupRestoreResult> = fail('wrong_passphrase', 'no', [{ path: 'backup', message: 'wrong_passphrase' }]);
    const { wrapper, frontdesk, list } = await freshInstall({
      'backup:choose-file': () => ok({ chosen: true, file: { ...businessFile } }),
      'backup:restore-new': () => answer,
    });

    expect(byId(wrapper, 'start-restore').text()).toContain(en.workspace.picker.restoreTitle);
    await click(wrapper, 'start-restore');
    expect(wrapper.get('h1').text()).toBe(en.backup.picker.heading);
    expect(byId(wrapper, 'picker-restore-choose').text()).toBe(en.backup.picker.choose);
    await click(wrapper, 'picker-restore-choose');

    expect(byId(wrapper, 'picker-restore-workspace').text()).toBe('Lotus Dental');
    expect(byId(wrapper, 'picker-restore-made').text()).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(madeAt));
    expect(byId(wrapper, 'picker-restore-methods').text()).toBe(`${en.backup.credentials.passphrase} or ${en.backup.credentials.recovery}`);
    expect((byId(wrapper, 'picker-restore-name').element as HTMLInputElement).value).toBe('Lotus Dental');
    expect(byId(wrapper, 'picker-restore-start').attributes('disabled')).toBeDefined();
    expect(has(wrapper, 'picker-restore-new-passphrase')).toBe(false);

    await byId(wrapper, 'picker-restore-secret').setValue('not the passphrase');
    await click(wrapper, 'picker-restore-start');
    expect(byId(wrapper, 'picker-restore-error').text()).toBe(en.backup.restore.failed.replace('{reason}', en.backup.reasons.wrong_passphrase));

    answer = ok(restoredResult(recoveryKey));
    list([restoredWorkspace]);
    await byId(wrapper, 'picker-restore-secret').setValue('correct horse battery staple');
    await click(wrapper, 'picker-restore-start');
    expect(frontdesk.payloadsOf('backup:restore-new')).toEqual([
      { fileId: businessFile.fileId, credentials: { method: 'passphrase', passphrase: 'not the passphrase' }, name: 'Lotus Dental' },
      { fileId: businessFile.fileId, credentials: { method: 'passphrase', passphrase: 'correct horse battery staple' }, name: 'Lotus Dental' },
    ]);
    expect(byId(wrapper, 'picker-restore-done').text()).toContain(en.backup.restore.done.replace('{name}', 'Lotus Dental'));
    expect(byId(wrapper, 'picker-restore-new-recovery-key').text()).toBe(recoveryKey);
    expect(has(wrapper, 'picker-restore-error')).toBe(false);

    // Open: the unlock screen of the restored workspace (its passphrase), nothing opened behind it.
    await click(wrapper, 'picker-restore-open');
    expect(has(wrapper, 'unlock-screen')).toBe(true);
    expect(wrapper.get('h1').text()).toBe('Unlock Lotus Dental');
    expect(frontdesk.callsTo('vault:unlock')).toBe(0);
    // Only the two channels open without a workspace were used; the section's view was never asked for.
    expect(backupChannelsCalled(frontdesk)).toEqual(['backup:choose-file', 'backup:restore-new']);
    expect(frontdesk.callsTo('workspace:list')).toBeGreaterThanOrEqual(2);
  });

  it('with the recovery key asks a new passphrase (checked before sending), then lists the restored workspace — in Chinese', async () => {
    const { wrapper, frontdesk, list } = await freshInstall(
      {
        'backup:choose-file': () => ok({ chosen: true, file: { ...businessFile } }),
        'backup:restore-new': () => {
          list([restoredWorkspace]);
          return ok(restoredResult(null));
        },
      },
      'zh-CN',
    );
    await click(wrapper, 'start-restore');
    expect(wrapper.get('h1').text()).toBe(zhCN.backup.picker.heading);
    await click(wrapper, 'picker-restore-choose');
    expect(byId(wrapper, 'picker-restore-methods').text()).toContain(zhCN.backup.credentials.recovery);

    await byId(wrapper, 'picker-restore-method-recovery').setValue(true);
    expect(has(wrapper, 'picker-restore-new-passphrase')).toBe(true);
    await byId(wrapper, 'picker-restore-secret').setValue(` ${recoveryKey} `);
    await byId(wrapper, 'picker-restore-new-passphrase').setValue('short');
    await click(wrapper, 'picker-restore-start');
    expect(byId(wrapper, 'picker-restore-new-passphrase-error').text()).toBe(zhCN.workspace.passphrase.tooShort.replace('{min}', '10'));
    await byId(wrapper, 'picker-restore-new-passphrase').setValue('a brand new passphrase');
    await byId(wrapper, 'picker-restore-new-passphrase-repeat').setValue('a brand new passphrase!');
    await click(wrapper, 'picker-restore-start');
    expect(byId(wrapper, 'picker-restore-new-passphrase-repeat-error').text()).toBe(zhCN.workspace.passphrase.mismatch);
    expect(frontdesk.callsTo('backup:restore-new')).toBe(0);

    await byId(wrapper, 'picker-restore-new-passphrase-repeat').setValue('a brand new passphrase');
    await click(wrapper, 'picker-restore-start');
    expect(frontdesk.payloadsOf('backup:restore-new')).toEqual([
      { fileId: businessFile.fileId, credentials: { method: 'recovery', recoveryKey }, name: 'Lotus Dental', newPassphrase: 'a brand new passphrase' },
    ]);
    expect(byId(wrapper, 'picker-restore-done').text()).toContain(zhCN.backup.restore.done.replace('{name}', 'Lotus Dental'));
    // Opened with its own recovery key: no new one to write down.
    expect(has(wrapper, 'picker-restore-new-recovery-key')).toBe(false);

    await click(wrapper, 'picker-restore-back');
    expect(wrapper.findAll('[data-testid="workspace-item-name"]').map((w) => w.text())).toEqual(['Lotus Dental']);
  });

  it('a demo backup says it restores only on the computer that made it, and why it was refused', async () => {
    const { wrapper, frontdesk } = await freshInstall({
      'backup:choose-file': () => ok({ chosen: true, file: { ...demoFile } }),
      'backup:restore-new': () => fail('keychain_unavailable', 'no', [{ path: 'backup', message: 'keychain_unavailable' }]),
    });
    await click(wrapper, 'start-restore');
    await click(wrapper, 'picker-restore-choose');
    expect(byId(wrapper, 'picker-restore-keychain-only').text()).toBe(en.backup.picker.keychainOnly);
    expect(byId(wrapper, 'picker-restore-methods').text()).toBe(en.backup.credentials.keychain);
    expect(has(wrapper, 'picker-restore-credentials')).toBe(false);

    await click(wrapper, 'picker-restore-start');
    expect(frontdesk.payloadsOf('backup:restore-new')).toEqual([{ fileId: demoFile.fileId, credentials: { method: 'keychain' }, name: 'Demo' }]);
    expect(byId(wrapper, 'picker-restore-error').text()).toBe(en.backup.picker.keychainRefused);
  });

  it('a cancelled dialog changes nothing, a file that is not a backup is refused in words, and Back returns to the picker', async () => {
    let choice: () => Result<BackupFileChoice> = () => ok({ chosen: false });
    const { wrapper } = await freshInstall({ 'backup:choose-file': () => choice() }, 'zh-CN');
    expect(byId(wrapper, 'start-restore').text()).toContain(zhCN.workspace.picker.restoreTitle);
    await click(wrapper, 'start-restore');
    await click(wrapper, 'picker-restore-choose');
    expect(has(wrapper, 'picker-restore-file')).toBe(false);
    expect(has(wrapper, 'picker-restore-error')).toBe(false);

    choice = () => fail('not_a_backup', 'no', [{ path: 'backup', message: 'not_a_backup' }]);
    await click(wrapper, 'picker-restore-choose');
    expect(byId(wrapper, 'picker-restore-error').text()).toBe(zhCN.backup.restore.failed.replace('{reason}', zhCN.backup.reasons.not_a_backup));

    await click(wrapper, 'picker-restore-back');
    expect(has(wrapper, 'workspace-picker')).toBe(true);
    expect(has(wrapper, 'picker-restore')).toBe(false);
  });
});
