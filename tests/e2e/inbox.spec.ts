/**
 * The inbox in real Chromium against real core and the demo's sandbox (PRODUCT §2): a simulated customer
 * writes and the conversation appears live, unread; staff open it (Meta hears it was read), answer, answer a
 * message, react, send a picture; the ticks follow Meta's statuses; 24 hours later the composer offers
 * templates. Filters narrow the list, a new chat by number opens in template mode, and 100,000 conversations
 * keep the DOM small. Screenshots, light and dark, English and Chinese, go to test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { PreviewHostHandle } from './fixtures';

const screenshots = 'test-results/screenshots';
const minute = 60_000;
const hour = 60 * minute;

/** A 2×2 red PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

async function openDemo(page: Page): Promise<void> {
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await expect(page.getByTestId('conversation-list')).toBeAttached();
}

interface Acted {
  customer: { name: string };
  wamid: string;
}

async function customerWrites(host: PreviewHostHandle, customer: number, kind: 'text' | 'image' | 'document' = 'text'): Promise<Acted> {
  const acted = await host.control('sandbox/customer-act', { kind, customer });
  expect(acted.status, JSON.stringify(acted.json)).toBe(200);
  return (acted.json as { value: Acted }).value;
}

async function control(host: PreviewHostHandle, name: string, body: unknown = {}): Promise<unknown> {
  const answer = await host.control(name, body);
  expect(answer.status, `${name}: ${JSON.stringify(answer.json)}`).toBe(200);
  return (answer.json as { value: unknown }).value;
}

function rowOf(page: Page, name: string): Locator {
  return page.getByTestId('conversation-row').filter({ has: page.getByTestId('conversation-title').getByText(name, { exact: true }) });
}

async function menuOf(page: Page, bubble: Locator): Promise<void> {
  await bubble.hover();
  await bubble.getByTestId('message-menu-button').click();
  await expect(page.getByTestId('message-menu')).toBeVisible();
}

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshots}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a customer writes; staff read, answer, quote, react and send a picture; ticks follow; 24 hours later only templates', async ({ page, previewHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);

  const first = await customerWrites(previewHost, 2);
  const name = first.customer.name;
  const row = rowOf(page, name);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('unread-badge')).toHaveText('1');
  await expect(page.getByTestId('inbox-unread-total')).toBeVisible();
  const second = await customerWrites(previewHost, 2);
  await expect(row.getByTestId('unread-badge')).toHaveText('2');
  await expect(row.getByTestId('conversation-preview')).not.toHaveText('');
  await shoot(page, 'inbox-en');

  // Opening it reads it: the badge goes, and Meta is told (blue ticks on the customer's phone: the newest
  // message read marks the ones before it read too).
  await row.click();
  await expect(page.getByTestId('chat-title')).toHaveText(name);
  await expect(page).toHaveURL(/#\/inbox\?conversation=\d+$/);
  await expect(row.getByTestId('unread-badge')).toHaveCount(0);
  await expect.poll(async () => ((await control(previewHost, 'sandbox/read-receipts')) as { reads: Array<{ messageId: string }> }).reads.map((r) => r.messageId)).toContain(second.wamid);
  await expect(page.getByTestId('window-countdown')).toContainText(/2[34] h \d+ min left/);
  const inbound = page.locator('[data-testid="message"][data-direction="in"]');
  await expect(inbound).toHaveCount(2);

  // A reply, Enter to send: it goes out and its ticks move on.
  const input = page.getByTestId('composer-input');
  await input.fill('Hello! Thanks for writing to us.');
  await input.press('Enter');
  const reply = page.locator('[data-testid="message"][data-direction="out"]').filter({ hasText: 'Hello! Thanks for writing to us.' });
  await expect(reply).toHaveCount(1);
  await expect(input).toHaveValue('');
  await expect(reply.getByTestId('ticks')).toHaveAttribute('data-state', /^(sent|delivered|read)$/);

  // Answering one message: the reply-to bar, then the quote on the sent bubble.
  await menuOf(page, inbound.first());
  await page.getByTestId('message-action-reply').click();
  await expect(page.getByTestId('reply-bar')).toBeVisible();
  await input.fill('About this one: yes, Tuesday is fine.');
  await input.press('Enter');
  const quoted = page.locator('[data-testid="message"][data-direction="out"]').filter({ hasText: 'About this one' });
  await expect(quoted.getByTestId('message-quote')).toBeVisible();
  await expect(page.getByTestId('reply-bar')).toHaveCount(0);

  // A reaction from the desk shows on the customer's message.
  await menuOf(page, inbound.last());
  await page.getByTestId('react-👍').click();
  await expect(inbound.last().getByTestId('message-reactions')).toContainText('👍');

  // A picture: checked, read as bytes, sent, and shown from the media route.
  await page.getByTestId('attach-input').setInputFiles({ name: 'smile.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByTestId('composer-attachment')).toContainText('smile.png');
  await input.fill('Our new waiting room');
  await page.getByTestId('composer-send').click();
  const picture = page.locator('[data-testid="message"][data-direction="out"][data-type="image"]');
  await expect(picture).toHaveCount(1);
  await expect(picture.getByTestId('message-caption')).toHaveText('Our new waiting room');
  await expect.poll(() => picture.getByTestId('message-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(2);

  // A file Meta would refuse is refused here first, with the reason.
  await page.getByTestId('attach-input').setInputFiles({ name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
  await expect(page.getByTestId('attach-refused')).toContainText('image/gif');

  // Meta's statuses come in on the sandbox's (virtual) clock: sent → delivered → read. A simulated customer
  // reads most messages but not all (as people do): another message goes until one has been read.
  const outbound = page.locator('[data-testid="message"][data-direction="out"]:not([data-type="reaction"]) [data-testid="ticks"]');
  const states = () => outbound.evaluateAll((ticks) => ticks.map((tick) => tick.getAttribute('data-state') ?? ''));
  // Every message accepted by Meta before the clock moves (statuses are scheduled from the send).
  await expect.poll(async () => (await states()).filter((state) => state === 'pending')).toEqual([]);
  await control(previewHost, 'clock/advance', { ms: 10 * 1000 });
  await expect.poll(async () => (await states()).some((state) => state === 'delivered' || state === 'read')).toBe(true);
  for (let attempt = 0; attempt < 5 && !(await states()).includes('read'); attempt++) {
    if (attempt > 0) {
      const text = `Are you still there? (${attempt})`;
      await input.fill(text);
      await input.press('Enter');
      // Meta must have accepted it before the clock moves, or its statuses are scheduled after the jump.
      const sent = page.locator('[data-testid="message"][data-direction="out"]').filter({ hasText: text });
      await expect(sent.getByTestId('ticks')).toHaveAttribute('data-state', /^(sent|delivered|read)$/);
    }
    await control(previewHost, 'clock/advance', { ms: 15 * minute });
    await expect.poll(async () => (await states()).filter((state) => state === 'sent' || state === 'pending')).toEqual([]);
  }
  expect(await states()).toContain('read');
  for (const state of await states()) expect(['delivered', 'read']).toContain(state);
  await expect(page.locator('[data-testid="ticks"][data-state="read"]').first()).toHaveClass(/ticks-read/);
  await shoot(page, 'chat-en');

  // The same screens in Chinese.
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(page.getByTestId('page-title')).toHaveText('收件箱');
  await expect(page.getByTestId('window-countdown')).toContainText('可回复');
  await shoot(page, 'chat-zh');
  await page.getByTestId('language-select').selectOption('en');

  // 24 hours after the customer's last message the window closes: core says so, and the composer gives way.
  await control(previewHost, 'clock/advance', { ms: 24 * hour });
  await expect(page.getByTestId('window-closed')).toBeVisible();
  await expect(page.getByTestId('template-panel')).toBeVisible();
  await expect(page.getByTestId('templates-empty')).toHaveText(/No approved templates yet/);
  await expect(page.getByTestId('composer')).toHaveCount(0);
});

test('filters narrow the list: unread, and a label', async ({ page, previewHost }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);
  const names: string[] = [];
  for (const customer of [0, 1, 4]) names.push((await customerWrites(previewHost, customer)).customer.name);
  for (const name of names) await expect(rowOf(page, name)).toBeVisible();

  // Reading one leaves the others unread.
  await rowOf(page, names[0]!).click();
  await expect(page.getByTestId('chat-title')).toHaveText(names[0]!);
  await expect(rowOf(page, names[0]!).getByTestId('unread-badge')).toHaveCount(0);
  await page.getByTestId('filter-unread').click();
  await expect(page.getByTestId('filter-unread')).toHaveAttribute('aria-pressed', 'true');
  await expect(rowOf(page, names[0]!)).toHaveCount(0);
  await expect(rowOf(page, names[1]!)).toBeVisible();
  await expect(rowOf(page, names[2]!)).toBeVisible();
  await page.getByTestId('filter-unread').click();
  await expect(rowOf(page, names[0]!)).toBeVisible();

  // A label on one conversation, then the label filter.
  const label = (await control(previewHost, 'labels/create', { name: 'VIP 贵宾', colour: 11 })) as { id: number };
  const conversationId = Number(await rowOf(page, names[1]!).getAttribute('data-conversation-id'));
  await control(previewHost, 'labels/assign', { conversationId, labelId: label.id });
  await expect(rowOf(page, names[1]!).getByTestId('label-chip')).toContainText('VIP 贵宾');
  await page.getByTestId('filter-labels-toggle').click();
  await page.getByTestId(`filter-label-${label.id}`).check();
  await expect(page.getByTestId('conversation-row')).toHaveCount(1);
  await expect(rowOf(page, names[1]!)).toBeVisible();
  await expect(page.getByTestId('inbox-count')).toHaveText('One conversation');
  await page.getByTestId('filter-label-' + label.id).uncheck();
  await expect(rowOf(page, names[2]!)).toBeVisible();

  // Keyboard: Ctrl+K to search, ↓ into the list, Enter opens.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('inbox-search')).toBeFocused();
  await page.getByTestId('inbox-search').fill(names[2]!);
  await expect(page.getByTestId('conversation-row')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('conversation-list')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chat-title')).toHaveText(names[2]!);
});

test('a new chat by number opens in template mode', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);
  await page.getByTestId('new-chat').click();
  const number = page.getByTestId('new-chat-number');
  await number.fill('07911 123456');
  await expect(page.getByTestId('new-chat-problem')).toContainText('country code');
  await number.fill('+44 7911 123456');
  await expect(page.getByTestId('new-chat-formatted')).toHaveText('Will open +44 7911 123456');
  await page.getByTestId('new-chat-submit').click();
  await expect(page.getByTestId('new-chat-dialog')).toHaveCount(0);
  await expect(page.getByTestId('chat-title')).toContainText('+44 7911 123456');
  await expect(page.getByTestId('window-closed')).toBeVisible();
  await expect(page.getByTestId('template-panel')).toBeVisible();
  await expect(page.getByTestId('composer')).toHaveCount(0);
  await expect(rowOf(page, '+44 7911 123456')).toBeVisible();
  await shoot(page, 'new-chat-en');
});

test('100,000 conversations: the list keeps fewer than 100 rows in the DOM while scrolling', async ({ page, previewHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);
  const seeded = (await control(previewHost, 'inbox/seed-conversations', { count: 100_000 })) as { conversations: number };
  expect(seeded.conversations).toBe(100_000);
  // The control tells the page (conversations:changed): the list grows live, no reload.
  const list = page.getByTestId('conversation-list');
  await expect(list).toHaveAttribute('data-total', /^1\d{5}$/);
  expect(Number(await list.getAttribute('data-total'))).toBeGreaterThanOrEqual(100_000);

  const inDom = () => page.locator('[data-testid="conversation-row"], [data-testid="conversation-row-placeholder"]').count();
  const height = await list.evaluate((element) => element.scrollHeight);
  for (const fraction of [0, 0.1, 0.37, 0.5, 0.83, 0.999, 0.2]) {
    await list.evaluate((element, f) => {
      element.scrollTop = Math.floor(element.scrollHeight * f);
    }, fraction);
    // The rows there are fetched (offset/limit) and drawn; the placeholders go.
    await expect(page.getByTestId('conversation-row').first()).toBeVisible();
    await expect(page.getByTestId('conversation-row-placeholder')).toHaveCount(0);
    expect(await inDom()).toBeLessThan(100);
  }
  // Wheel scrolling too, and the keyboard's End.
  await list.hover();
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 4000);
  expect(await inDom()).toBeLessThan(100);
  await list.focus();
  await page.keyboard.press('End');
  await expect(page.locator(`[data-testid="conversation-row"][aria-posinset="${await list.getAttribute('data-total')}"]`)).toBeVisible();
  expect(await inDom()).toBeLessThan(100);
  expect(height).toBeGreaterThan(1_000_000);
});

test('a long chat scrolls back page by page, keeping its place, and search jumps to a message', async ({ page, previewHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);
  await control(previewHost, 'archive/seed-messages', { count: 400, contacts: 1, seed: 3 });
  await page.reload();
  await page.getByTestId('conversation-row').first().click();
  const messages = page.getByTestId('message');
  await expect(messages).toHaveCount(50);
  await expect(page.getByTestId('load-older')).toBeVisible();
  // Opening shows the newest messages, at the bottom.
  const list = page.getByTestId('message-list');
  await expect.poll(() => list.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)).toBeLessThan(80);

  // To the top: the page before is prepended, and the message that was first stays where it was on screen.
  const firstId = await messages.first().getAttribute('data-message-id');
  const offsetOf = (id: string) =>
    list.evaluate((element, messageId) => {
      const target = element.querySelector(`[data-message-id="${messageId}"]`);
      return target ? target.getBoundingClientRect().top - element.getBoundingClientRect().top : NaN;
    }, id);
  await list.evaluate((element) => {
    element.scrollTop = 0;
  });
  const before = await offsetOf(firstId!);
  await expect(messages).toHaveCount(100);
  expect(Math.abs((await offsetOf(firstId!)) - before)).toBeLessThan(60);
  for (let i = 0; i < 10 && !(await page.getByTestId('chat-start').isVisible()); i++) {
    await list.evaluate((element) => {
      element.scrollTop = 0;
    });
    await page.waitForTimeout(150);
  }
  await expect(page.getByTestId('chat-start')).toBeVisible();
  await expect(messages).toHaveCount(400);

  // Search finds a word; its oldest hit on the page opens the chat there, highlighted.
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill('jacket');
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  const hit = hits.last();
  const messageId = await hit.getAttribute('data-message-id');
  await hit.getByTestId('search-hit-link').click();
  await expect(page).toHaveURL(new RegExp(`#/inbox\\?conversation=\\d+&message=${messageId}$`));
  const target = page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
  await expect(target).toHaveClass(/highlighted/);
  await expect(target).toBeInViewport();
  await expect(target).toContainText(/jacket/i);
});

test('screenshots of the inbox and a chat, light and dark, in Chinese', async ({ page, previewHost }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openDemo(page);
  await page.getByTestId('language-select').selectOption('zh-CN');
  const acted = [];
  for (const customer of [1, 3, 5]) acted.push(await customerWrites(previewHost, customer));
  await customerWrites(previewHost, 1, 'image');
  await customerWrites(previewHost, 3, 'document');
  const row = rowOf(page, acted[0]!.customer.name);
  await expect(row).toBeVisible();
  await shoot(page, 'inbox-zh');
  await row.click();
  await expect(page.getByTestId('chat-title')).toHaveText(acted[0]!.customer.name);
  await expect(page.locator('[data-testid="message"][data-type="image"]')).toHaveCount(1);
  await expect(page.getByTestId('chat-pane')).toContainText('今天');
  await shoot(page, 'chat-zh-customer');
});
