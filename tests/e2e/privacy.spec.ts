/**
 * Transcripts, data rights and the audit log in real Chromium against real core and the demo's sandbox
 * (PRODUCT §11, §13): a customer writes; the chat's transcript is saved where the (preset) save dialog answers
 * and printed through the print port; everything about the contact is exported into the (preset) folder;
 * the contact is erased after the confirmation — gone from the inbox and from search —; the audit log lists
 * the exports and the erasure by opaque id and its chain verifies. Screenshots, English and Chinese, go to
 * test-results/screenshots/.
 */
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { PreviewHostHandle } from './fixtures';

const screenshots = 'test-results/screenshots';

interface Acted {
  customer: { name: string };
  wamid: string;
}

async function customerWrites(host: PreviewHostHandle, customer: number): Promise<Acted> {
  const acted = await host.control('sandbox/customer-act', { kind: 'text', customer });
  expect(acted.status, JSON.stringify(acted.json)).toBe(200);
  return (acted.json as { value: Acted }).value;
}

async function preset(host: PreviewHostHandle, kind: 'chooseFolder' | 'chooseSaveFile', answer: string): Promise<void> {
  const result = await host.control('dialogs/preset', { kind, answer });
  expect(result.status, JSON.stringify(result.json)).toBe(200);
}

function rowOf(page: Page, name: string): Locator {
  return page.getByTestId('conversation-row').filter({ has: page.getByTestId('conversation-title').getByText(name, { exact: true }) });
}

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}/${name}.png` });
}

/** The whole page: the main area scrolls inside the window, so the window is made tall enough for it. */
async function shootPage(page: Page, name: string): Promise<void> {
  const dismiss = page.getByTestId('privacy-toast-dismiss');
  if (await dismiss.isVisible()) await dismiss.click();
  await page.setViewportSize({ width: 1400, height: 1500 });
  await shoot(page, name);
  await page.setViewportSize({ width: 1400, height: 900 });
}

/** The text as an HTML file carries it (the exports escape every value). */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

test('export a chat and a contact, erase the contact, and find it all in the verified audit log', async ({ page, previewHost }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();

  const acted = await customerWrites(previewHost, 2);
  const name = acted.customer.name;
  await rowOf(page, name).click();
  await expect(page.getByTestId('chat-title')).toHaveText(name);
  const bubble = page.locator('[data-testid="message"]').filter({ has: page.getByTestId('message-text') }).last();
  const text = (await bubble.getByTestId('message-text').innerText()).trim();
  expect(text.length).toBeGreaterThan(0);
  const exports = await mkdtemp(join(previewHost.dataDir, 'exports-'));
  // In a narrow window the header's button keeps its name for screen readers, shown as an icon.
  await page.setViewportSize({ width: 1000, height: 800 });
  await expect(page.getByRole('button', { name: 'Export transcript…' })).toBeVisible();
  await shoot(page, 'privacy-chat-narrow-en');
  await page.setViewportSize({ width: 1400, height: 900 });

  // The transcript, saved where the save dialog answers.
  await preset(previewHost, 'chooseSaveFile', join(exports, 'chat.html'));
  await page.getByTestId('chat-export-transcript').click();
  await expect(page.getByTestId('transcript-dialog')).toBeVisible();
  await expect(page.getByTestId('transcript-title')).toContainText(name);
  await shoot(page, 'privacy-transcript-dialog-en');
  await page.getByTestId('transcript-save').click();
  await expect(page.getByTestId('privacy-toast-text')).toHaveText('Saved chat.html: one message.');
  await expect(page.getByTestId('transcript-dialog')).toHaveCount(0);
  const transcript = await readFile(join(exports, 'chat.html'), 'utf8');
  expect(transcript).toContain(escaped(text));
  expect(transcript).toContain(escaped(name));
  expect(transcript).not.toMatch(/<script/i);

  // Print / PDF: the print port gets the same page (the preview host records it instead of a print dialog).
  await page.getByTestId('chat-export-transcript').click();
  await page.getByTestId('transcript-print').click();
  await expect(page.getByTestId('privacy-toast-text')).toHaveText('Sent to the printer: one message.');
  const printed = (await previewHost.control('print/requests')).json as { value: { requests: Array<{ title: string; html: string }> } };
  expect(printed.value.requests).toHaveLength(1);
  expect(printed.value.requests[0]!.html).toContain(escaped(text));
  expect(printed.value.requests[0]!.title).toContain(name);

  // Everything about the contact, into the folder the folder dialog answers.
  await page.getByTestId('chat-contact-toggle').click();
  await expect(page.getByTestId('contact-panel-name')).toHaveText(name);
  await preset(previewHost, 'chooseFolder', exports);
  await page.getByTestId('contact-export-all').click();
  await expect(page.getByTestId('privacy-toast-text')).toHaveText(/^Exported to the folder frontdesk-contact-\d+-\d{4}-\d{2}-\d{2}: one message and no files\.$/);
  const bundles = (await readdir(exports)).filter((entry) => entry.startsWith('frontdesk-contact-'));
  expect(bundles).toHaveLength(1);
  const bundle = join(exports, bundles[0]!);
  expect((await readdir(bundle)).sort()).toEqual(['contact.html', 'contact.json', 'media']);
  const json = JSON.parse(await readFile(join(bundle, 'contact.json'), 'utf8')) as { contact: { id: number; displayName: string }; messages: Array<{ text: string | null }> };
  expect(json.contact.displayName).toBe(name);
  expect(json.messages.map((m) => m.text)).toEqual([text]);
  expect(await readFile(join(bundle, 'contact.html'), 'utf8')).toContain(escaped(text));
  const contactId = json.contact.id;

  // Erase: the confirmation names what goes and waits for the word.
  await page.getByTestId('contact-erase').click();
  await expect(page.getByTestId('erase-dialog')).toBeVisible();
  await expect(page.getByTestId('erase-count-messages')).toHaveText('their messages: one message, in one conversation');
  await expect(page.getByTestId('erase-confirm')).toBeDisabled();
  await page.getByTestId('erase-word').fill('ERASE');
  await shoot(page, 'privacy-erase-dialog-en');
  await page.getByTestId('erase-confirm').click();
  await expect(page.getByTestId('privacy-toast-text')).toHaveText('The contact was erased: one message and no files deleted.');
  await expect(page).toHaveURL(/#\/inbox$/);
  await expect(page.getByTestId('chat-header')).toHaveCount(0);
  await expect(rowOf(page, name)).toHaveCount(0);

  // Search finds nothing of them.
  const word = text.split(/[\s,.!?，。！？]+/).find((w) => w.length >= 3) ?? text;
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(word);
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-status')).not.toHaveText('');
  await expect(page.getByTestId('search-hit-contact').filter({ hasText: name })).toHaveCount(0);

  // The audit log: the exports and the erasure, by opaque id, and the chain holds.
  await page.getByTestId('nav-backups').click();
  await expect(page.getByTestId('page-title')).toHaveText('Backups & privacy');
  const entry = (action: string) => page.locator(`[data-testid="audit-entry"][data-action="${action}"]`);
  await expect(entry('privacy.contact-erased')).toHaveCount(1);
  await expect(entry('privacy.contact-erased').getByTestId('audit-entry-action')).toHaveText('Contact erased');
  await expect(entry('privacy.contact-erased').getByTestId('audit-entry-subject')).toHaveText(`contact:${contactId}`);
  await expect(entry('privacy.contact-exported').getByTestId('audit-entry-subject')).toHaveText(`contact:${contactId}`);
  await expect(entry('privacy.transcript-exported')).toHaveCount(2);
  await expect(page.getByTestId('audit-entries')).not.toContainText(name);
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verify-ok')).toHaveText(/^The chain holds: all \d+ entries are intact\.$/);

  // Retention: what a setting would delete is shown before it is saved.
  await page.getByTestId('retention-months').fill('1');
  await expect(page.getByTestId('retention-preview')).toHaveText(/^With one month: nothing is older than .+ yet\./);
  await expect(page.getByTestId('retention-state')).toContainText('Not saved yet.');
  await shootPage(page, 'privacy-backups-page-en');

  // The same page and dialogs in Chinese.
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(page.getByTestId('page-title')).toHaveText('备份与隐私');
  await expect(entry('privacy.contact-erased').getByTestId('audit-entry-action')).toHaveText('已彻底删除联系人');
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verify-ok')).toHaveText(/^哈希链完好：全部 \d+ 条记录均未被改动。$/);
  await shootPage(page, 'privacy-backups-page-zh');

  const other = await customerWrites(previewHost, 3);
  await page.getByTestId('nav-inbox').click();
  await rowOf(page, other.customer.name).click();
  await expect(page.getByTestId('chat-title')).toHaveText(other.customer.name);
  await page.getByTestId('chat-export-transcript').click();
  await expect(page.getByTestId('transcript-dialog')).toContainText('另存为 HTML…');
  await shoot(page, 'privacy-transcript-dialog-zh');
  await page.getByTestId('transcript-cancel').click();
  await page.getByTestId('chat-contact-toggle').click();
  await expect(page.getByTestId('contact-data-rights')).toContainText('数据权利');
  await shoot(page, 'privacy-contact-panel-zh');
  await page.getByTestId('contact-erase').click();
  await expect(page.getByTestId('erase-count-messages')).toHaveText('其消息：1 条消息，共 1 个对话');
  await shoot(page, 'privacy-erase-dialog-zh');
  await page.getByTestId('erase-cancel').click();
  await expect(page.getByTestId('erase-dialog')).toHaveCount(0);
  await expect(rowOf(page, other.customer.name)).toHaveCount(1);
});
