/**
 * Statistics in real Chromium against real core (issue 8, PRODUCT §10): the demo workspace with a month of
 * history (test control `stats/seed-history`). The page draws its charts (canvas, non-empty, no CSP violation:
 * the fixture fails the test on any) and a click on one opens its messages; clicking "Failed" lists exactly the
 * failed messages with Meta's reasons, and a row opens the chat at that message; the per-label table exported
 * through the (preset) save dialog holds the rows the page shows; the page in Chinese, and in the dark theme.
 * Screenshots (English, Chinese, dark) are written to the test's output folder.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { parseCsv } from '../../electron/core/contacts/csv';
import { expect, test } from './fixtures';

interface History {
  messages: number;
  failed: Array<{ messageId: number; code: number }>;
}

/** Painted pixels of each chart (its canvases added up: ECharts may paint some layers on canvases of their own). */
async function paintedPixels(page: Page): Promise<number[]> {
  return page.locator('[data-testid^="stats-chart-"]:has(canvas)').evaluateAll((charts) =>
    charts.map((chart) => {
      let painted = 0;
      for (const node of Array.from((chart as unknown as { querySelectorAll(s: string): ArrayLike<unknown> }).querySelectorAll('canvas'))) {
        const canvas = node as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
        const data = canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data : undefined;
        if (data) for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      }
      return painted;
    }),
  );
}

/** The sum of the funnel's painted colours: changes when the chart is drawn in other colours. */
async function funnelColours(page: Page): Promise<number> {
  return page.getByTestId('stats-chart-funnel').locator('canvas').first().evaluate((node) => {
    const canvas = node as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0) sum += data[i]! + data[i + 1]! + data[i + 2]!;
    return sum;
  });
}

/** "1 h 5 min", "20 min", "45 s", "—" → minutes (null for —), as the CSV writes them. */
function minutesOfText(text: string): number | null {
  if (text.trim() === '—') return null;
  const unit = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return unit(/(\d+)\s*d\b/) * 1440 + unit(/(\d+)\s*h\b/) * 60 + unit(/(\d+)\s*min/) + unit(/(\d+)\s*s\b/) / 60;
}

const numberOf = (text: string) => Number(text.replace(/[^\d.]/g, ''));

/** The whole page in one picture: the app scrolls inside its main area, so the window is made tall enough for it. */
async function screenshotWhole(page: Page, path: string): Promise<void> {
  const size = page.viewportSize()!;
  const height = await page.locator('main').evaluate((main) => (main as unknown as { scrollHeight: number }).scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.min(height + 200, 6000) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

test('statistics: charts drawn, "failed" lists the failed messages, the exported table matches the page', async ({ page, previewHost }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  const seeded = await previewHost.control('stats/seed-history', {});
  expect(seeded.status, JSON.stringify(seeded.json)).toBe(200);
  const history = (seeded.json as { value: History }).value;
  expect(history.failed.length).toBeGreaterThanOrEqual(3);

  await page.getByTestId('nav-statistics').click();
  await page.getByTestId('stats-range-30d').click();
  await expect(page.getByTestId('stats-summary')).toContainText('Asia/Hong_Kong');
  await expect(page.getByTestId('stats-card-failed').getByTestId('stats-card-value')).toHaveText(String(history.failed.length));

  // The charts: funnel, response times, per day, heatmap — each a canvas with something painted on it.
  const charts = ['stats-chart-funnel', 'stats-chart-responses', 'stats-chart-per-day', 'stats-chart-heatmap'];
  for (const chart of charts) await expect(page.getByTestId(chart).locator('canvas').first()).toBeVisible();
  await expect.poll(async () => (await paintedPixels(page)).length).toBe(charts.length);
  await expect.poll(async () => Math.min(...(await paintedPixels(page))), { message: 'every chart has pixels painted' }).toBeGreaterThan(500);
  await screenshotWhole(page, testInfo.outputPath('statistics-en.png'));

  // A click on the chart opens its messages too: the funnel's top layer is "Sent".
  const funnel = (await page.getByTestId('stats-chart-funnel').locator('canvas').first().boundingBox())!;
  await page.mouse.click(funnel.x + funnel.width / 2, funnel.y + funnel.height * 0.15);
  await expect(page.getByTestId('stats-drill-title')).toHaveText('Sent');
  const sent = await page.getByTestId('stats-card-sent').getByTestId('stats-card-value').innerText();
  await expect(page.getByTestId('stats-drill-total')).toHaveText(`${sent} messages`);
  await page.getByTestId('stats-drill-close').click();
  await expect(page.getByTestId('stats-drill')).toHaveCount(0);

  // "Failed": exactly the failed messages, each with its code and Meta's reason in words.
  await page.getByTestId('stats-card-failed').click();
  const dialog = page.getByTestId('stats-drill');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('stats-drill-title')).toHaveText('Failed');
  const rows = dialog.getByTestId('stats-drill-row');
  await expect(rows).toHaveCount(history.failed.length);
  const listed = await rows.evaluateAll((nodes) => nodes.map((n) => Number((n as unknown as { dataset: { messageId: string } }).dataset.messageId)));
  expect([...listed].sort((a, b) => a - b)).toEqual(history.failed.map((f) => f.messageId).sort((a, b) => a - b));
  const reasons = await dialog.getByTestId('stats-drill-reason').allInnerTexts();
  expect(reasons.some((r) => r.startsWith('131047: the 24-hour window has closed'))).toBe(true);
  expect(reasons.some((r) => r.startsWith('131026: the message could not be delivered'))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('statistics-failed-en.png') });

  // A row opens the chat at that message.
  const first = rows.first();
  const messageId = await first.getAttribute('data-message-id');
  const chatName = (await first.locator('.chat').innerText()).trim();
  await first.click();
  await expect(page).toHaveURL(new RegExp(`#/inbox\\?conversation=\\d+&message=${messageId}$`));
  await expect(page.getByTestId('chat-title')).toHaveText(chatName);

  // Back on the page (same period kept), the per-label table exported to CSV holds the rows shown.
  await page.getByTestId('nav-statistics').click();
  await expect(page.getByTestId('stats-range-30d').locator('input')).toBeChecked();
  const table = page.getByTestId('stats-table-perLabel');
  const shown = await table.getByTestId('stats-table-row').evaluateAll((trs) =>
    trs.map((tr) => Array.from((tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('th, td'), (cell) => (cell.textContent ?? '').trim())),
  );
  const headers = await table.locator('thead th').allInnerTexts();
  const target = join(previewHost.dataDir, 'statistics-by-label.csv');
  expect((await previewHost.control('dialogs/preset', { kind: 'chooseSaveFile', answer: target })).status).toBe(200);
  await page.getByTestId('stats-export-perLabel').click();
  await expect(page.getByTestId('stats-toast')).toHaveText(`${shown.length} rows exported to CSV`);
  const written = await readFile(target, 'utf8');
  expect(written.charCodeAt(0), 'a UTF-8 BOM for Excel').toBe(0xfeff);
  const [header, ...records] = parseCsv(written.slice(1)).records.map((r) => r.fields);
  expect(header).toEqual(headers.map((h) => h.trim()));
  expect(records.length).toBe(shown.length);
  expect(shown.length).toBeGreaterThanOrEqual(6);
  records.forEach((record, i) => {
    const cells = shown[i]!;
    expect(record[0], 'label').toBe(cells[0]);
    // Counts (sent … received, conversations, waiting) as integers; rates as percentages.
    for (const column of [1, 2, 3, 4, 5, 8, 9]) expect(Number(record[column]), `${record[0]} ${header![column]}`).toBe(numberOf(cells[column]!));
    for (const column of [6, 7]) expect(record[column] === '' ? '—' : Number(record[column]), `${record[0]} ${header![column]}`).toBe(cells[column] === '—' ? '—' : numberOf(cells[column]!));
    for (const column of [10, 11]) {
      const fromPage = minutesOfText(cells[column]!);
      if (fromPage === null) expect(record[column]).toBe('');
      else expect(Math.abs(Number(record[column]) - fromPage), `${record[0]} ${header![column]}`).toBeLessThanOrEqual(0.5 + fromPage * 0.02);
    }
  });
  expect(records.some((r) => Number(r[1]) > 0), 'some label has messages').toBe(true);

  // In Chinese: the same page, every word translated.
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(page.getByTestId('page-title')).toHaveText('统计');
  await expect(page.getByTestId('stats-card-failed')).toContainText('发送失败');
  await expect.poll(async () => Math.min(...(await paintedPixels(page)))).toBeGreaterThan(500);
  await screenshotWhole(page, testInfo.outputPath('statistics-zh.png'));
  // The definitions say how each number is computed.
  const definitions = page.getByTestId('stats-definitions');
  await definitions.locator('summary').click();
  await expect(definitions).toContainText('已读 ÷ 已送达');
  await expect(definitions).toContainText('欢迎消息、离开消息和其他自动消息都不算');
  await definitions.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('statistics-definitions-zh.png') });

  // The charts follow the system's dark theme as the rest of the page does.
  const light = await funnelColours(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => funnelColours(page), { message: 'the funnel is drawn again in the dark colours' }).not.toBe(light);
  await screenshotWhole(page, testInfo.outputPath('statistics-zh-dark.png'));
});
