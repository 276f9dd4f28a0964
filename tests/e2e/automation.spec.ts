/**
 * Business profile, business hours and the away message in real Chromium against real core and the demo's
 * sandbox (PRODUCT §4, §5, §6): the profile is edited and reaches the sandbox; hours with an overnight
 * interval are set; the away message is enabled after its dry run; a simulated customer writes outside the
 * hours and receives it once, however many times they write. Screenshots go to test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { dayKeys } from '../../shared/rules/business-hours';
import { expect, test } from './fixtures';
import type { PreviewHostHandle } from './fixtures';

const screenshots = 'test-results/screenshots';

async function control(host: PreviewHostHandle, name: string, body: unknown = {}): Promise<unknown> {
  const answer = await host.control(name, body);
  expect(answer.status, `${name}: ${JSON.stringify(answer.json)}`).toBe(200);
  return (answer.json as { value: unknown }).value;
}

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshots}/${name}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

interface Sent {
  to: string;
  type: string;
  text: string | null;
}

test('the profile is saved to the sandbox; hours with an overnight interval; the away message reaches a customer once', async ({ page, previewHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();

  // The business profile: a wrong email is named and nothing is sent; fixed, it reaches the sandbox.
  await page.getByTestId('nav-profile').click();
  await expect(page.getByTestId('profile-about')).toBeEditable();
  await page.getByTestId('profile-about').fill('Fresh flowers every day 🌷 鲜花每日到店');
  await page.getByTestId('profile-address').fill('12 Market Street, London');
  await page.getByTestId('profile-email').fill('hello@flowers');
  await page.getByTestId('profile-website-0').fill('https://flowers.example/');
  await page.getByTestId('profile-vertical').selectOption('RETAIL');
  await page.getByTestId('profile-save').click();
  await expect(page.locator('[data-testid="field-error"][data-field="email"]')).toBeVisible();
  expect(((await control(previewHost, 'sandbox/profile')) as { profile: { email?: string } }).profile.email).not.toBe('hello@flowers');
  await page.getByTestId('profile-email').fill('hello@flowers.example');
  await page.getByTestId('profile-save').click();
  await expect(page.getByTestId('profile-saved')).toBeVisible();
  await expect
    .poll(async () => ((await control(previewHost, 'sandbox/profile')) as { profile: Record<string, unknown> }).profile)
    .toMatchObject({ about: 'Fresh flowers every day 🌷 鲜花每日到店', email: 'hello@flowers.example', websites: ['https://flowers.example/'], vertical: 'RETAIL' });
  await shoot(page, 'profile-en');

  // Business hours in UTC: closed every day but one, three days from now, open 21:00–02:00 overnight — so
  // the business is closed now whatever time the test runs.
  await page.getByTestId('nav-automation').click();
  await page.getByTestId('automation-tab-hours').click();
  await page.getByTestId('hours-timezone').fill('UTC');
  const openDay = dayKeys[(new Date().getUTCDay() + 6 + 3) % 7]!;
  for (const day of dayKeys) {
    await page.getByTestId(`hours-mode-${day}`).selectOption(day === openDay ? 'open' : 'closed');
  }
  await page.getByTestId(`hours-start-${openDay}-0`).fill('21:00');
  await page.getByTestId(`hours-end-${openDay}-0`).fill('02:00');
  await page.getByTestId(`hours-end-${openDay}-0`).blur();
  await page.getByTestId('hours-save').click();
  await expect(page.getByTestId('hours-saved')).toBeVisible();
  await expect(page.getByTestId('hours-week-view')).toBeVisible();
  await expect(page.getByTestId('hours-state')).toContainText(/closed/i);
  await shoot(page, 'hours-en');

  // The away message: saving shows the dry run first (nobody wrote in the last week: nothing), then confirms.
  await page.getByTestId('automation-tab-replies').click();
  await page.getByTestId('away-enabled').check();
  await page.getByTestId('away-mode').selectOption('outsideHours');
  await page.getByTestId('away-text').fill('Thanks for writing! We are closed and will answer when we open ({{next_open}}).');
  await expect(page.getByTestId('reply-preview-away')).toContainText('Thanks for writing! We are closed');
  await page.getByTestId('automation-save').click();
  await expect(page.getByTestId('dry-run-list')).toBeVisible();
  await expect(page.getByTestId('dry-run-empty')).toBeVisible();
  await page.getByTestId('dry-run-confirm').click();
  await expect(page.getByTestId('automation-saved')).toBeVisible();

  // A customer writes three times outside the hours: one away message (to them; others may write on their own).
  let customer: { name: string; waId?: string; userId: string } | null = null;
  for (let i = 0; i < 3; i++) customer = ((await control(previewHost, 'sandbox/customer-act', { kind: 'text', customer: 2 })) as { customer: typeof customer }).customer;
  const to = customer!.waId ?? customer!.userId;
  const sentTexts = async () =>
    ((await control(previewHost, 'sandbox/sent')) as { sent: Sent[] }).sent.filter((m) => m.type === 'text' && m.to === to).map((m) => m.text);
  await expect.poll(sentTexts).toHaveLength(1);
  const [away] = await sentTexts();
  expect(away).toMatch(/^Thanks for writing! We are closed and will answer when we open \(.+ 21:00\)\.$/);
  // Time for a second one to have been sent, had it been.
  await page.waitForTimeout(500);
  expect(await sentTexts()).toHaveLength(1);

  // The chat shows it once, marked automatic; the automation log lists it with the customer's message.
  await page.getByTestId('nav-inbox').click();
  await page
    .getByTestId('conversation-row')
    .filter({ has: page.getByTestId('conversation-title').getByText(customer!.name, { exact: true }) })
    .click();
  await expect(page.getByTestId('message-automatic')).toHaveCount(1);
  await page.getByTestId('nav-automation').click();
  await page.getByTestId('automation-tab-log').click();
  const entry = page.getByTestId('automation-log-entry').filter({ hasText: customer!.name });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('Thanks for writing!');
  await shoot(page, 'automation-log-en');
});
