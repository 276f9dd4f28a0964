import { mkdtempSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ConnectionView, WorkspaceDraft, WorkspaceState } from '../../../shared/ipc';
import { createVirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { startSandboxGraph } from '../../../electron/core/sandbox/graph-server';
import { call, fastArgon2, tempDir } from '../helpers';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890123' };
const validToken = 'EAAsandbox-valid-token-0123456789';

async function connectedCore() {
  const clock = createVirtualClock();
  const sandbox = await startSandboxGraph({ clock, seed: 1, validToken, ...ids });
  onTestFinished(() => sandbox.close());
  const dataDir = tempDir();
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: 'test', clock, logger: createMemoryLogger() });
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), graphBaseUrl: sandbox.baseUrl });
  onTestFinished(() => core.close());
  const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Clinic', passphrase: 'correct horse battery staple', keychainUnlock: false });
  const groups = draft.recoveryKey.split(' ');
  await call<WorkspaceState>(core, 'workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] });
  return { core, sandbox, dataDir };
}

const form = { ...ids, graphVersion: 'v25.0', webhookMode: 'direct' as const, directPort: 8443, relayUrl: '' };

describe('connect a number (against the sandbox)', () => {
  it('says exactly what is wrong with a bad token, then shows the verified name with the right one', async () => {
    const { core } = await connectedCore();
    const saved = await call<ConnectionView>(core, 'connection:save', { ...form, accessToken: 'EAA-wrong-token-abcdefghijk', appSecret: 'a'.repeat(32) });
    expect(saved).toMatchObject({ configured: true, hasAccessToken: true, hasAppSecret: true, callbackPath: '/webhooks/whatsapp', phone: null });
    expect(saved.verifyToken.length).toBeGreaterThanOrEqual(24);
    expect(JSON.stringify(saved)).not.toContain('wrong-token');

    const refused = await core.invoke('connection:test', undefined);
    expect(refused).toMatchObject({ ok: false, error: { code: 'meta_auth_failed', metaCode: 190 } });

    await call(core, 'connection:save', { ...form, accessToken: validToken });
    const tested = await call<ConnectionView>(core, 'connection:test');
    expect(tested.phone).toMatchObject({ verifiedName: 'Frontdesk Sandbox', displayPhoneNumber: '+1 555-010-0100', qualityRating: 'GREEN' });
    // The verify token stays the same across saves: Meta's dashboard keeps the pasted copy.
    expect(tested.verifyToken).toBe(saved.verifyToken);
  });

  it('names the wrong fields before anything reaches Meta', async () => {
    const { core } = await connectedCore();
    const result = await core.invoke('connection:save', { ...form, phoneNumberId: '12ab', graphVersion: '25', directPort: 80, appSecret: 'xyz' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const paths = (result as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path).sort();
    expect(paths).toEqual(['appSecret', 'directPort', 'graphVersion', 'phoneNumberId']);
    expect(await core.invoke('connection:test', undefined)).toMatchObject({ ok: false, error: { code: 'not_connected' } });
  });

  it('reports no network as unreachable', async () => {
    const clock = createVirtualClock();
    const ports = createNodePorts({ dataDir: mkdtempSync(`${tempDir()}/x`), transport: 'preview', appVersion: 'test', clock, logger: createMemoryLogger() });
    // A port nothing listens on.
    const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), graphBaseUrl: 'http://127.0.0.1:9' });
    onTestFinished(() => core.close());
    const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Clinic', passphrase: 'correct horse battery staple', keychainUnlock: false });
    const groups = draft.recoveryKey.split(' ');
    await call(core, 'workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] });
    await call(core, 'connection:save', { ...form, accessToken: validToken });
    expect(await core.invoke('connection:test', undefined)).toMatchObject({ ok: false, error: { code: 'meta_unreachable' } });
  });
});
