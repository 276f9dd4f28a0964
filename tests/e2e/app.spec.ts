/**
 * The real renderer (dist/renderer, `vite build --mode preview`) in Chromium against real core through the
 * preview host: the bridge works, every section opens, live events arrive, the language switches, and the
 * page has no Node and no console errors or CSP violations (the `page` fixture fails on those).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import type { PageGlobals } from './page-globals';

const sections = [
  { testId: 'nav-inbox', hash: '#/inbox' },
  { testId: 'nav-search', hash: '#/search' },
  { testId: 'nav-contacts', hash: '#/contacts' },
  { testId: 'nav-templates', hash: '#/templates' },
  { testId: 'nav-quick-replies', hash: '#/quick-replies' },
  { testId: 'nav-labels', hash: '#/labels' },
  { testId: 'nav-automation', hash: '#/automation' },
  { testId: 'nav-profile', hash: '#/profile' },
  { testId: 'nav-statistics', hash: '#/statistics' },
  { testId: 'nav-backups', hash: '#/backups' },
  { testId: 'nav-settings', hash: '#/settings' },
] as const;

test.describe('the app in the preview host', () => {
  // The app shows its sections once a workspace is open: the demo opens in one click.
  test.beforeEach(async ({ page }) => {
    await page.getByTestId('start-demo').click();
    await expect(page.getByTestId('nav-inbox')).toBeVisible();
  });

  test('app:info crosses the bridge: the status bar says preview', async ({ page }) => {
    await expect(page.getByTestId('app-info')).toContainText('preview');
  });

  test('every section opens from the navigation, with its address and title', async ({ page }) => {
    for (const { testId, hash } of sections) {
      const link = page.getByTestId(testId);
      await link.click();
      await expect(page).toHaveURL((url) => url.hash === hash);
      const label = (await link.innerText()).trim();
      expect(label, `${testId} has a visible label`).not.toBe('');
      await expect(page.getByTestId('page-title')).toHaveText(label);
      await expect(link).toHaveAttribute('aria-current', 'page');
    }
  });

  test('core events arrive live: the tick sequence moves', async ({ page }) => {
    const seq = page.getByTestId('core-tick-seq');
    await expect(seq).toHaveText(/^\d+$/);
    const first = await seq.innerText();
    await expect(seq).not.toHaveText(first, { timeout: 5_000 });
    await expect(seq).toHaveText(/^\d+$/);
  });

  test('the language switches to Chinese', async ({ page }) => {
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('page-title')).toHaveText(/\w/);
    await page.getByTestId('language-select').first().selectOption('zh-CN');
    const cjk = /[\u4e00-\u9fff]/;
    await expect(page.getByTestId('page-title')).toHaveText(cjk);
    await expect(page.getByTestId('nav-inbox')).toHaveText(cjk);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });

  test('the page has no Node: window.frontdesk is the contract and nothing more', async ({ page }) => {
    await expect(page.getByTestId('app-info')).toContainText('preview');
    const shape = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      const api = w.frontdesk!;
      return {
        windowRequire: typeof w.require,
        windowProcess: typeof w.process,
        windowModule: typeof w.module,
        windowBuffer: typeof w.Buffer,
        apiRequire: 'require' in api,
        apiProcess: 'process' in api,
        frozen: Object.isFrozen(api),
        replaceable: Object.getOwnPropertyDescriptor(w, 'frontdesk')?.writable,
        domains: Object.keys(api).sort(),
      };
    });
    expect(shape).toMatchObject({
      windowRequire: 'undefined',
      windowProcess: 'undefined',
      windowModule: 'undefined',
      windowBuffer: 'undefined',
      apiRequire: false,
      apiProcess: false,
      frozen: true,
      replaceable: false,
    });
    expect(shape.domains).toContain('app');
    expect(shape.domains).toContain('on');
  });
});

test.describe('nobody else reaches the bridge', () => {
  let foreign: Server;
  let foreignPort: number;

  test.beforeAll(async () => {
    // A throwaway page on another origin: the same machine, another port (the same *site* as the host,
    // so the browser sends the host's SameSite=Strict cookie along — only the Origin check stands).
    foreign = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Somebody else</title><p>Another origin</p>');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignPort = (foreign.address() as AddressInfo).port;
  });
  test.afterAll(async () => {
    await new Promise<void>((resolve) => foreign.close(() => resolve()));
  });

  // 127.0.0.1 on another port is the same site: the cookie goes along and the Origin check refuses it.
  // localhost is another site: SameSite=Strict keeps the cookie back and the session check refuses it.
  const foreignHosts = [
    { foreignHost: '127.0.0.1', refusal: 'Refused a WebSocket from another origin' },
    { foreignHost: 'localhost', refusal: 'Refused a WebSocket without the session cookie' },
  ];
  for (const { foreignHost, refusal } of foreignHosts) {
    test(`a page on http://${foreignHost}:<other port> cannot open the WebSocket or load /bridge.js`, async ({ page, context, previewHost }) => {
      // Signed in: the context holds the session cookie.
      await expect(page.getByTestId('app-info')).toContainText('preview');
      const other = await context.newPage();
      await other.goto(`http://${foreignHost}:${foreignPort}/`);
      const hostOrigin = previewHost.origin;
      const outcome = await other.evaluate(async (origin) => {
        const w = globalThis as unknown as PageGlobals;
        const socket = await new Promise<string>((resolve) => {
          const ws = new w.WebSocket(`${origin.replace(/^http/, 'ws')}/bridge`);
          ws.onopen = () => resolve('open');
          ws.onclose = (event) => resolve(`closed ${event.code}`);
        });
        const fetched = await fetch(`${origin}/bridge.js`, { credentials: 'include' }).then(
          (response) => `status ${response.status}`,
          () => 'refused',
        );
        const script = await new Promise<string>((resolve) => {
          const element = w.document.createElement('script');
          element.src = `${origin}/bridge.js`;
          element.onload = () => resolve('loaded');
          element.onerror = () => resolve('error');
          w.document.head.append(element);
        });
        return { socket, fetched, script, frontdesk: typeof w.frontdesk };
      }, hostOrigin);
      expect(outcome).toEqual({ socket: 'closed 1006', fetched: 'refused', script: 'error', frontdesk: 'undefined' });
      await other.close();
      // The host saw and refused the handshake.
      expect(previewHost.stderr()).toContain(refusal);
      // And the app's own connection is untouched.
      await expect(page.getByTestId('app-info')).toContainText('preview');
    });
  }

  test('a browser without the session cookie gets 401, and the spent token does not help', async ({ browser, page, previewHost }) => {
    await expect(page.getByTestId('app-info')).toContainText('preview');
    const stranger = await browser.newContext();
    try {
      const strangerPage = await stranger.newPage();
      for (const path of ['/', '/bridge.js', '/index.html']) {
        const response = await strangerPage.goto(`${previewHost.origin}${path}`);
        expect(response?.status(), path).toBe(401);
      }
      await expect(strangerPage.locator('body')).toContainText('npm run preview');
      const reused = await strangerPage.goto(previewHost.url);
      expect(reused?.status()).toBe(401);
      const socket = await strangerPage.evaluate(async (origin) => {
        const w = globalThis as unknown as PageGlobals;
        return new Promise<string>((resolve) => {
          const ws = new w.WebSocket(`${origin.replace(/^http/, 'ws')}/bridge`);
          ws.onopen = () => resolve('open');
          ws.onclose = (event) => resolve(`closed ${event.code}`);
        });
      }, previewHost.origin);
      expect(socket).toBe('closed 1006');
    } finally {
      await stranger.close();
    }
  });
});
