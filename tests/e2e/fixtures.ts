/**
 * Playwright fixtures: every test gets its own preview host (`tsx tests/host/cli.ts --data <fresh temp dir>
 * --test-controls`, a child process, stopped after the test) and a `page` already signed in to it.
 * The page fixture records console errors, uncaught page errors and CSP violations, and fails the test if
 * there were any.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { spawnHost } from '../host/spawn-host';
import type { SpawnedHost } from '../host/spawn-host';
import type { PageGlobals } from './page-globals';

export interface PreviewHostHandle extends SpawnedHost {
  dataDir: string;
  /** Calls a test control (`POST /__test/<name>`) with the host's token; returns the parsed JSON answer. */
  control(name: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}

interface Fixtures {
  /** Extra CLI flags for the host (e.g. `['--renderer', dir]`). */
  hostArgs: string[];
  previewHost: PreviewHostHandle;
  /** Console errors, page errors and CSP violations seen by `page` so far. */
  problems: string[];
  page: Page;
}

/** Runs in the page before any of its scripts: CSP violations become console errors the fixture sees. */
function reportCspViolations() {
  (globalThis as unknown as PageGlobals).document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
    },
    true,
  );
}

export const test = base.extend<Fixtures>({
  hostArgs: [[], { option: true }],

  previewHost: async ({ hostArgs }, use, testInfo) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'frontdesk-e2e-'));
    let host: SpawnedHost;
    try {
      // FRONTDESK_E2E_RENDERER: a renderer built elsewhere (engineers working side by side each build their own).
      const renderer = process.env.FRONTDESK_E2E_RENDERER ? ['--renderer', process.env.FRONTDESK_E2E_RENDERER] : [];
      host = await spawnHost(['--data', dataDir, '--test-controls', '--fast-kdf', ...renderer, ...hostArgs]);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
    const control = async (name: string, body: unknown = {}) => {
      const response = await fetch(`${host.origin}/__test/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-token': host.testControlsToken ?? '' },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as unknown };
    };
    try {
      await use(Object.assign(host, { dataDir, control }));
    } finally {
      const code = await host.stop();
      await testInfo.attach('preview-host.log', { body: host.stderr(), contentType: 'text/plain' });
      await rm(dataDir, { recursive: true, force: true });
      // A host that did not stop cleanly on SIGTERM is a bug in the host.
      expect(code, 'the preview host exit code after SIGTERM').toBe(0);
    }
  },

  // Playwright reads a fixture's dependencies from its destructuring pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  problems: async ({}, use) => {
    await use([]);
  },

  page: async ({ page, previewHost, problems }, use) => {
    await page.addInitScript(reportCspViolations);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const response = await page.goto(previewHost.url);
    expect(response?.status(), 'the app page after the token redirect').toBe(200);
    expect(new URL(page.url()).search, 'the token is gone from the address bar').toBe('');
    await use(page);
    expect(problems, 'console errors, page errors or CSP violations in the app page').toEqual([]);
  },
});

export { expect };
