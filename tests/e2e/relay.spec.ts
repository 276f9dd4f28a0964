/**
 * The relay in real Chromium against real core (the preview host) and a real relay started in this test process
 * on 127.0.0.1 over a fresh SQLite store (PRODUCT §1: relay = URL + pairing code; another desk joins by linking;
 * one desk is primary). The operator's side is done straight through the relay's store (a workspace with a
 * known app secret and a one-time pairing code); Meta is played by signed POSTs to the relay's callback URL.
 *
 * 1. Pairing: set up a business, save the connection in relay mode with the code, see the relay in Settings ›
 *    Webhooks and this desk as the primary one in Settings › Desks, and find the customer's message in the inbox.
 * 2. Linking: a second preview host (another desk, its own data folder and browser context) links to the first
 *    with the 8-digit code, chooses its own passphrase, becomes primary, and both desks receive the next message.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../electron/core/logger';
import { relayConfigSchema } from '../../relay/src/config';
import { newId, newPairingCode, newVerifyToken, sha256 } from '../../relay/src/credentials';
import { startRelayServer } from '../../relay/src/server';
import type { RelayServer } from '../../relay/src/server';
import { openStore } from '../../relay/src/store/open-store';
import type { RelayStore } from '../../relay/src/store/types';
import { relayMetaPrefix } from '../../shared/relay/protocol';
import type { Page } from '@playwright/test';
import { textWebhook } from '../core/cloud/receiver-support';
import { spawnHost } from '../host/spawn-host';
import type { SpawnedHost } from '../host/spawn-host';
import { expect, test as base } from './fixtures';
import type { PreviewHostHandle } from './fixtures';
import { passphrase, setUpBusiness } from './steps';

interface TestRelay {
  url: string;
  workspaceId: string;
  appSecret: string;
  pairingCode: string;
  logs: string[];
  close(): Promise<void>;
}

/** A relay on 127.0.0.1 (port 0) with one workspace, as `add-workspace` on the operator's command line makes it. */
async function startRelay(): Promise<TestRelay> {
  const dir = await mkdtemp(join(tmpdir(), 'frontdesk-e2e-relay-'));
  const logs: string[] = [];
  let store: RelayStore | null = null;
  let server: RelayServer | null = null;
  const close = async () => {
    await server?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    store = await openStore({ kind: 'sqlite', path: join(dir, 'relay.db') });
    const config = relayConfigSchema.parse({
      listen: { host: '127.0.0.1', port: 0 },
      publicUrl: 'https://relay.example.test',
      storage: { kind: 'sqlite', path: join(dir, 'relay.db') },
    });
    const logger = createLogger({ log: (level, message, fields) => void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`) });
    server = await startRelayServer({ config, store, logger });
    const workspaceId = newId();
    const appSecret = randomBytes(16).toString('hex');
    const pairing = newPairingCode();
    await store.addWorkspace({ id: workspaceId, name: 'Harbour Clinic', verifyToken: newVerifyToken(), appSecret, pairingCodeHash: sha256(pairing.code), createdAt: Date.now() });
    return { url: server.url, workspaceId, appSecret, pairingCode: pairing.display, logs, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Posts exactly these bytes to the relay's callback URL for the workspace, signed as Meta signs them. */
async function postAsMeta(relay: TestRelay, body: Buffer): Promise<number> {
  const signature = `sha256=${createHmac('sha256', relay.appSecret).update(body).digest('hex')}`;
  const response = await fetch(`${relay.url}${relayMetaPrefix}${encodeURIComponent(relay.workspaceId)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const screenshots = 'test-results/screenshots';

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

interface SecondDesk {
  host: SpawnedHost;
  page: Page;
}

/**
 * The relay is started before the preview hosts and closed after them: closing the relay waits for the requests
 * it is answering, and a desk that is still running pulls again at once.
 */
const test = base.extend<{ relay: TestRelay; secondDesk: SecondDesk }>({
  // Playwright reads a fixture's dependencies from its destructuring pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  relay: async ({}, use, testInfo) => {
    const relay = await startRelay();
    try {
      await use(relay);
    } finally {
      await testInfo.attach('relay.log', { body: relay.logs.join('\n'), contentType: 'text/plain' });
      await relay.close();
    }
  },
  previewHost: async ({ relay, previewHost }, use) => {
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await use(previewHost as PreviewHostHandle);
  },
  /** Another computer at the front desk: a preview host of its own (own data folder) and its own browser context. */
  secondDesk: async ({ relay, browser }, use, testInfo) => {
    expect(relay.url).toMatch(/^http:/);
    const dataDir = await mkdtemp(join(tmpdir(), 'frontdesk-e2e-desk2-'));
    const renderer = process.env.FRONTDESK_E2E_RENDERER ? ['--renderer', process.env.FRONTDESK_E2E_RENDERER] : [];
    const host = await spawnHost(['--data', dataDir, '--test-controls', '--fast-kdf', ...renderer]);
    const context = await browser.newContext();
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      const response = await page.goto(host.url);
      expect(response?.status(), 'the second desk’s page after the token redirect').toBe(200);
      await use({ host, page });
      expect(problems, 'console errors or page errors on the second desk').toEqual([]);
    } finally {
      await context.close();
      const code = await host.stop();
      await testInfo.attach('preview-host-desk-2.log', { body: host.stderr(), contentType: 'text/plain' });
      await rm(dataDir, { recursive: true, force: true });
      expect(code, 'the second preview host exit code after SIGTERM').toBe(0);
    }
  },
});

interface Credentials {
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  accessToken: string;
}

async function sandboxCredentials(host: PreviewHostHandle): Promise<Credentials> {
  return ((await host.control('sandbox/credentials')).json as { value: Credentials }).value;
}

/** Settings › WhatsApp connection in relay mode with the relay's address and the operator's pairing code. */
async function connectThroughRelay(page: Page, relay: TestRelay, credentials: Credentials, pairingCode = relay.pairingCode): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('connection-section')).toBeVisible();
  await page.getByTestId('connection-phone-number-id').fill(credentials.phoneNumberId);
  await page.getByTestId('connection-waba-id').fill(credentials.wabaId);
  await page.getByTestId('connection-app-id').fill(credentials.appId);
  await page.getByTestId('connection-access-token').fill(credentials.accessToken);
  await page.getByTestId('connection-app-secret').fill(relay.appSecret);
  await page.getByTestId('connection-webhook-mode').selectOption('relay');
  await page.getByTestId('connection-relay-url').fill(relay.url);
  await page.getByTestId('connection-relay-code').fill(pairingCode);
  await page.getByTestId('connection-save').click();
}

function conversationRow(page: Page, name: string) {
  return page.getByTestId('conversation-row').filter({ has: page.getByTestId('conversation-title').getByText(name, { exact: true }) });
}

/** The set-up wizard's passphrase, recovery key and confirmation steps, as a linked desk goes through them. */
async function finishLinkedSetup(page: Page): Promise<void> {
  await page.getByTestId('setup-passphrase').fill(passphrase);
  await page.getByTestId('setup-passphrase-repeat').fill(passphrase);
  await page.getByTestId('setup-next').click();
  const groups = (await page.getByTestId('setup-recovery-key').innerText()).replace(/\s+/g, ' ').trim().split(' ');
  expect(groups).toHaveLength(16);
  await page.getByTestId('setup-written-down').click();
  for (const index of [1, 2] as const) {
    const input = page.getByTestId(`setup-confirm-${index}`);
    const label = await input.evaluate((element) => (element as unknown as { labels?: Array<{ textContent: string | null }> }).labels?.[0]?.textContent ?? '');
    await input.fill(groups[Number(/(\d+)/.exec(label)?.[1]) - 1]!);
  }
  await page.getByTestId('setup-finish').click();
  await expect(page.getByTestId('nav-inbox')).toBeVisible();
}

test('relay: pair with the operator’s code, see the relay reachable, and a webhook posted to the relay reaches the inbox', async ({ page, previewHost, relay }) => {
  const credentials = await sandboxCredentials(previewHost);
  await setUpBusiness(page);
  await page.getByTestId('nav-settings').click();
  // Not paired yet: no desks to show.
  await expect(page.getByTestId('connection-section')).toBeVisible();
  await expect(page.getByTestId('relay-desks-section')).toHaveCount(0);

  // A wrong pairing code is refused in words, and nothing is saved.
  await connectThroughRelay(page, relay, credentials, 'ABCD-EFGH-JKMN-PQRS');
  await expect(page.getByTestId('connection-error')).toContainText('relay_pairing_code_invalid');
  await expect(page.getByTestId('relay-desks-section')).toHaveCount(0);

  await page.getByTestId('connection-relay-code').fill(relay.pairingCode);
  // With a pairing code, this desk can be given a name the other desks will see.
  await page.getByTestId('connection-relay-desk-name').fill('Front counter');
  await page.getByTestId('connection-save').click();
  await expect(page.getByTestId('connection-saved')).toHaveText('Saved.');
  await expect(page.getByTestId('connection-error')).toHaveCount(0);
  // The code was used once: the field is empty again.
  await expect(page.getByTestId('connection-relay-code')).toHaveValue('');

  // Settings › Webhooks: the relay's line. Until its first long-poll answers, the desk has not heard from
  // the relay yet: "connecting", never "unreachable".
  await expect(page.getByTestId('relay-url')).toHaveText(relay.url);
  await expect(page.getByTestId('relay-reachable')).not.toHaveAttribute('data-state', 'unreachable');
  await expect(page.getByTestId('relay-primary')).toHaveText('This desk sends automatic replies.');

  // Settings › Desks: this desk, alone and primary.
  const desks = page.getByTestId('relay-desks-section');
  await expect(desks).toBeVisible();
  await expect(desks.getByTestId('relay-desk')).toHaveCount(1);
  await expect(desks.getByTestId('relay-desk')).toContainText('Front counter');
  await expect(desks.getByTestId('relay-desk-this')).toBeVisible();
  await expect(desks.getByTestId('relay-desk-primary')).toBeVisible();
  await expect(desks.getByTestId('relay-make-primary')).toHaveCount(0);

  // Meta posts a customer's message to the relay; the desk's waiting pull takes it in at once.
  expect(await postAsMeta(relay, textWebhook(1, 'Is the clinic open on Saturday? 周六开门吗？', { number: credentials, timestampSeconds: Math.floor(Date.now() / 1000) }))).toBe(200);
  await expect(page.getByTestId('relay-reachable')).toHaveAttribute('data-state', 'reachable', { timeout: 15_000 });
  await expect(page.getByTestId('relay-reachable')).toHaveText('The relay answers.');
  await expect(page.getByTestId('relay-backlog')).toHaveText('0');
  await expect(page.getByTestId('relay-last-contact')).not.toHaveText('Not yet');
  await expect(page.getByTestId('webhook-processed')).toHaveText('1');

  await page.getByTestId('nav-inbox').click();
  const row = conversationRow(page, 'Sheena Nelson');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('conversation-preview')).toContainText('Is the clinic open on Saturday?');
});

test('relay: a second desk links with the code, chooses its passphrase, becomes primary, and both desks receive', async ({ page, previewHost, relay, secondDesk }) => {
  test.setTimeout(120_000);
  const credentials = await sandboxCredentials(previewHost);
  await setUpBusiness(page, 'Harbour Clinic');
  await connectThroughRelay(page, relay, credentials);
  await expect(page.getByTestId('connection-saved')).toHaveText('Saved.');
  await expect(page.getByTestId('relay-desks-section')).toBeVisible();

  // The new desk: "Link to another desk of this business" on its first screen shows a code.
  const desk2 = secondDesk.page;
  await desk2.getByTestId('start-link').click();
  await desk2.getByTestId('link-relay-url').fill(relay.url);
  await desk2.getByTestId('link-desk-name').fill('Reception 2');
  await desk2.getByTestId('link-start').click();
  await expect(desk2.getByTestId('link-code')).toHaveText(/^\d{4} \d{4}$/);
  await expect(desk2.getByTestId('link-instructions')).toContainText('Settings › Desks › Link another desk');
  await expect(desk2.getByTestId('link-waiting')).toHaveText('Waiting for the other desk to approve…');
  const code = await desk2.getByTestId('link-code').innerText();
  await shoot(desk2, 'relay-link-code');

  // The first desk: Settings › Desks › Link another desk, the code, Find, Approve.
  await page.getByTestId('relay-link-code').fill(code);
  await page.getByTestId('relay-link-find').click();
  await expect(page.getByTestId('relay-link-question')).toHaveText('Link ‘Reception 2’?');
  await page.getByTestId('relay-link-dialog').scrollIntoViewIfNeeded();
  await shoot(page, 'relay-link-approve');
  await page.getByTestId('relay-link-approve').click();
  await expect(page.getByTestId('relay-link-done')).toContainText('‘Reception 2’ is linked.');

  // The new desk continues into its own passphrase and recovery key, with the workspace's name.
  await expect(desk2.getByTestId('setup-linked-intro')).toBeVisible({ timeout: 30_000 });
  await expect(desk2.getByTestId('setup-name')).toHaveValue('Harbour Clinic');
  await finishLinkedSetup(desk2);
  await expect(desk2.getByTestId('workspace-name')).toHaveText('Harbour Clinic');

  // It got the connection, and sees both desks; the first one is primary.
  await desk2.getByTestId('nav-settings').click();
  await expect(desk2.getByTestId('connection-relay-url')).toHaveValue(relay.url);
  const desks2 = desk2.getByTestId('relay-desks-section');
  await expect(desks2.getByTestId('relay-desk')).toHaveCount(2);
  const itself = desks2.getByTestId('relay-desk').filter({ has: desk2.getByTestId('relay-desk-this') });
  await expect(itself.getByTestId('relay-desk-name')).toHaveText('Reception 2');
  await expect(itself.getByTestId('relay-desk-primary')).toHaveCount(0);
  await expect(desk2.getByTestId('relay-primary')).toHaveText('Another desk sends the automatic replies (greeting and away messages).');

  // "Make this desk primary", confirmed in words.
  await desk2.getByTestId('relay-make-primary').click();
  await expect(desk2.getByTestId('relay-primary-explain')).toContainText('the other desk stops sending them');
  await desk2.getByTestId('webhook-counters').scrollIntoViewIfNeeded();
  await shoot(desk2, 'relay-desks');
  await desk2.getByTestId('relay-primary-confirm').click();
  await expect(desk2.getByTestId('relay-desks-notice')).toHaveText('This desk now sends the automatic replies.');
  await expect(itself.getByTestId('relay-desk-primary')).toBeVisible();

  // Meta writes once; both desks take the message in, and the first desk learns it is no longer primary.
  expect(await postAsMeta(relay, textWebhook(2, 'Two desks, one message 两台电脑', { number: credentials, name: 'Ming Li', from: '16505559876', timestampSeconds: Math.floor(Date.now() / 1000) }))).toBe(200);
  await expect(page.getByTestId('relay-primary')).toHaveText('Another desk sends the automatic replies (greeting and away messages).', { timeout: 15_000 });
  await page.getByTestId('relay-desks-refresh').click();
  await expect(page.getByTestId('relay-desk')).toHaveCount(2);
  for (const desk of [page, desk2]) {
    await desk.getByTestId('nav-inbox').click();
    await expect(conversationRow(desk, 'Ming Li').getByTestId('conversation-preview')).toContainText('Two desks, one message', { timeout: 15_000 });
  }
});
