/**
 * DESIGN "Lock": after a restart, before anyone unlocks, the archive is closed — yet Meta keeps delivering.
 * The workspace's receiver keeps its port, checks signatures with the keychain-held app secret (or, without
 * a keychain, spools the bodies and checks them at unlock), seals each body to the workspace key, and the
 * unlock takes them all in. Forged ones never reach the archive.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { WorkspaceDraft, WorkspaceSummary } from '../../../shared/ipc';
import { createVirtualClock } from '../../../electron/core/clock';
import { spoolPathOf } from '../../../electron/core/cloud/closed-receivers';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import type { KeychainPort } from '../../../electron/core/ports';
import { call, fastArgon2, tempDir } from '../helpers';
import { fixtureBytes, fixturesPresent } from './inbound-support';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '' };
const appSecret = '0123456789abcdef0123456789abcdef';
const passphrase = 'correct horse battery staple';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function startCore(dataDir: string, options: { keychain?: 'none' } = {}) {
  const logger = createMemoryLogger();
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: 'test', clock: createVirtualClock(Date.now()), logger });
  if (options.keychain === 'none') {
    const none: KeychainPort = { isAvailable: async () => false, wrap: () => Promise.reject(new Error('no keychain')), unwrap: () => Promise.reject(new Error('no keychain')) };
    ports.keychain = none;
  }
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), graphBaseUrl: 'http://127.0.0.1:9' });
  onTestFinished(() => core.close());
  return { core, logger };
}

/** A business workspace taking webhooks directly on `port`, then the app quits. */
async function setUp(dataDir: string, port: number, options: { keychain?: 'none' } = {}): Promise<string> {
  const { core } = startCore(dataDir, options);
  const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Clinic', passphrase, keychainUnlock: false });
  const groups = draft.recoveryKey.split(' ');
  await call(core, 'workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] });
  await call(core, 'connection:save', { ...ids, graphVersion: 'v25.0', webhookMode: 'direct', directPort: port, relayUrl: '', accessToken: 'EAAsandbox-token-0123456789', appSecret });
  const [workspace] = await call<WorkspaceSummary[]>(core, 'workspace:list');
  await core.close();
  return workspace!.id;
}

function post(port: number, body: Buffer, secret = appSecret) {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
}

/** Posts until the closed receiver listens (it starts in the background as core starts). */
async function postWhenListening(port: number, body: Buffer, secret = appSecret): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await post(port, body, secret);
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const messageCount = (core: ReturnType<typeof startCore>['core']) =>
  core.services.workspaces.current()!.archive.db.prepare("SELECT count(*) FROM messages WHERE direction = 'in'").pluck().get() as number;

describe('webhooks while the archive is closed', () => {
  if (!fixturesPresent) {
    it('needs ../shared/cloud-api/fixtures, which is absent here: the closed-state replays were not run', () => {
      expect(fixturesPresent).toBe(false);
    });
    return;
  }

  it('are verified with the keychain-held app secret, spooled sealed, and processed at unlock', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const workspaceId = await setUp(dataDir, port);
    const vault = readFileSync(join(dataDir, 'workspaces', workspaceId, 'vault.json'), 'utf8');
    expect(vault).not.toContain(appSecret);

    const { core } = startCore(dataDir);
    const body = fixtureBytes('webhook-text.json');
    expect((await postWhenListening(port, body)).status).toBe(200);
    // Forged: refused at the door with the keychain's app secret, so it never reaches the spool.
    expect((await post(port, fixtureBytes('webhook-image.json'), 'f'.repeat(32))).status).toBe(401);
    const spool = spoolPathOf(join(dataDir, 'workspaces', workspaceId));
    const sealed = readFileSync(spool);
    // Sealed: not a byte of the message is readable on disk.
    expect(sealed.includes(Buffer.from('"text"'))).toBe(false);
    expect(core.services.closedReceivers.receiverOf(workspaceId)!.counters().rejected.signature_mismatch).toBe(1);

    await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase });
    await expect.poll(() => messageCount(core)).toBe(1);
    expect(existsSync(spool)).toBe(false);
    // The open workspace took the port over: Meta's next delivery goes straight to the archive.
    expect(core.services.cloud()!.receiver!.port).toBe(port);
    expect((await post(port, fixtureBytes('webhook-location.json'))).status).toBe(200);
    await expect.poll(() => messageCount(core)).toBe(2);
  });

  it('without a keychain, are spooled unverified and their signatures checked at unlock: forged ones discarded', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const workspaceId = await setUp(dataDir, port, { keychain: 'none' });
    const { core, logger } = startCore(dataDir, { keychain: 'none' });
    expect((await postWhenListening(port, fixtureBytes('webhook-text.json'))).status).toBe(200);
    // With no secret at hand the door cannot tell; the seal keeps it unreadable until unlock decides.
    expect((await post(port, fixtureBytes('webhook-image.json'), 'f'.repeat(32))).status).toBe(200);

    await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase });
    await expect.poll(() => messageCount(core)).toBe(1);
    const archive = core.services.workspaces.current()!.archive;
    expect(archive.db.prepare("SELECT type FROM messages WHERE direction = 'in'").pluck().all()).toEqual(['text']);
    expect(archive.webhookInbox.counts().pending).toBe(0);
    expect(logger.entries.some((e) => e.message === 'Webhooks received while closed were taken in' && e.fields?.forged === 1)).toBe(true);
  });

  it('start again when another workspace is opened in the window, and nothing is lost in the switch', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const workspaceId = await setUp(dataDir, port);
    const { core } = startCore(dataDir);
    await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase });
    await call(core, 'workspace:open-demo');
    // The business workspace is closed now; its port is served by its closed receiver.
    expect((await postWhenListening(port, fixtureBytes('webhook-text.json'))).status).toBe(200);
    await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase });
    await expect.poll(() => messageCount(core)).toBe(1);
  });
});
