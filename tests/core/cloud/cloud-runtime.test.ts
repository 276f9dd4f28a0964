/**
 * The pieces of the Cloud API line working together for an open workspace: Meta's signed webhook reaches the
 * direct receiver, is committed to the inbox, processed into the archive and announced as an event — also
 * while the window is locked; a queued message goes out through the (sandbox) Graph API exactly once.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { WorkspaceDraft } from '../../../shared/ipc';
import { createVirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { currentQualityRating } from '../../../electron/core/cloud/health-monitor';
import { startSandboxGraph } from '../../../electron/core/sandbox/graph-server';
import { call, fastArgon2, tempDir } from '../helpers';
import type { Archive } from '../../../electron/core/archive';
import { canonicalDump, createHarness, fixtureBytes, fixturesPresent, inboundFixtureNames } from './inbound-support';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890123' };
const validToken = 'EAAsandbox-valid-token-0123456789';
const appSecret = '0123456789abcdef0123456789abcdef';

async function startConnected(options: { graphTimeoutMs?: number } = {}) {
  const clock = createVirtualClock(Date.now());
  const sandbox = await startSandboxGraph({ clock, seed: 2, validToken, ...ids });
  onTestFinished(() => sandbox.close());
  const ports = createNodePorts({ dataDir: tempDir(), transport: 'preview', appVersion: 'test', clock, logger: createMemoryLogger() });
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), graphBaseUrl: sandbox.baseUrl, ...options });
  onTestFinished(() => core.close());
  const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Clinic', passphrase: 'correct horse battery staple', keychainUnlock: false });
  const groups = draft.recoveryKey.split(' ');
  await call(core, 'workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] });
  await call(core, 'connection:save', { ...ids, graphVersion: 'v25.0', webhookMode: 'direct', directPort: null, relayUrl: '', accessToken: validToken, appSecret });
  // Saving restarted the receiver with the app secret: it now checks Meta's signatures.
  expect(core.services.cloud()!.receiver).not.toBeNull();
  const events: Array<{ event: string; payload: unknown }> = [];
  ports.events.subscribe((event, payload) => events.push({ event, payload }));
  return { core, sandbox, clock, events };
}

function post(url: string, body: Buffer, secret = appSecret) {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
}

describe('the cloud runtime of an open workspace', () => {
  if (!fixturesPresent) {
    it('needs ../shared/cloud-api/fixtures, which is absent here: the webhook replays were not run', () => {
      expect(fixturesPresent).toBe(false);
    });
    return;
  }

  it('takes a signed webhook through receiver, inbox and processor to an event, even while locked', async () => {
    const { core, events } = await startConnected();
    await call(core, 'vault:lock');
    const receiver = core.services.cloud()!.receiver!;
    const forged = await post(receiver.url, fixtureBytes('webhook-text.json'), 'f'.repeat(32));
    expect(forged.status).toBe(401);
    const accepted = await post(receiver.url, fixtureBytes('webhook-text.json'));
    expect(accepted.status).toBe(200);
    await expect.poll(() => events.some((e) => e.event === 'messages:received')).toBe(true);
    // A repeat (Meta retries) is stored once and announced once.
    expect((await post(receiver.url, fixtureBytes('webhook-text.json'))).status).toBe(200);
    await expect.poll(() => core.services.cloud()!.counters().inbox).toMatchObject({ pending: 0 });
    expect(events.filter((e) => e.event === 'messages:received')).toHaveLength(1);
  });

  it('refuses free text when the 24-hour window is closed, before any network call, and sends a template once', async () => {
    const { core, sandbox, events } = await startConnected();
    const receiver = core.services.cloud()!.receiver!;
    // The fixture's message is years old: its window closed long ago.
    await post(receiver.url, fixtureBytes('webhook-text.json'));
    await expect.poll(() => events.some((e) => e.event === 'messages:received')).toBe(true);
    const { conversationId } = events.find((e) => e.event === 'messages:received')!.payload as { conversationId: number };
    const outbox = core.services.cloud()!.outbox;
    const states = () => events.filter((e) => e.event === 'outbox:state').map((e) => e.payload as { messageId: number; state: string; error?: { code: number | null } });

    const text = outbox.queue({ conversationId, request: { type: 'text', text: { body: '您好，已收到 — thanks!' } }, senderStaffId: null });
    await expect.poll(() => states().filter((s) => s.messageId === text).at(-1)).toMatchObject({ state: 'failed', error: { code: 131047 } });
    expect(sandbox.sent).toHaveLength(0);

    const template = outbox.queue({ conversationId, request: { type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } }, senderStaffId: null });
    await expect.poll(() => JSON.stringify(states().filter((s) => s.messageId === template).at(-1))).toContain('"state":"sent"');
    expect(sandbox.sent).toHaveLength(1);
  });
});

describe('cloud status', () => {
  it('counts what the receiver accepted and refused and what the inbox processed', async () => {
    const { core } = await startConnected();
    const receiver = core.services.cloud()!.receiver!;
    if (fixturesPresent) {
      await post(receiver.url, fixtureBytes('webhook-text.json'));
      await post(receiver.url, fixtureBytes('webhook-text.json'), 'f'.repeat(32));
    }
    await expect
      .poll(() => call(core, 'cloud:status'))
      .toMatchObject({ receiver: { localUrl: receiver.url, received: fixturesPresent ? 2 : 0, accepted: fixturesPresent ? 1 : 0, rejected: fixturesPresent ? 1 : 0 }, inbox: { pending: 0 } });
    await call(core, 'vault:lock');
    expect(await core.invoke('cloud:status', undefined)).toMatchObject({ ok: false, error: { code: 'locked' } });
  });
});

describe('the outbox against the sandbox with injected faults', () => {
  it('sends no message twice, and every message Meta accepted exactly once', async () => {
    if (!fixturesPresent) return;
    const { core, sandbox, clock, events } = await startConnected({ graphTimeoutMs: 300 });
    const receiver = core.services.cloud()!.receiver!;
    await post(receiver.url, fixtureBytes('webhook-text.json'));
    await expect.poll(() => events.some((e) => e.event === 'messages:received')).toBe(true);
    const { conversationId } = events.find((e) => e.event === 'messages:received')!.payload as { conversationId: number };

    sandbox.faults.inject('429', 2);
    sandbox.faults.inject('500', 2);
    sandbox.faults.inject('timeout-before-accept', 1);
    sandbox.faults.inject('timeout-after-accept', 1);
    const outbox = core.services.cloud()!.outbox;
    const ids = Array.from({ length: 6 }, () =>
      outbox.queue({ conversationId, request: { type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } }, senderStaffId: null }),
    );
    const last = (id: number) => events.filter((e) => e.event === 'outbox:state' && (e.payload as { messageId: number }).messageId === id).at(-1)?.payload as { state: string } | undefined;
    const settled = () => ids.every((id) => ['sent', 'unknown', 'failed'].includes(last(id)?.state ?? ''));
    for (let i = 0; i < 200 && !settled(); i++) {
      clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(settled()).toBe(true);

    const byClient = new Map<string, number>();
    for (const sent of sandbox.sent) byClient.set(sent.clientId ?? '', (byClient.get(sent.clientId ?? '') ?? 0) + 1);
    // Meta accepted each client id at most once: nothing was sent twice, timeouts included.
    expect([...byClient.values()].every((n) => n === 1)).toBe(true);
    const states = ids.map((id) => last(id)!.state);
    // Every message reported sent is one Meta accepted; the ones whose outcome is unknown were not resent.
    expect(states.filter((s) => s === 'sent').length).toBeLessThanOrEqual(sandbox.sent.length);
    expect(states.filter((s) => s === 'unknown').length).toBeGreaterThanOrEqual(1);
    expect(states.filter((s) => s === 'sent').length + states.filter((s) => s === 'unknown').length).toBe(6);
  });
});

describe('health', () => {
  it('says when webhooks fall silent while statuses are expected, and when Meta refuses the token', async () => {
    if (!fixturesPresent) return;
    const { core, clock, events } = await startConnected();
    const receiver = core.services.cloud()!.receiver!;
    await post(receiver.url, fixtureBytes('webhook-text.json'));
    await expect.poll(() => events.some((e) => e.event === 'messages:received')).toBe(true);
    const { conversationId } = events.find((e) => e.event === 'messages:received')!.payload as { conversationId: number };
    expect(await call(core, 'health:get')).toMatchObject({ offline: false, tokenRejected: false, webhooksSilent: false, qualityRating: null });

    const outbox = core.services.cloud()!.outbox;
    const template = { type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } };
    outbox.queue({ conversationId, request: template, senderStaffId: null });
    await expect.poll(() => events.some((e) => e.event === 'outbox:state' && (e.payload as { state: string }).state === 'sent')).toBe(true);
    clock.advance(16 * 60_000);
    expect(await call(core, 'health:get')).toMatchObject({ webhooksSilent: true });
    expect(events.filter((e) => e.event === 'health:state').at(-1)?.payload).toMatchObject({ webhooksSilent: true });
    await post(receiver.url, fixtureBytes('webhook-text.json'));
    await expect.poll(() => call(core, 'health:get')).toMatchObject({ webhooksSilent: false });

    await call(core, 'connection:save', { ...ids, graphVersion: 'v25.0', webhookMode: 'direct', directPort: null, relayUrl: '', accessToken: 'EAA-revoked-token-0000000000' });
    // Saving restarted the runtime: the new outbox sends with the new (refused) token.
    core.services.cloud()!.outbox.queue({ conversationId, request: template, senderStaffId: null });
    await expect.poll(() => call(core, 'health:get')).toMatchObject({ tokenRejected: true });
  });

  it('shows the quality rating Meta reports by webhook when it is newer than the last Test connection', async () => {
    const { core } = await startConnected();
    const receiver = core.services.cloud()!.receiver!;
    await call(core, 'connection:test');
    const tested = (await call<{ qualityRating: string | null }>(core, 'health:get')).qualityRating;
    expect(tested).toBe('GREEN');
    // Meta's example payload (a throughput event, about limits) leaves the rating alone…
    await post(receiver.url, fixtureBytes('webhook-phone-number-quality-update.json'));
    await expect.poll(() => core.services.cloud()!.counters().inbox).toMatchObject({ pending: 0, processed: 1 });
    expect(await call(core, 'health:get')).toMatchObject({ qualityRating: 'GREEN' });
    // …while the same payload with event FLAGGED (quality fell to low), sent after the test, turns it RED.
    const flagged = JSON.parse(fixtureBytes('webhook-phone-number-quality-update.json').toString('utf8'));
    flagged.entry[0].time = Math.ceil(Date.now() / 1000) + 60;
    flagged.entry[0].changes[0].value.event = 'FLAGGED';
    await post(receiver.url, Buffer.from(JSON.stringify(flagged)));
    await expect.poll(() => call(core, 'health:get')).toMatchObject({ qualityRating: 'RED' });
  });
});

describe('the quality rating', () => {
  it('takes the newer of the tested rating and Meta’s FLAGGED / UNFLAGGED events', () => {
    const tested = { qualityRating: 'GREEN', checkedAt: 1_000 };
    expect(currentQualityRating(null, null)).toBeNull();
    expect(currentQualityRating(tested, null)).toBe('GREEN');
    expect(currentQualityRating(tested, { event: 'FLAGGED', at: 2_000 })).toBe('RED');
    expect(currentQualityRating(tested, { event: 'FLAGGED', at: 500 })).toBe('GREEN');
    expect(currentQualityRating({ qualityRating: 'RED', checkedAt: 1_000 }, { event: 'UNFLAGGED', at: 3_000 })).toBe('GREEN');
    expect(currentQualityRating(tested, { event: 'DOWNGRADE', at: 3_000 })).toBe('GREEN');
    expect(currentQualityRating(null, { event: 'FLAGGED', at: 3_000 })).toBe('RED');
  });
});

describe('every fixture through the real receiver', () => {
  it('gives the same archive as the field-by-field replay of the processor', async () => {
    if (!fixturesPresent) return;
    const { core } = await startConnected();
    const runtime = core.services.cloud()!;
    const names = inboundFixtureNames();
    for (const name of names) expect((await post(runtime.receiver!.url, fixtureBytes(name))).status, name).toBe(200);
    await expect.poll(() => runtime.counters().inbox).toMatchObject({ pending: 0, processed: names.length, failed: 0 });

    const replay = createHarness({ phoneNumberId: () => ids.phoneNumberId });
    for (const name of names) replay.process(fixtureBytes(name));
    // Media downloads (the sandbox does not hold Meta's example files) and the settings differ by design.
    const comparable = (archive: Archive) => {
      const { messages, contacts, conversations, statusEvents, reactions, templates } = canonicalDump(archive);
      return { contacts, conversations, statusEvents, reactions, templates, messages: messages.map(({ media_state: _state, ...rest }) => rest) };
    };
    expect(comparable(core.services.workspaces.current()!.archive)).toEqual(comparable(replay.archive));
  });
});

describe('saving the connection', () => {
  it('moves the receiver to the configured port at once', async () => {
    const { core } = await startConnected();
    const free = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    await call(core, 'connection:save', { ...ids, graphVersion: 'v25.0', webhookMode: 'direct', directPort: free, relayUrl: '' });
    expect(core.services.cloud()!.receiver!.port).toBe(free);
    expect((await call<{ receiver: { localUrl: string } }>(core, 'cloud:status')).receiver.localUrl).toBe(`http://127.0.0.1:${free}/webhooks/whatsapp`);
  });
});
