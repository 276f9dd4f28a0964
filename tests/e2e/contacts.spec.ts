/**
 * Contacts in the demo workspace against real core: a CSV import adds contacts and reports the bad row; the
 * export writes a CSV where the (preset) save dialog answers; privacy mode blurs names and numbers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';

interface StyledElement {
  readonly __styled: unique symbol;
}
type PageWindow = { getComputedStyle(element: StyledElement): { filter: string } };

const csv = ['name,phone,notes', '王芳,+86 138 0013 8000,Prefers mornings', 'Bad Row,12ab,', 'Li Na,+86 139 1234 5678,'].join('\n');

test('a CSV import adds contacts and reports the bad row; export and privacy mode work on them', async ({ page, previewHost }) => {
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await page.getByTestId('nav-contacts').click();
  await expect(page.getByTestId('page-title')).toHaveText('Contacts');

  await page.getByTestId('contacts-import-file').setInputFiles({ name: 'clinic.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(report.getByTestId('import-added')).toHaveText('2 contacts added');
  await expect(report.getByTestId('import-rejected-row')).toHaveCount(1);
  await expect(report.getByTestId('import-rejected-line')).toHaveText('3');
  await expect(report.getByTestId('import-rejected-value')).toHaveText('12ab');
  await expect(report.getByTestId('import-rejected-reason')).not.toHaveText('');

  // The new contacts are in the list, and one opens in the panel.
  const fang = page.getByTestId('contact-name').filter({ hasText: '王芳' });
  await expect(fang).toBeVisible();
  await expect(page.getByTestId('contact-name').filter({ hasText: 'Li Na' })).toBeVisible();
  await fang.click();
  await expect(page.getByTestId('contact-panel-name')).toHaveText('王芳');
  await expect(page.getByTestId('contact-notes')).toHaveValue('Prefers mornings');

  // Export: the save dialog (preset) answers with a path; the toast counts what was written.
  const target = join(previewHost.dataDir, 'contacts-export.csv');
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseSaveFile', answer: target })).status).toBe(200);
  await page.getByTestId('contacts-export').click();
  await expect(page.getByTestId('contacts-toast')).toHaveText(/\d+ contacts? exported to CSV/);
  const written = await readFile(target, 'utf8');
  expect(written).toContain('王芳');

  // Privacy mode: names and numbers blurred (and they stay blurred under the pointer).
  const name = fang.locator('[data-private]');
  const filterOf = () => name.evaluate((element) => (globalThis as unknown as PageWindow).getComputedStyle(element as unknown as StyledElement).filter);
  expect(await filterOf()).not.toContain('blur');
  await page.getByTestId('privacy-toggle').click();
  await expect(page.getByTestId('privacy-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await filterOf()).toContain('blur');
  await name.hover();
  expect(await filterOf()).toContain('blur');
  const panelName = page.getByTestId('contact-panel-name');
  expect(await panelName.evaluate((element) => (globalThis as unknown as PageWindow).getComputedStyle(element as unknown as StyledElement).filter)).toContain('blur');

  // The shortcut turns it off again.
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByTestId('privacy-toggle')).toHaveAttribute('aria-pressed', 'false');
  expect(await filterOf()).not.toContain('blur');
});
