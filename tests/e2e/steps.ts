/** Steps several end-to-end tests share. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const passphrase = 'correct horse battery staple';

/** Sets up a business workspace through the wizard (recovery key read back from the screen); returns the key. */
export async function setUpBusiness(page: Page, name = 'Harbour Clinic 港湾诊所'): Promise<string> {
  await page.getByTestId('start-setup').click();
  await page.getByTestId('setup-name').fill(name);
  await page.getByTestId('setup-passphrase').fill(passphrase);
  await page.getByTestId('setup-passphrase-repeat').fill(passphrase);
  await expect(page.getByTestId('setup-strength')).not.toHaveText('');
  await page.getByTestId('setup-next').click();

  const recoveryKey = (await page.getByTestId('setup-recovery-key').innerText()).replace(/\s+/g, ' ').trim();
  const groups = recoveryKey.split(' ');
  expect(groups).toHaveLength(16);
  for (const group of groups) expect(group).toMatch(/^\d{4}$/);

  // Move on to the confirmation step: it says which two groups to type back.
  await page.getByTestId('setup-written-down').click();
  for (const index of [1, 2] as const) {
    const input = page.getByTestId(`setup-confirm-${index}`);
    const label = await input.evaluate((element) => (element as unknown as { labels?: Array<{ textContent: string | null }> }).labels?.[0]?.textContent ?? '');
    const groupNumber = Number(/(\d+)/.exec(label)?.[1]);
    expect(groupNumber, `the label of confirmation ${index} names its group`).toBeGreaterThanOrEqual(1);
    await input.fill(groups[groupNumber - 1]!);
  }
  await page.getByTestId('setup-finish').click();
  await expect(page.getByTestId('nav-inbox')).toBeVisible();
  return recoveryKey;
}
