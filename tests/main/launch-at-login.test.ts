import { describe, expect, it } from 'vitest';
import { autostartEntry, createLaunchAtLogin, launchedAtLoginArg, xdgAutostartFile } from '../../electron/main/launch-at-login';
import type { LoginItemApp } from '../../electron/main/launch-at-login';
import { tempDir } from '../core/helpers';

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
    const login = createLaunchAtLogin({ app, platform: 'win32', isPackaged: true });
    expect(login.state()).toEqual({ supported: true, enabled: false });
    expect(login.set(true)).toEqual({ supported: true, enabled: true });
    expect(registered.get(JSON.stringify([launchedAtLoginArg]))).toBe(true);
    expect(login.startedAtLogin(['Frontdesk.exe', launchedAtLoginArg])).toBe(true);
    expect(login.startedAtLogin(['Frontdesk.exe'])).toBe(false);
    expect(login.set(false)).toEqual({ supported: true, enabled: false });
  });

  it('on macOS asks the system whether this start was at login', () => {
    expect(createLaunchAtLogin({ app: loginItems(true).app, platform: 'darwin', isPackaged: true }).startedAtLogin([])).toBe(true);
    expect(createLaunchAtLogin({ app: loginItems(false).app, platform: 'darwin', isPackaged: true }).startedAtLogin([])).toBe(false);
  });

  it('on Linux writes an XDG autostart entry that starts this Frontdesk in the tray, and removes it', () => {
    const config = tempDir();
    const autostart = xdgAutostartFile('/home/desk', config);
    const executable = '/home/desk/Apps/Frontdesk "2".AppImage';
    const login = createLaunchAtLogin({ app: loginItems().app, platform: 'linux', isPackaged: true, autostart, executable });
    expect(login.state()).toEqual({ supported: true, enabled: false });

    expect(login.set(true)).toEqual({ supported: true, enabled: true });
    const entry = autostart.read()!;
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain(`Exec="/home/desk/Apps/Frontdesk \\"2\\".AppImage" ${launchedAtLoginArg}`);
    expect(login.startedAtLogin(['frontdesk', launchedAtLoginArg])).toBe(true);

    // An entry for a Frontdesk that has moved since is not this one's: shown off, rewritten when turned on.
    const moved = createLaunchAtLogin({ app: loginItems().app, platform: 'linux', isPackaged: true, autostart, executable: '/opt/Frontdesk/frontdesk' });
    expect(moved.state().enabled).toBe(false);
    expect(moved.set(true).enabled).toBe(true);
    expect(autostart.read()).toBe(autostartEntry('/opt/Frontdesk/frontdesk'));

    expect(moved.set(false)).toEqual({ supported: true, enabled: false });
    expect(autostart.read()).toBeNull();
    expect(xdgAutostartFile('/home/desk', config).read()).toBeNull();
  });

  it('is not offered in a development build, and never registers anything there', () => {
    const config = tempDir();
    const autostart = xdgAutostartFile('/home/desk', config);
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { app, registered } = loginItems(true);
      const login = createLaunchAtLogin({ app, platform, isPackaged: false, autostart, executable: '/usr/bin/electron' });
      expect(login.set(true)).toEqual({ supported: false, enabled: false });
      expect(registered.size).toBe(0);
      expect(login.startedAtLogin([launchedAtLoginArg])).toBe(false);
    }
    expect(autostart.read()).toBeNull();
  });
});
