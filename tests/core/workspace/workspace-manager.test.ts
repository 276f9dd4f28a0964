import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkspaceDraft, WorkspaceState } from '../../../shared/ipc';
import { fillArchive } from '../../support/seed-archive';
import { call, startTestCore } from '../helpers';

const passphrase = 'correct horse battery staple';

async function setUpBusiness(core: ReturnType<typeof startTestCore>['core'], options: { keychainUnlock?: boolean; name?: string } = {}) {
  const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: options.name ?? 'Harbour Clinic 港湾诊所', passphrase, keychainUnlock: options.keychainUnlock ?? false });
  const groups = draft.recoveryKey.split(' ');
  const state = await call<WorkspaceState>(core, 'workspace:create', {
    draftId: draft.draftId,
    confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]],
  });
  return { draft, state, workspaceId: state.open!.id };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('workspaces: first start', () => {
  it('opens the demo workspace in one step, and again after a restart through the keychain', async () => {
    const first = startTestCore();
    const state = await call<WorkspaceState>(first.core, 'workspace:open-demo');
    expect(state).toMatchObject({ open: { kind: 'demo', name: 'Demo', keychainUnlock: true }, locked: false });
    await first.core.close();

    const second = startTestCore({ dataDir: first.dataDir });
    expect(await call(second.core, 'workspace:state')).toMatchObject({ open: null });
    expect(await call(second.core, 'workspace:list')).toEqual([state.open]);
    expect(await call(second.core, 'workspace:open-demo')).toMatchObject({ open: { id: state.open!.id } });
  });

  it('sets up a business only after two recovery-key groups are typed back, and writes nothing before', async () => {
    const { core, dataDir } = startTestCore();
    const draft = await call<WorkspaceDraft>(core, 'workspace:prepare', { name: 'Clinic', passphrase, keychainUnlock: false });
    expect(draft.recoveryKey).toMatch(/^(\d{4} ){15}\d{4}$/);
    expect(draft.confirmGroups[0]).toBeLessThan(draft.confirmGroups[1]);
    expect(await call(core, 'workspace:list')).toEqual([]);

    const wrong = await core.invoke('workspace:create', { draftId: draft.draftId, confirmations: ['0000', '0000'] });
    const groups = draft.recoveryKey.split(' ');
    if (groups[draft.confirmGroups[0] - 1] !== '0000') {
      expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_recovery_key', fields: expect.arrayContaining([expect.objectContaining({ path: 'confirmations.0' })]) } });
    }

    const state = await call<WorkspaceState>(core, 'workspace:create', {
      draftId: draft.draftId,
      confirmations: [groups[draft.confirmGroups[0] - 1], ` ${groups[draft.confirmGroups[1] - 1]} `],
    });
    expect(state).toMatchObject({ open: { kind: 'business', name: 'Clinic', keychainUnlock: false }, locked: false });
    // Neither the passphrase nor the recovery key is anywhere on disk.
    const disk = filesUnder(dataDir).map((f) => readFileSync(f).toString('latin1')).join('\n');
    expect(disk).not.toContain(passphrase);
    expect(disk).not.toContain(draft.recoveryKey.replace(/ /g, ''));
  });

  it('refuses a passphrase under 10 characters and names the field', async () => {
    const { core } = startTestCore();
    expect(await core.invoke('workspace:prepare', { name: 'Clinic', passphrase: 'short', keychainUnlock: false })).toMatchObject({
      ok: false,
      error: { code: 'passphrase_too_weak', fields: [{ path: 'passphrase' }] },
    });
  });
});

describe('workspaces: lock and unlock', () => {
  it('locks on demand, gives the renderer nothing while locked, and keeps the archive open for core', async () => {
    const { core, ports } = startTestCore();
    const { workspaceId } = await setUpBusiness(core);
    fillArchive(core.services.workspaces.current()!.archive, { messages: 50, seed: 3 });
    const events: unknown[] = [];
    ports.events.subscribe((event, payload) => event === 'workspace:state' && events.push(payload));

    expect(await call(core, 'vault:lock')).toMatchObject({ locked: true, open: { id: workspaceId } });
    expect(events).toEqual([expect.objectContaining({ locked: true })]);
    expect(await core.invoke('search:messages', { query: 'order' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Core's own work goes on: the archive is still open behind the lock.
    expect(core.services.workspaces.current()!.archive.search.searchMessages({ text: 'order' }).items.length).toBeGreaterThan(0);

    expect(await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase })).toMatchObject({ locked: false });
    expect(await call(core, 'search:messages', { query: 'order' })).toMatchObject({ hits: expect.any(Array) });
  });

  it('refuses a wrong passphrase with a growing delay that survives a restart, without touching the archive', async () => {
    const first = startTestCore();
    const { workspaceId } = await setUpBusiness(first.core);
    await call(first.core, 'workspace:close');
    const dbPath = join(first.dataDir, 'workspaces', workspaceId, 'archive.db');
    const before = readFileSync(dbPath);

    expect(await first.core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase: 'not the passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_passphrase', retryAfterMs: 1000 },
    });
    expect(await first.core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase })).toMatchObject({
      ok: false,
      error: { code: 'unlock_throttled' },
    });
    first.clock.advance(1000);
    expect(await first.core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase: 'still wrong!' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_passphrase', retryAfterMs: 2000 },
    });
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    await first.core.close();

    const second = startTestCore({ dataDir: first.dataDir });
    second.clock.advance(first.clock.now() - second.clock.now() + 500);
    expect(await second.core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase })).toMatchObject({
      ok: false,
      error: { code: 'unlock_throttled' },
    });
    second.clock.advance(1500);
    expect(await call(second.core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase })).toMatchObject({ locked: false });
  });

  it('unlocks with the recovery key, and resets a forgotten passphrase with it', async () => {
    const { core } = startTestCore();
    const { workspaceId, draft } = await setUpBusiness(core);
    await call(core, 'vault:lock');
    expect(await call(core, 'vault:unlock', { workspaceId, method: 'recovery', recoveryKey: draft.recoveryKey.replace(/ /g, '-') })).toMatchObject({ locked: false });

    await call(core, 'workspace:close');
    const next = 'a brand new passphrase';
    expect(await call(core, 'vault:reset-passphrase', { workspaceId, recoveryKey: draft.recoveryKey, next })).toMatchObject({ locked: false });
    await call(core, 'vault:lock');
    expect(await core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
  });

  it('changes the passphrase without changing any data', async () => {
    const first = startTestCore();
    const { workspaceId } = await setUpBusiness(first.core);
    fillArchive(first.core.services.workspaces.current()!.archive, { messages: 200, seed: 7 });
    const hitsBefore = await call<{ hits: unknown[] }>(first.core, 'search:messages', { query: '订单', limit: 100 });
    expect(hitsBefore.hits.length).toBeGreaterThan(0);

    expect(await first.core.invoke('vault:change-passphrase', { current: 'wrong current one', next: 'river stone lantern orchard' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_passphrase', fields: [{ path: 'current' }] },
    });
    first.clock.advance(1000);
    await call(first.core, 'vault:change-passphrase', { current: passphrase, next: 'river stone lantern orchard' });
    await first.core.close();

    const second = startTestCore({ dataDir: first.dataDir });
    expect(await second.core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
    second.clock.advance(1000);
    await call(second.core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase: 'river stone lantern orchard' });
    expect(await call(second.core, 'search:messages', { query: '订单', limit: 100 })).toEqual(hitsBefore);
  });

  it('locks after the idle minutes, counted from the last activity, and when the screen locks', async () => {
    const { core, ports, idleClock } = startTestCore();
    await setUpBusiness(core);
    expect(await call(core, 'vault:set-auto-lock', { minutes: 5 })).toMatchObject({ autoLockMinutes: 5 });
    idleClock.advance(4 * 60_000);
    await call(core, 'app:activity');
    idleClock.advance(4 * 60_000);
    expect(core.services.workspaces.state().locked).toBe(false);
    idleClock.advance(60_000);
    expect(core.services.workspaces.state().locked).toBe(true);

    const workspaceId = core.services.workspaces.state().open!.id;
    await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase });
    ports.system.lockScreen();
    expect(core.services.workspaces.state().locked).toBe(true);
  });

  it('unlocks through the keychain when turned on, and not after it is turned off', async () => {
    const { core } = startTestCore();
    const { workspaceId } = await setUpBusiness(core, { keychainUnlock: true });
    await call(core, 'vault:lock');
    expect(await call(core, 'vault:unlock', { workspaceId, method: 'keychain' })).toMatchObject({ locked: false });
    expect(await call(core, 'vault:set-keychain-unlock', { enabled: false })).toMatchObject({ open: { keychainUnlock: false } });
    await call(core, 'vault:lock');
    expect(await core.invoke('vault:unlock', { workspaceId, method: 'keychain' })).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
  });

  it('switches between workspaces, closing the first', async () => {
    const { core } = startTestCore();
    const a = await setUpBusiness(core, { name: 'Shop A' });
    await call(core, 'workspace:close');
    const demo = await call<WorkspaceState>(core, 'workspace:open-demo');
    expect(demo.open!.id).not.toBe(a.workspaceId);
    expect(await call(core, 'vault:unlock', { workspaceId: a.workspaceId, method: 'passphrase', passphrase })).toMatchObject({ open: { name: 'Shop A' } });
    expect((await call<unknown[]>(core, 'workspace:list')).length).toBe(2);
  });
});

describe('secrets', () => {
  it('stores the token and app secret encrypted, and tells the renderer only whether each is set', async () => {
    const { core, dataDir } = startTestCore();
    await setUpBusiness(core);
    expect(await call(core, 'secrets:status')).toEqual({ accessToken: false, appSecret: false });
    const token = 'EAAGm0PX4ZCpsBAKxZBtoken-never-on-disk';
    const result = await call(core, 'secrets:set', { accessToken: token, appSecret: 'app-secret-never-on-disk' });
    expect(result).toEqual({ accessToken: true, appSecret: true });
    expect(JSON.stringify(result)).not.toContain(token);
    await call(core, 'workspace:close');
    const disk = filesUnder(dataDir).map((f) => readFileSync(f).toString('latin1')).join('\n');
    expect(disk).not.toContain('never-on-disk');
    expect(await core.invoke('secrets:status', undefined)).toMatchObject({ ok: false, error: { code: 'no_workspace_open' } });
  });
});

describe('audit and defaults', () => {
  it('writes failed unlock attempts to the audit log at the next successful unlock, hash-chained', async () => {
    const { core, clock } = startTestCore();
    const { workspaceId } = await setUpBusiness(core);
    await call(core, 'vault:lock');
    await core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase: 'wrong passphrase 1' });
    clock.advance(1000);
    await core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase: 'wrong passphrase 2' });
    clock.advance(2000);
    await call(core, 'vault:unlock', { workspaceId, method: 'passphrase', passphrase });
    const audit = core.services.workspaces.current()!.archive.audit;
    // One entry for the failures (count and times), then the unlock itself, which does not count them again.
    const [latest, failures] = audit.page({ limit: 2 });
    expect(latest).toMatchObject({ action: 'vault.unlocked', details: { method: 'passphrase' } });
    expect(latest!.details).not.toHaveProperty('failedAttemptsBefore');
    expect(failures).toMatchObject({ action: 'vault.unlock-failed', details: { count: 2, lastAt: failures!.details.firstAt as number + 1000 } });
    expect(audit.page({ limit: 100 }).filter((e) => e.action === 'vault.unlock-failed')).toHaveLength(1);
    expect(audit.verify()).toMatchObject({ ok: true, brokenAt: null });
  });

  it('starts a new workspace with the default labels', async () => {
    const { core } = startTestCore();
    await setUpBusiness(core);
    const names = core.services.workspaces.current()!.archive.labels.list().map((label) => label.name);
    expect(names).toEqual(['New customer', 'New order', 'Pending payment', 'Paid', 'Order complete', 'High-value customer']);
  });
});
