/**
 * The relay with real desks (issue 10, "Done when"): a relay on 127.0.0.1 and two desks — core instances with
 * their own encrypted archives — in the same run, on SQLite and (when its URL is given) PostgreSQL.
 * The first desk pairs with the operator's code; the second is linked from the first. Meta is played by signed
 * posts of its real webhook payloads; Meta's Graph API by the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CloudStatus, RelayDesksView, WorkspaceDraft } from '../../shared/ipc';
import { defaultAutoReplies } from '../../shared/rules/auto-replies';
import type { Archive } from '../../electron/core/archive';
import { createVirtualClock } from '../../electron/core/clock';
import type { ClockPort } from '../../electron/core/ports';
import { createCore } from '../../electron/core/create-core';
import type { Core } from '../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../electron/core/node-ports';
import { startSandboxGraph } from '../../electron/core/sandbox/graph-server';
import type { SandboxGraph } from '../../electron/core/sandbox/graph-server';
import { newId, newPairingCode, newVerifyToken, sha256 } from '../../relay/src/credentials';
import { startRelayServer } from '../../relay/src/server';
import { createLogger } from '../../electron/core/logger';
import { canonicalDump, fixtureBytes, fixturesPresent, inboundFixtureNames } from '../core/cloud/inbound-support';
import { call, fastArgon2, tempDir } from '../core/helpers';
import { startRelay, storageVariants, textWebhook } from './relay-support';
import type { TestRelay } from './relay-support';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890123' };
const accessToken = 'EAAsandbox-valid-token-0123456789';
const appSecret = randomBytes(16).toString('hex');
const passphrase = 'correct horse battery staple';

interface Desk {
  core: Core;
  dataDir: string;
  events: Array<{ event: string; payload: unknown }>;
  archive(): Archive;
  status(): Promise<CloudStatus>;
}

async function createWorkspace(core: Core, fromLink = false): Promise<void> {
  const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Clinic', passphrase, keychainUnlock: false, ...(fromLink ? { fromLink } : {}) });
  const groups = draft.recoveryKey.split(' ');
  await call(core, 'workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] });
}

async function startDesk(sandbox: SandboxGraph, clock: ClockPort, dataDir = tempDir()): Promise<Desk> {
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: 'test', clock, logger: createMemoryLogger() });
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), graphBaseUrl: sandbox.baseUrl });
  let closed = false;
  onTestFinished(async () => {
    if (!closed) await core.close();
  });
  const close = core.close.bind(core);
  core.close = async () => {
    closed = true;
    await close();
  };
  const events: Desk['events'] = [];
  ports.events.subscribe((event, payload) => events.push({ event, payload }));
  return {
    core,
    dataDir,
    events,
    archive: () => core.services.workspaces.current()!.archive,
    status: () => call<CloudStatus>(core, 'cloud:status'),
  };
}

/** A workspace on the relay whose app secret is the one the desks are given. */
async function addWorkspace(relay: TestRelay) {
  const id = newId();
  const pairing = newPairingCode();
  await relay.store.addWorkspace({ id, name: 'Clinic', verifyToken: newVerifyToken(), appSecret, pairingCodeHash: sha256(pairing.code), createdAt: Date.now() });
  return { id, pairingCode: pairing.display };
}

/** Desk A pairs with the operator's code; desk B is linked from desk A. */
async function twoDesks(relay: TestRelay) {
  const clock = createVirtualClock(Date.now());
  const sandbox = await startSandboxGraph({ clock, seed: 3, validToken: accessToken, ...ids });
  onTestFinished(() => sandbox.close());
  const workspace = await addWorkspace(relay);

  const a = await startDesk(sandbox, clock);
  await createWorkspace(a.core);
  await call(a.core, 'connection:save', { ...ids, graphVersion: 'v25.0', webhookMode: 'relay', directPort: null, relayUrl: relay.url, relayPairingCode: workspace.pairingCode, relayDeskName: 'Front counter', accessToken, appSecret });

  const b = await startDesk(sandbox, clock);
  const { code } = await call<{ code: string }>(b.core, 'link:start', { relayUrl: relay.url, deskName: 'Reception 2' });
  expect(await call(a.core, 'relay:link-lookup', { code })).toEqual({ deskName: 'Reception 2' });
  await call(a.core, 'relay:link-approve', { code });
  expect(await call(b.core, 'link:wait')).toEqual({ status: 'approved', workspaceName: 'Clinic' });
  await createWorkspace(b.core, true);
  return { a, b, clock, sandbox, workspace };
}

let nextMessage = 1;
/** A customer's text message, sent now (so the window is open and automatic replies apply). */
const freshText = (clock: ClockPort, text: string, from = '16505551234'): Buffer =>
  textWebhook(nextMessage++, text, { from, timestampSeconds: Math.floor(clock.now() / 1000) });

const inboundBodies = (archive: Archive) =>
  (archive.db.prepare("SELECT body FROM webhook_inbox WHERE source = 'relay' ORDER BY id").all() as Array<{ body: Buffer }>).map((r) => r.body.toString('utf8'));

for (const variant of storageVariants()) {
  describe(`the relay with two desks (${variant.name})`, () => {
    it('pairs the first desk as primary and links a second desk, which opens the same events', async () => {
      const relay = await startRelay(variant);
      const { a, b, clock, workspace } = await twoDesks(relay);
      const desks = await call<RelayDesksView>(a.core, 'relay:desks');
      expect(desks.desks.map((d) => [d.name, d.primary])).toEqual([
        ['Front counter', true],
        ['Reception 2', false],
      ]);
      // The linked desk got the connection (secrets included) and its own standing on the relay.
      const view = await call<{ webhookMode: string; hasAccessToken: boolean; hasAppSecret: boolean; phoneNumberId: string }>(b.core, 'connection:get');
      expect(view).toMatchObject({ webhookMode: 'relay', hasAccessToken: true, hasAppSecret: true, phoneNumberId: ids.phoneNumberId });
      // Both archives are keyed by the same workspace key pair (vault public keys), in their own vaults.
      expect(b.core.services.workspaces.current()!.vault.publicKey).toBe(a.core.services.workspaces.current()!.vault.publicKey);
      expect(b.core.services.workspaces.current()!.vault.id).not.toBe(a.core.services.workspaces.current()!.vault.id);

      expect((await relay.postMeta(workspace.id, freshText(clock, 'Is the clinic open on Saturday?'), { secret: appSecret })).status).toBe(200);
      for (const desk of [a, b]) {
        await expect.poll(() => desk.events.some((e) => e.event === 'messages:received')).toBe(true);
        expect(desk.archive().db.prepare('SELECT text FROM messages').pluck().all()).toEqual(['Is the clinic open on Saturday?']);
      }
      await expect.poll(async () => (await a.status()).relay).toMatchObject({ reachable: true, backlog: 0, primary: true });
      await expect.poll(async () => (await b.status()).relay).toMatchObject({ reachable: true, backlog: 0, primary: false });
    });

    it('delivers every webhook fixture to both desks identically, and stores none of it readable', async () => {
      if (!fixturesPresent) {
        console.warn('../shared/cloud-api/fixtures is absent: the relay fixture replay was not run');
        expect(inboundFixtureNames()).toEqual([]);
        return;
      }
      const relay = await startRelay(variant);
      const { a, b, workspace } = await twoDesks(relay);
      const names = inboundFixtureNames();
      for (const name of names) expect((await relay.postMeta(workspace.id, fixtureBytes(name), { secret: appSecret })).status, name).toBe(200);
      for (const desk of [a, b]) await expect.poll(async () => (await desk.status()).inbox).toMatchObject({ received: names.length, pending: 0 });
      expect(inboundBodies(b.archive())).toEqual(names.map((n) => fixtureBytes(n).toString('utf8')));
      // The same contacts, chats, messages and statuses; only each desk's own settings differ.
      const businessData = (archive: Archive) => ({ ...canonicalDump(archive), settings: undefined });
      expect(businessData(b.archive())).toEqual(businessData(a.archive()));

      // What the relay keeps: sealed bytes only. No message text, name or number of any fixture appears.
      const stored = await relay.store.readEvents(workspace.id, 0, 10_000);
      expect(stored).toHaveLength(names.length);
      const haystack = Buffer.concat(stored.map((e) => Buffer.from(e.sealed)));
      const texts = (a.archive().db.prepare("SELECT text FROM messages WHERE text IS NOT NULL AND length(text) >= 6").pluck().all() as string[]).slice(0, 40);
      expect(texts.length).toBeGreaterThan(5);
      for (const text of [...texts, 'wamid.', 'whatsapp_business_account', '16505551234']) expect(haystack.includes(Buffer.from(text))).toBe(false);
    });

    it('gives a desk that was off for a day everything in order of arrival when it comes back', async () => {
      const relay = await startRelay(variant);
      const { a, b, clock, workspace } = await twoDesks(relay);
      await b.core.close();
      const texts: string[] = [];
      for (let hour = 0; hour < 24; hour++) {
        clock.advance(60 * 60_000);
        const text = `Hour ${hour}: 第${hour}条消息`;
        texts.push(text);
        expect((await relay.postMeta(workspace.id, freshText(clock, text, `1650555${String(1000 + (hour % 5))}`), { secret: appSecret })).status).toBe(200);
      }
      await expect.poll(async () => (await a.status()).inbox).toMatchObject({ received: 24, pending: 0 });
      const relayStatus = await call<RelayDesksView>(a.core, 'relay:desks');
      expect(relayStatus.desks.find((d) => d.name === 'Reception 2')).toBeTruthy();

      // Desk B starts again on its own folder, unlocks, and catches up from its cursor.
      const back = await startDesk((await startSandboxGraph({ clock, seed: 4, validToken: accessToken, ...ids })), clock, b.dataDir);
      const [summary] = await call<Array<{ id: string }>>(back.core, 'workspace:list');
      await call(back.core, 'vault:unlock', { workspaceId: summary!.id, method: 'passphrase', passphrase });
      await expect.poll(async () => (await back.status()).inbox).toMatchObject({ received: 24, pending: 0 });
      const arrived = inboundBodies(back.archive()).map((body) => JSON.parse(body).entry[0].changes[0].value.messages[0].text.body as string);
      expect(arrived).toEqual(texts);
      await expect.poll(async () => (await back.status()).relay).toMatchObject({ backlog: 0 });
      // Every desk acknowledged: the relay keeps nothing more.
      await expect.poll(async () => {
        await relay.store.prune(0);
        return (await relay.store.readEvents(workspace.id, 0, 100)).length;
      }).toBe(0);
    });

    it('shows on desk B what desk A sent, with who sent it, and its statuses on both', async () => {
      const relay = await startRelay(variant);
      const { a, b, clock, sandbox, workspace } = await twoDesks(relay);
      await call(a.core, 'staff:create', { name: 'Amy' });
      const amy = (await call<{ members: Array<{ id: string; name: string }> }>(a.core, 'staff:state')).members.find((m) => m.name === 'Amy')!;
      await call(a.core, 'staff:switch', { staffId: amy.id });

      sandbox.noteInbound('16505551234', clock.now());
      await relay.postMeta(workspace.id, freshText(clock, 'Can I book for Tuesday?'), { secret: appSecret });
      await expect.poll(() => a.events.some((e) => e.event === 'messages:received')).toBe(true);
      await expect.poll(() => b.events.some((e) => e.event === 'messages:received')).toBe(true);
      const conversationId = (a.events.find((e) => e.event === 'messages:received')!.payload as { conversationId: number }).conversationId;
      await call(a.core, 'messages:send', { kind: 'text', conversationId, text: 'Yes — Tuesday 10:00 is free 周二上午十点可以' });
      await expect.poll(() => sandbox.sent.length).toBe(1);

      const onB = () =>
        b.archive().db.prepare("SELECT m.text, m.wamid, m.status, s.name AS sender FROM messages m LEFT JOIN staff s ON s.id = m.sender_staff_id WHERE m.direction = 'out'").all() as Array<{ text: string; wamid: string; status: string; sender: string }>;
      await expect.poll(onB).toEqual([{ text: 'Yes — Tuesday 10:00 is free 周二上午十点可以', wamid: sandbox.sent[0]!.wamid, status: 'sent', sender: 'Amy' }]);
      // Amy is not offered as someone at desk B.
      expect((await call<{ members: Array<{ name: string; active: boolean }> }>(b.core, 'staff:state')).members.filter((m) => m.active).map((m) => m.name)).not.toContain('Amy');

      // Meta's status for it reaches both desks through the relay.
      const delivered = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: ids.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: ids.phoneNumberId }, statuses: [{ id: sandbox.sent[0]!.wamid, status: 'delivered', timestamp: String(Math.floor(clock.now() / 1000) + 1), recipient_id: '16505551234' }] } }] }],
      });
      await relay.postMeta(workspace.id, Buffer.from(delivered), { secret: appSecret });
      for (const desk of [a, b]) {
        await expect.poll(() => desk.archive().db.prepare("SELECT status FROM messages WHERE direction = 'out'").pluck().get()).toBe('delivered');
      }
    });

    it('sends the greeting from the primary desk only, and moves the duty with "make primary"', async () => {
      const relay = await startRelay(variant);
      const { a, b, clock, sandbox, workspace } = await twoDesks(relay);
      const replies = { ...defaultAutoReplies, greeting: { ...defaultAutoReplies.greeting, enabled: true, text: 'Welcome to the clinic!' } };
      await call(a.core, 'automation:save', replies);
      await call(b.core, 'automation:save', replies);

      sandbox.noteInbound('16505550001', clock.now());
      await relay.postMeta(workspace.id, freshText(clock, 'Hello?', '16505550001'), { secret: appSecret });
      await expect.poll(() => sandbox.sent.length).toBe(1);
      // B shows A's greeting (a copy), marked automatic, and sent nothing itself.
      await expect.poll(() => b.archive().db.prepare("SELECT automatic FROM messages WHERE direction = 'out'").pluck().all()).toEqual(['greeting']);

      // B becomes primary: the next new customer is greeted by B, once.
      await call(b.core, 'relay:become-primary');
      await expect.poll(async () => (await a.status()).relay?.primary).toBe(false);
      sandbox.noteInbound('16505550002', clock.now());
      await relay.postMeta(workspace.id, freshText(clock, 'Hi there', '16505550002'), { secret: appSecret });
      await expect.poll(() => sandbox.sent.length).toBe(2);
      await expect.poll(() => a.archive().db.prepare("SELECT count(*) FROM messages WHERE direction = 'out' AND automatic = 'greeting'").pluck().get()).toBe(2);
      // Give a wrong second greeting every chance to appear before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sandbox.sent.map((m) => m.waId)).toEqual(['16505550001', '16505550002']);
    });

    it('shares a message desk A sent while the relay was down once the relay is back', async () => {
      const relay = await startRelay(variant);
      const { a, b, clock, sandbox, workspace } = await twoDesks(relay);
      sandbox.noteInbound('16505551234', clock.now());
      await relay.postMeta(workspace.id, freshText(clock, 'Do you have parking?'), { secret: appSecret });
      await expect.poll(() => a.events.some((e) => e.event === 'messages:received')).toBe(true);
      await expect.poll(() => b.events.some((e) => e.event === 'messages:received')).toBe(true);
      const conversationId = (a.events.find((e) => e.event === 'messages:received')!.payload as { conversationId: number }).conversationId;

      await relay.server.close();
      await expect.poll(async () => (await a.status()).relay?.reachable).toBe(false);
      await call(a.core, 'messages:send', { kind: 'text', conversationId, text: 'Yes, behind the building' });
      await expect.poll(() => sandbox.sent.length).toBe(1);

      // The same relay (its store, its port) starts again.
      const port = Number(new URL(relay.url).port);
      const again = await startRelayServer({ config: { ...relay.config, listen: { host: '127.0.0.1', port } }, store: relay.store, logger: createLogger({ log: () => undefined }) });
      onTestFinished(() => again.close());
      const outOnB = () => b.archive().db.prepare("SELECT text FROM messages WHERE direction = 'out'").pluck().all();
      await expect.poll(outOnB, { timeout: 15_000 }).toEqual(['Yes, behind the building']);
    });

    it('holds, unprocessed, what its own out-of-date app secret cannot check, and takes it in once the secret is right', async () => {
      const relay = await startRelay(variant);
      const { a, clock, workspace } = await twoDesks(relay);
      const save = (secret: string) => call(a.core, 'connection:save', { ...ids, graphVersion: 'v25.0', webhookMode: 'relay', directPort: null, relayUrl: relay.url, appSecret: secret });
      await save(randomBytes(16).toString('hex'));
      expect((await relay.postMeta(workspace.id, freshText(clock, 'Sent while the secret was stale'), { secret: appSecret })).status).toBe(200);
      await expect.poll(async () => (await a.status()).inbox.received).toBe(1);
      expect((await a.status()).inbox).toMatchObject({ processed: 0, pending: 0 });
      expect((await a.status()).relay).toMatchObject({ rejected: 1 });
      expect(a.archive().db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);

      await save(appSecret);
      await expect.poll(() => a.archive().db.prepare('SELECT text FROM messages').pluck().all()).toEqual(['Sent while the secret was stale']);
    });

    it('takes in a webhook as large as the relay accepts', async () => {
      const relay = await startRelay(variant);
      const { a, clock, workspace } = await twoDesks(relay);
      const large = JSON.parse(freshText(clock, 'A large delivery').toString('utf8')) as Record<string, unknown>;
      // Meta documents payloads up to 3 MB; the relay accepts up to 4 MiB.
      const body = Buffer.from(JSON.stringify({ ...large, padding: 'x'.repeat(4 * 1024 * 1024 - 1_000) }));
      expect((await relay.postMeta(workspace.id, body, { secret: appSecret })).status).toBe(200);
      await expect.poll(async () => (await a.status()).inbox.received).toBe(1);
      expect(inboundBodies(a.archive())).toEqual([body.toString('utf8')]);
    });

    it('raises the "relay unreachable" health banner once the relay has not answered for a minute', async () => {
      const relay = await startRelay(variant);
      const { a, clock } = await twoDesks(relay);
      await expect.poll(async () => (await a.status()).relay?.reachable).toBe(true);
      expect(await call(a.core, 'health:get')).toMatchObject({ relayUnreachable: false });
      await relay.server.close();
      await expect.poll(async () => (await a.status()).relay).toMatchObject({ reachable: false, lastError: 'relay_unreachable' });
      // A blip is not a banner; a minute is.
      expect(await call(a.core, 'health:get')).toMatchObject({ relayUnreachable: false });
      clock.advance(61_000);
      await expect.poll(() => call(a.core, 'health:get')).toMatchObject({ relayUnreachable: true });
    });

    it('refuses an unpaired desk: its pulls get `relay_unauthorized` and it takes in nothing more', async () => {
      const relay = await startRelay(variant);
      const { a, b, clock, workspace } = await twoDesks(relay);
      const desks = await call<RelayDesksView>(a.core, 'relay:desks');
      const second = desks.desks.find((d) => !d.primary)!;
      await call(a.core, 'relay:unpair', { deskId: second.id });
      await relay.postMeta(workspace.id, freshText(clock, 'After the unpairing'), { secret: appSecret });
      await expect.poll(() => a.events.some((e) => e.event === 'messages:received')).toBe(true);
      await expect.poll(async () => (await b.status()).relay).toMatchObject({ reachable: false, lastError: 'relay_unauthorized' });
      expect(b.archive().db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);
    });
  });
}
