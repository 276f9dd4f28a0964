/**
 * The vault and the archive through the real renderer: first start, setting up a business workspace with its
 * recovery key, locking, unlocking with the passphrase and with the recovery key, and searching seeded
 * messages (Chinese and English) with the hits shown in context.
 */
import { expect, test } from './fixtures';

import { passphrase, setUpBusiness } from './steps';

test.describe('workspaces, lock and search', () => {
  test('first start offers the demo and a business set-up; the demo opens in one click with its banner', async ({ page }) => {
    await expect(page.getByTestId('start-demo')).toBeVisible();
    await expect(page.getByTestId('start-setup')).toBeVisible();
    await expect(page.getByTestId('nav-inbox')).toHaveCount(0);
    await page.getByTestId('start-demo').click();
    await expect(page.getByTestId('demo-banner')).toBeVisible();
    await expect(page.getByTestId('nav-inbox')).toBeVisible();
  });

  test('set up a business, lock, unlock with the passphrase, then with the recovery key', async ({ page, previewHost }) => {
    const recoveryKey = await setUpBusiness(page);

    await page.getByTestId('lock-button').click();
    await expect(page.getByTestId('unlock-passphrase')).toBeVisible();
    await expect(page.getByTestId('nav-inbox')).toHaveCount(0);

    await page.getByTestId('unlock-passphrase').fill('not the passphrase');
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('unlock-error')).not.toHaveText('');
    await expect(page.getByTestId('nav-inbox')).toHaveCount(0);

    // The growing delay: wait it out, then the right passphrase opens.
    await expect(page.getByTestId('unlock-submit')).toBeEnabled({ timeout: 5_000 });
    await page.getByTestId('unlock-passphrase').fill(passphrase);
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('nav-inbox')).toBeVisible();

    // The OS locking the screen locks the window too.
    expect((await previewHost.control('system/lock-screen')).status).toBe(200);
    await expect(page.getByTestId('unlock-passphrase')).toBeVisible();
    await page.getByTestId('unlock-use-recovery').click();
    await page.getByTestId('unlock-recovery-key').fill(recoveryKey.replace(/ /g, '-'));
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('nav-inbox')).toBeVisible();
  });

  test('search finds seeded Chinese and English messages and shows the hits in context', async ({ page, previewHost }) => {
    await setUpBusiness(page);
    const seeded = await previewHost.control('archive/seed-messages', { count: 2000, seed: 5 });
    expect(seeded.status).toBe(200);

    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill('订单');
    const hits = page.getByTestId('search-hit');
    await expect(hits.first()).toBeVisible();
    await expect(hits.first().locator('mark').first()).toHaveText('订单');

    await page.getByTestId('search-input').fill('deliv');
    await expect(hits.first().locator('mark').first()).toHaveText(/^deliv/i);
    const firstPage = await hits.count();
    expect(firstPage).toBeGreaterThan(0);
    const more = page.getByTestId('search-more');
    if (await more.isVisible()) {
      await more.click();
      await expect.poll(() => hits.count()).toBeGreaterThan(firstPage);
    }

    // Locking hides the results; unlocking brings the app back.
    await page.getByTestId('lock-button').click();
    await expect(page.getByTestId('search-hit')).toHaveCount(0);
  });
});
