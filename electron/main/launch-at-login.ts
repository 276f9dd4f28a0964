/**
 * Launch at login (a setting): Electron's login items exist on macOS and Windows. A development build never
 * registers itself (it would start the bare Electron binary at every login). Started at login, Frontdesk opens
 * in the tray without a window: the desk is ready, the screen stays clear.
 */
import type { App } from 'electron';

/** Passed to the login item on Windows, where Electron does not report "opened at login". */
export const launchedAtLoginArg = '--launched-at-login';

export type LoginItemApp = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;

export interface LaunchAtLogin {
  state(): { supported: boolean; enabled: boolean };
  set(enabled: boolean): { supported: boolean; enabled: boolean };
  /** This process was started by the login item: start in the tray. */
  startedAtLogin(argv: readonly string[]): boolean;
}

export function createLaunchAtLogin(app: LoginItemApp, platform: NodeJS.Platform, isPackaged: boolean): LaunchAtLogin {
  const supported = isPackaged && (platform === 'darwin' || platform === 'win32');
  const args = platform === 'win32' ? [launchedAtLoginArg] : [];
  const state = () => ({ supported, enabled: supported && app.getLoginItemSettings({ args }).openAtLogin });
  return {
    state,
    set(enabled) {
      if (supported) app.setLoginItemSettings({ openAtLogin: enabled, args });
      return state();
    },
    startedAtLogin(argv) {
      if (!supported) return false;
      if (platform === 'win32') return argv.includes(launchedAtLoginArg);
      return app.getLoginItemSettings().wasOpenedAtLogin === true;
    },
  };
}
