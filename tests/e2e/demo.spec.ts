/**
 * The demo workspace is live in the page: a simulated customer's message and the statuses of the desk's
 * reply arrive as events through window.frontdesk, pushed by core (never polled, never computed in the page).
 */
import { expect, test } from './fixtures';

test('simulated customers’ messages and statuses reach the page live', async ({ page, previewHost }) => {
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await page.evaluate(() => {
    const w = globalThis as unknown as { frontdesk: { on(name: string, handler: (payload: unknown) => void): () => void }; seen: Array<[string, unknown]> };
    w.seen = [];
    for (const name of ['messages:received', 'messages:status', 'conversations:window']) w.frontdesk.on(name, (payload) => w.seen.push([name, payload]));
  });
  const acted = await previewHost.control('sandbox/customer-act', { kind: 'text', customer: 1 });
  expect(acted.status).toBe(200);
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { seen: Array<[string]> }).seen.map(([name]) => name))).toContain('messages:received');
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { seen: Array<[string]> }).seen.map(([name]) => name))).toContain('conversations:window');

  // The receiver's counters on the settings page count the webhook the customer's message came in.
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('webhook-accepted')).not.toHaveText('0');
  await expect(page.getByTestId('webhook-processed')).not.toHaveText('0');
});
