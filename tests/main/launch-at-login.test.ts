import { describe, expect, it } from 'vitest';
import { createLaunchAtLogin, launchedAtLoginArg } from '../../electron/main/launch-at-login';
import type { LoginItemApp } from '../../electron/main/launch-at-login';

/** Electron's login items, kept in memory per `args` as Windows keys them. */
function loginItems(openedAtLogin = false) {
  const registered = new Map<string, boolean>();
  const app = {
    getLoginItemSettings: (options?: { args?: string[] }) => ({ openAtLogin: registered.get(JSON.stringify(options?.args ?? [])) ?? false, wasOpenedAtLogin: openedAtLogin }),
    setLoginItemSettings: (settings: { openAtLogin?: boolean; args?: string[] }) => void registered.set(JSON.stringify(settings.args ?? []), settings.openAtLogin ?? false),
  } as unknown as LoginItemApp;
  return { app, registered };
}

describe('launch at login', () => {
  it('registers and removes the login item on Windows, with the argument that starts Frontdesk in the tray', () => {
    const { app, registered } = loginItems();
    const login = createLaunchAtLogin(app, 'win32', true);
    expect(login.state()).toEqual({ supported: true, enabled: false });
    expect(login.set(true)).toEqual({ supported: true, enabled: true });
    expect(registered.get(JSON.stringify([launchedAtLoginArg]))).toBe(true);
    expect(login.startedAtLogin(['Frontdesk.exe', launchedAtLoginArg])).toBe(true);
    expect(login.startedAtLogin(['Frontdesk.exe'])).toBe(false);
    expect(login.set(false)).toEqual({ supported: true, enabled: false });
  });

  it('on macOS asks the system whether this start was at login', () => {
    expect(createLaunchAtLogin(loginItems(true).app, 'darwin', true).startedAtLogin([])).toBe(true);
    expect(createLaunchAtLogin(loginItems(false).app, 'darwin', true).startedAtLogin([])).toBe(false);
  });

  it('is not offered on Linux or in a development build, and never registers anything there', () => {
    for (const [platform, packaged] of [['linux', true], ['win32', false], ['darwin', false]] as const) {
      const { app, registered } = loginItems(true);
      const login = createLaunchAtLogin(app, platform, packaged);
      expect(login.set(true)).toEqual({ supported: false, enabled: false });
      expect(registered.size).toBe(0);
      expect(login.startedAtLogin([launchedAtLoginArg])).toBe(false);
    }
  });
});
