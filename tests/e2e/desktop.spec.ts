/**
 * Settings › This computer in real Chromium against real core (the preview host stands in for main, as a
 * development build does): updates are off, launch at login is not offered, and the diagnostics file is saved
 * where the (preset) dialog says, as a zip that holds no customer data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from './fixtures';

test('save a diagnostics file from Settings, with no customer data in it', async ({ page, previewHost }) => {
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  const text = 'Is the 7:30 table by the window still free? 靠窗的座位还有吗？';
  const acted = await previewHost.control('sandbox/customer-act', { kind: 'text', customer: 1, text });
  expect(acted.status, JSON.stringify(acted.json)).toBe(200);
  const customer = (acted.json as { value: { customer: { name: string } } }).value.customer.name;
  await expect(page.getByTestId('conversation-title').getByText(customer, { exact: true })).toBeVisible();

  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('desktop-section');
  await expect(section.getByTestId('update-status')).toHaveText('Updates are off in this development build.');
  await expect(section.getByTestId('launch-at-login')).toBeDisabled();

  const path = join(previewHost.dataDir, 'frontdesk-diagnostics.zip');
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseSaveFile', answer: path })).status).toBe(200);
  await section.getByTestId('export-diagnostics').click();
  await expect(section.getByTestId('diagnostics-status')).toHaveText('Saved frontdesk-diagnostics.zip.');

  const files = unzipSync(readFileSync(path));
  expect(Object.keys(files).sort()).toEqual(['README.txt', 'about.json', 'health.json', 'logs/frontdesk.log', 'settings.json']);
  expect(JSON.parse(strFromU8(files['about.json']!))).toMatchObject({ app: 'Frontdesk', transport: 'preview' });
  const everything = Object.values(files).map((bytes) => strFromU8(bytes)).join('\n');
  for (const secret of [text, customer]) expect(everything).not.toContain(secret);
});
