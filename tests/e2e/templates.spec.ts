/**
 * Message templates in real Chromium against real core and the demo's sandbox (PRODUCT §9): a template is
 * created on the Templates page with Meta's rules checked first, goes pending, is approved by Meta's status
 * webhook (delivered by the test control), and is sent to a new chat by number — whose window is closed,
 * so the chat opens in template mode — reaching the sandbox with the value staff filled.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
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
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

interface SentTemplate {
  to: string;
  request: { type: string; template: { name: string; language: { code: string }; components?: unknown[] } };
}

test('a template is created, approved by Meta’s webhook and sent to a contact whose window is closed', async ({ page, previewHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();

  // Create: a broken name is named and nothing is submitted; fixed, the template goes to Meta as pending.
  await page.getByTestId('nav-templates').click();
  await page.getByTestId('template-new').click();
  await page.getByTestId('template-name').fill('Welcome Back');
  await page.getByTestId('template-language').fill('en_US');
  await page.getByTestId('template-category').selectOption('UTILITY');
  await page.getByTestId('template-body').fill('Hello {{1}}, your table for tonight is ready.');
  await page.getByTestId('template-body-example-1').fill('Ann');
  await expect(page.getByTestId('template-preview')).toContainText('Hello Ann, your table for tonight is ready.');
  await page.getByTestId('template-submit').click();
  await expect(page.locator('[data-testid="field-error"][data-field="name"]')).toBeVisible();
  await page.getByTestId('template-name').fill('welcome_back');
  await page.getByTestId('template-submit').click();
  const row = page.locator('[data-testid="template-row"][data-name="welcome_back"]');
  await expect(row).toHaveAttribute('data-status', 'PENDING');
  await shoot(page, 'templates-pending');

  // Meta approves it: the status webhook reaches the receiver and the row follows.
  await control(previewHost, 'templates/set-status', { name: 'welcome_back', status: 'APPROVED' });
  await expect(row).toHaveAttribute('data-status', 'APPROVED');

  // A new chat by number has no open window: template mode, pick, fill, preview, send.
  await page.getByTestId('nav-inbox').click();
  await page.getByTestId('new-chat').click();
  await page.getByTestId('new-chat-number').fill('+44 7911 123456');
  await page.getByTestId('new-chat-submit').click();
  await expect(page.getByTestId('template-panel')).toBeVisible();
  await expect(page.getByTestId('composer')).toHaveCount(0);
  await page.getByTestId('template-pick').selectOption({ label: 'welcome_back · en_US · Utility' });
  await expect(page.getByTestId('template-category-shown')).toHaveText('Category: Utility');
  await page.getByTestId('template-var-1').fill('Sam');
  await expect(page.getByTestId('template-panel').getByTestId('template-preview')).toContainText('Hello Sam, your table for tonight is ready.');
  await shoot(page, 'templates-send');
  await page.getByTestId('template-send').click();

  await expect
    .poll(async () => ((await control(previewHost, 'templates/sent')) as { sent: SentTemplate[] }).sent.find((m) => m.request.template.name === 'welcome_back') ?? null, { timeout: 15_000 })
    .toMatchObject({
      to: '447911123456',
      request: { type: 'template', template: { name: 'welcome_back', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sam' }] }] } },
    });
  const sent = (await control(previewHost, 'sandbox/sent')) as { sent: Array<{ to: string; type: string }> };
  expect(sent.sent).toContainEqual(expect.objectContaining({ to: '447911123456', type: 'template' }));
});
