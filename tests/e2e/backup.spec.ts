/**
 * Encrypted backups in real Chromium against real core and the demo's sandbox (PRODUCT §12): a customer
 * writes a message with a word found nowhere else; a backup is made to a folder (the dialog's answer preset by
 * the test) with its progress shown (bytes, files); it is verified without a passphrase (the demo's own
 * keys); it is restored into a new workspace (the demo has no passphrase: this computer's keychain opens it),
 * which is listed, opened, and finds the message by search. Screenshots in English and Chinese.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { passphrase, setUpBusiness } from './steps';

const word = 'zephyrquokka';

/** The whole page in one picture: the app scrolls inside its main area, so the window is made tall enough for it. */
async function screenshotWhole(page: Page, path: string): Promise<void> {
  const size = page.viewportSize()!;
  const height = await page.locator('main').evaluate((main) => (main as unknown as { scrollHeight: number }).scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.min(height + 200, 6000) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

test('back up to a folder with progress, verify it, restore it into a new workspace and find the message there', async ({ page, previewHost }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();

  const acted = await previewHost.control('sandbox/customer-act', { kind: 'text', customer: 2, text: `Can I move my ${word} appointment to Friday?` });
  expect(acted.status, JSON.stringify(acted.json)).toBe(200);
  const customer = (acted.json as { value: { customer: { name: string } } }).value.customer.name;
  await expect(page.getByTestId('conversation-title').getByText(customer, { exact: true })).toBeVisible();

  // The backup section: no folder yet, the cloud folders looked for (none on this machine).
  await page.getByTestId('nav-backups').click();
  const section = page.getByTestId('backup-section');
  await expect(section).toBeVisible();
  await expect(page.getByTestId('backup-destination-none')).toBeVisible();
  await expect(page.getByTestId('backup-cloud-found')).not.toBeEmpty();
  await expect(page.getByTestId('backup-last')).toHaveText('No backup has been made yet.');
  await expect(page.getByTestId('backup-now')).toBeDisabled();

  // The folder, through the dialogs port (answer preset).
  const folder = join(previewHost.dataDir, 'Backups 备份');
  mkdirSync(folder);
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseFolder', answer: folder })).status).toBe(200);
  await page.getByTestId('backup-choose-folder').click();
  await expect(page.getByTestId('backup-destination-path')).toContainText(folder);

  // Back up now: progress with bytes and files, then the result and the last backup's state.
  await page.getByTestId('backup-now').click();
  const progress = page.getByTestId('backup-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('backup-progress-detail')).toContainText(/\d+(\.\d+)? (B|KB|MB) of \d+(\.\d+)? (B|KB|MB) · \d+ of \d+ files/);
  await expect(page.getByTestId('backup-now-result')).toContainText('Backup made:');
  await expect(progress).toHaveAttribute('data-phase', 'done');
  const files = readdirSync(folder);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.fdbackup$/);
  const backupPath = join(folder, files[0]!);
  await expect(page.getByTestId('backup-last')).toContainText('Last good backup:');
  await expect(page.getByTestId('backup-last')).toContainText('just now');

  // A daily schedule, keeping 5.
  await page.getByTestId('backup-frequency').selectOption('daily');
  await page.getByTestId('backup-time').fill('21:30');
  await page.getByTestId('backup-keep').fill('5');
  await page.getByTestId('backup-schedule-save').click();
  await expect(page.getByTestId('backup-next-run')).toContainText('Next backup:');
  await screenshotWhole(page, testInfo.outputPath('backup-en.png'));

  // Verify: this workspace's own backup needs no passphrase.
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseOpenFile', answer: backupPath })).status).toBe(200);
  await page.getByTestId('backup-verify-choose').click();
  await expect(page.getByTestId('backup-verify-ok')).toContainText('The backup is good:');
  await expect(page.getByTestId('backup-verify-ok')).toContainText('“Demo”');
  await page.getByTestId('backup-file-close').click();
  await expect(page.getByTestId('backup-chosen-file')).toHaveCount(0);

  // Restore into a new workspace: the demo's backup opens with this computer's keychain.
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseOpenFile', answer: backupPath })).status).toBe(200);
  await page.getByTestId('backup-restore-choose').click();
  await expect(page.getByTestId('backup-chosen-file')).toContainText(files[0]!);
  await expect(page.getByTestId('backup-keychain-hint')).toBeVisible();
  await expect(page.getByTestId('backup-restore-name')).toHaveValue('Demo (restored)');
  await page.getByTestId('backup-restore-start').click();
  await expect(page.getByTestId('backup-restore-done')).toContainText('Restored into the new workspace “Demo (restored)”.');
  await screenshotWhole(page, testInfo.outputPath('backup-restored-en.png'));

  // The workspace list has it.
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-workspace-item')).toHaveCount(2);
  await expect(page.getByTestId('settings-workspace-item').nth(1)).toContainText('Demo (restored)');

  // Open it (from the picker, like any workspace), and find the message by search.
  await page.getByTestId('switch-workspace').click();
  await expect(page.getByTestId('workspace-picker')).toBeVisible();
  await page.getByTestId('workspace-item').filter({ hasText: 'Demo (restored)' }).click();
  await expect(page.getByTestId('nav-search')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  await expect(page.locator('[data-testid="settings-workspace-item"][aria-current="true"]')).toContainText('Demo (restored)');
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(word);
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(1);
  await expect(hits.first()).toContainText(customer);

  // In Chinese: the backup section of the restored workspace, every word translated.
  await page.getByTestId('language-select').selectOption('zh-CN');
  await page.getByTestId('nav-backups').click();
  await expect(page.getByTestId('backup-section')).toContainText('加密备份');
  await expect(page.getByTestId('backup-now')).toHaveText('立即备份');
  await expect(page.getByTestId('backup-cloud-found')).toContainText('没有找到');
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseOpenFile', answer: backupPath })).status).toBe(200);
  await page.getByTestId('backup-verify-choose').click();
  await expect(page.getByTestId('backup-verify-ok')).toContainText('备份完好');
  await screenshotWhole(page, testInfo.outputPath('backup-zh.png'));
});

test('on a new desk: the first screen restores a business backup with its passphrase, refusing a wrong one, and opens it', async ({ page, previewHost }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await setUpBusiness(page, 'Harbour Clinic 港湾诊所');

  // A backup of the business workspace.
  await page.getByTestId('nav-backups').click();
  const folder = join(previewHost.dataDir, 'Backups');
  mkdirSync(folder);
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseFolder', answer: folder })).status).toBe(200);
  await page.getByTestId('backup-choose-folder').click();
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('backup-now-result')).toContainText('Backup made:');
  const backupPath = join(folder, readdirSync(folder)[0]!);

  // The first screen, with no workspace open: restore from a backup.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('switch-workspace').click();
  await page.getByTestId('start-restore').click();
  await expect(page.getByTestId('picker-restore')).toBeVisible();
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseOpenFile', answer: backupPath })).status).toBe(200);
  await page.getByTestId('picker-restore-choose').click();
  await expect(page.getByTestId('picker-restore-workspace')).toHaveText('Harbour Clinic 港湾诊所');
  await expect(page.getByTestId('picker-restore-methods')).toHaveText('Passphrase or Recovery key');
  await page.getByTestId('picker-restore-method-passphrase').check();

  // A wrong passphrase is refused, saying so; nothing is restored.
  await page.getByTestId('picker-restore-secret').fill('not the passphrase at all');
  await page.getByTestId('picker-restore-start').click();
  await expect(page.getByTestId('picker-restore-error')).toContainText('passphrase');
  await expect(page.getByTestId('picker-restore-done')).toHaveCount(0);

  await page.getByTestId('picker-restore-secret').fill(passphrase);
  await page.getByTestId('picker-restore-start').click();
  await expect(page.getByTestId('picker-restore-done')).toContainText('Restored into the new workspace “Harbour Clinic 港湾诊所”');
  // Restored with the passphrase alone: a new recovery key, shown once, like at set-up.
  await expect(page.getByTestId('picker-restore-new-recovery-key')).toHaveText(/^\d{4}( \d{4}){15}$/);
  await page.screenshot({ path: testInfo.outputPath('backup-picker-restore-en.png') });

  // It opens at its unlock screen, with the backup's passphrase, and is the workspace now in use, beside the
  // one it came from.
  await page.getByTestId('picker-restore-open').click();
  await page.getByTestId('unlock-passphrase').fill(passphrase);
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('nav-inbox')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-workspace-item')).toHaveCount(2);
  await expect(page.locator('[data-testid="settings-workspace-item"][aria-current="true"]')).toContainText('Harbour Clinic 港湾诊所');
});
