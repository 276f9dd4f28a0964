/**
 * Labels in real Chromium against real core and the demo's sandbox (PRODUCT §8): the default set on the Labels
 * page, a new label created there, put on a chat from its menu and on a message from the message menu; the
 * inbox filtered by it shows only that chat, the label's message view lists the message and opens the chat at
 * it, and deleting the label names how many assignments go.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { PreviewHostHandle } from './fixtures';

interface Acted {
  customer: { name: string };
  wamid: string;
}

async function customerWrites(host: PreviewHostHandle, customer: number): Promise<Acted> {
  const acted = await host.control('sandbox/customer-act', { kind: 'text', customer });
  expect(acted.status, JSON.stringify(acted.json)).toBe(200);
  return (acted.json as { value: Acted }).value;
}

function rowOf(page: Page, name: string): Locator {
  return page.getByTestId('conversation-row').filter({ has: page.getByTestId('conversation-title').getByText(name, { exact: true }) });
}

function labelOption(page: Page, name: string): Locator {
  return page.locator(`[data-testid="label-option"][data-label-name="${name}"]`);
}

test('create a label, put it on a chat and a message, filter by it, see the message in its view, delete it', async ({ page, previewHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();

  const first = await customerWrites(previewHost, 1);
  const second = await customerWrites(previewHost, 2);
  const [chosen, other] = [first.customer.name, second.customer.name];
  await expect(rowOf(page, chosen)).toBeVisible();
  await expect(rowOf(page, other)).toBeVisible();

  // The Labels page: the default set, then a new one.
  await page.getByTestId('nav-labels').click();
  const rows = page.getByTestId('label-row');
  await expect(rows.first()).toContainText('New customer');
  await expect(rows).toHaveCount(6);
  await page.getByTestId('label-new-name').fill('Wholesale 批发');
  await page.getByTestId('label-colour-7').check();
  await page.getByTestId('label-create').click();
  await expect(rows).toHaveCount(7);
  const row = page.locator('[data-testid="label-row"][data-label-name="Wholesale 批发"]');
  await expect(row.getByTestId('label-counts')).toContainText('No conversations');
  // Another label's name in another case is refused, naming why.
  await page.getByTestId('label-new-name').fill('paid');
  await page.getByTestId('label-create').click();
  await expect(page.getByTestId('label-new-name-error')).toContainText('already used');

  // On a chat, from the conversation menu.
  await page.getByTestId('nav-inbox').click();
  const chatRow = rowOf(page, chosen);
  await chatRow.hover();
  await chatRow.getByTestId('conversation-menu-button').click();
  await page.getByTestId('conversation-action-labels').click();
  await labelOption(page, 'Wholesale 批发').check();
  await expect(chatRow.getByTestId('label-chip')).toContainText('Wholesale 批发');
  await page.keyboard.press('Escape');

  // On a message, from the message menu.
  await chatRow.click();
  const bubble = page.getByTestId('message').filter({ hasText: /./ }).last();
  await expect(bubble).toBeVisible();
  await bubble.hover();
  await bubble.getByTestId('message-menu-button').click();
  await page.getByTestId('message-action-labels').click();
  await labelOption(page, 'Wholesale 批发').check();
  await expect(labelOption(page, 'Wholesale 批发')).toBeChecked();
  await page.keyboard.press('Escape');
  // The message shows its label in the chat.
  await expect(bubble.getByTestId('message-labels')).toContainText('Wholesale 批发');

  // The filter: only that chat, with the count beside the label.
  await page.getByTestId('filter-labels-toggle').click();
  const filter = page.locator('[data-testid^="filter-label-"][data-label-name="Wholesale 批发"]');
  await expect(page.getByTestId('filter-labels').getByTestId('label-chip').filter({ hasText: 'Wholesale 批发' })).toContainText('1');
  await filter.check();
  await expect(page.getByTestId('conversation-row')).toHaveCount(1);
  await expect(rowOf(page, chosen)).toBeVisible();
  await expect(rowOf(page, other)).toHaveCount(0);
  await filter.uncheck();
  await expect(rowOf(page, other)).toBeVisible();

  // The label's messages: the message, and a click opens the chat at it.
  await page.getByTestId('nav-labels').click();
  await expect(row.getByTestId('label-counts')).toContainText('One conversation');
  await expect(row.getByTestId('label-counts')).toContainText('one message');
  await row.getByTestId('label-show-messages').click();
  const entry = page.getByTestId('label-message');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(chosen);
  await entry.click();
  await expect(page).toHaveURL(/#\/inbox\?conversation=\d+&message=\d+/);
  await expect(page.getByTestId('chat-title')).toHaveText(chosen);

  // Delete: the confirmation names the count, then the label and its chip are gone.
  await page.getByTestId('nav-labels').click();
  await row.getByTestId('label-delete').click();
  await expect(page.getByTestId('label-delete-count')).toContainText('one conversation');
  await expect(page.getByTestId('label-delete-count')).toContainText('one message');
  await page.getByTestId('label-delete-confirm').click();
  await expect(rows).toHaveCount(6);
  await page.getByTestId('nav-inbox').click();
  await expect(rowOf(page, chosen).getByTestId('label-chip')).toHaveCount(0);
});
