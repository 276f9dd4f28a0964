/**
 * Quick replies in real Chromium against real core and the demo's sandbox (PRODUCT §7): staff create `/thanks`
 * on the Quick replies page, then in a chat with a simulated customer type `/tha`, pick it with Enter (the
 * customer's name filled in), send, and the sandbox (Meta) receives the filled text.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { PreviewHostHandle } from './fixtures';

async function control(host: PreviewHostHandle, name: string, body: unknown = {}): Promise<unknown> {
  const answer = await host.control(name, body);
  expect(answer.status, `${name}: ${JSON.stringify(answer.json)}`).toBe(200);
  return (answer.json as { value: unknown }).value;
}

async function openDemo(page: Page): Promise<void> {
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await expect(page.getByTestId('conversation-list')).toBeAttached();
}

test('create /thanks, then /tha + Enter in a chat inserts it with the customer’s name, and it is sent', async ({ page, previewHost }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);

  // The page: a new quick reply, with a field named when it is wrong.
  await page.getByTestId('nav-quick-replies').click();
  await page.getByTestId('quick-reply-new').click();
  await page.getByTestId('quick-reply-shortcut').fill('thanks now');
  await expect(page.locator('[data-testid="field-error"][data-field="shortcut"]')).toBeVisible();
  await page.getByTestId('quick-reply-shortcut').fill('thanks');
  await expect(page.locator('[data-testid="field-error"][data-field="shortcut"]')).toHaveCount(0);
  await page.getByTestId('quick-reply-text').fill('Thank you {{name}}!');
  await page.getByTestId('quick-reply-save').click();
  const row = page.getByTestId('quick-reply-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('/thanks');
  await expect(row).toContainText('Thank you {{name}}!');

  // A customer writes; staff open the chat.
  const acted = (await control(previewHost, 'sandbox/customer-act', { kind: 'text', customer: 3 })) as { customer: { name: string } };
  const name = acted.customer.name;
  await page.getByTestId('nav-inbox').click();
  const conversation = page.getByTestId('conversation-row').filter({ has: page.getByTestId('conversation-title').getByText(name, { exact: true }) });
  await conversation.click();
  await expect(page.getByTestId('chat-title')).toHaveText(name);

  // `/tha`: the picker lists it; Enter inserts it with the name filled; Enter again sends.
  const input = page.getByTestId('composer-input');
  await input.click();
  await input.pressSequentially('/tha');
  await expect(page.getByTestId('quick-reply-picker')).toBeVisible();
  await expect(page.getByTestId('quick-reply-option')).toHaveCount(1);
  await expect(page.getByTestId('quick-reply-option').first()).toContainText('/thanks');
  await input.press('Enter');
  await expect(page.getByTestId('quick-reply-picker')).toHaveCount(0);
  await expect(input).toHaveValue(`Thank you ${name}!`);
  await input.press('Enter');

  const bubble = page.locator('[data-testid="message"][data-direction="out"]').filter({ hasText: `Thank you ${name}!` });
  await expect(bubble).toHaveCount(1);
  await expect(input).toHaveValue('');
  await expect
    .poll(async () => ((await control(previewHost, 'sandbox/sent')) as { sent: Array<{ text: string | null }> }).sent.map((m) => m.text))
    .toContain(`Thank you ${name}!`);

  // The use is counted on the page.
  await page.getByTestId('nav-quick-replies').click();
  await expect(page.getByTestId('quick-reply-usage')).toContainText(/Used once/);
});
