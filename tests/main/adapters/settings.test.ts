import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ElectronStore from 'electron-store';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStoreSettings, settingsStoreOptions } from '../../../electron/main/adapters/settings';
import { createConfSettings } from '../../../electron/core/node-ports/settings';

// The electron package's entry downloads a missing binary when loaded; this documented override makes it
// return a path instead, so the real electron-store 12 can run here (outside Electron it needs an absolute cwd).
process.env.ELECTRON_OVERRIDE_DIST_PATH ??= join(tmpdir(), 'no-electron-here');
let Store: typeof ElectronStore;
beforeAll(async () => {
  Store = (await import('electron-store')).default;
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-settings-'));
  dirs.push(dir);
  const store = new Store<Record<string, unknown>>({ ...settingsStoreOptions, cwd: dir });
  return { dir, store, settings: createStoreSettings(store) };
}

describe('settings over electron-store', () => {
  it('round-trips values of every JSON shape', async () => {
    const { settings } = open();
    const values: Record<string, unknown> = {
      theme: 'dark',
      failedUnlocks: 3,
      notifications: false,
      window: { width: 1400, height: 900, maximized: false },
      recentWorkspaces: ['demo', 'main-number'],
      lockedAt: null,
    };
    for (const [key, value] of Object.entries(values)) await settings.set(key, value);
    for (const [key, value] of Object.entries(values)) await expect(settings.get(key)).resolves.toEqual(value);
  });

  it('survives a restart: a new store on the same folder reads what the last one wrote', async () => {
    const { dir, settings } = open();
    await settings.set('language', 'zh-CN');
    const reopened = createStoreSettings(new Store<Record<string, unknown>>({ ...settingsStoreOptions, cwd: dir }));
    await expect(reopened.get('language')).resolves.toBe('zh-CN');
  });

  it('deletes a key, and treats setting undefined as deleting it', async () => {
    const { settings } = open();
    await settings.set('theme', 'dark');
    await settings.delete('theme');
    await expect(settings.get('theme')).resolves.toBeUndefined();
    await settings.set('language', 'en');
    await settings.set('language', undefined);
    await expect(settings.get('language')).resolves.toBeUndefined();
  });

  it("writes settings.json, the very file core's plain-Node port reads and writes", async () => {
    const { dir, store, settings } = open();
    expect(store.path).toBe(join(dir, 'settings.json'));
    await settings.set('failedUnlocks', 2);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ failedUnlocks: 2 });
    const core = createConfSettings(dir);
    await expect(core.get('failedUnlocks')).resolves.toBe(2);
    await core.set('theme', 'light');
    const reopened = createStoreSettings(new Store<Record<string, unknown>>({ ...settingsStoreOptions, cwd: dir }));
    await expect(reopened.get('theme')).resolves.toBe('light');
  });
});
