/**
 * Launch at login (a setting). macOS and Windows have Electron's login items; Linux desktops start what the XDG
 * autostart folder lists (`~/.config/autostart/*.desktop`). A development build never registers itself (it would
 * start the bare Electron binary at every login). Started at login, Frontdesk opens in the tray without a window:
 * the desk is ready, the screen stays clear.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { App } from 'electron';

/** Passed by the Windows login item and the Linux autostart entry, where the system does not report it. */
export const launchedAtLoginArg = '--launched-at-login';

export type LoginItemApp = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;

/** The Linux autostart entry, one file. */
export interface AutostartFile {
  read(): string | null;
  write(content: string): void;
  remove(): void;
}

export interface LaunchAtLoginOptions {
  app: LoginItemApp;
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** Linux: the autostart entry, and what it starts (the AppImage when run as one, else the installed binary). */
  autostart?: AutostartFile;
  executable?: string;
}

export interface LaunchAtLogin {
  state(): { supported: boolean; enabled: boolean };
  set(enabled: boolean): { supported: boolean; enabled: boolean };
  /** This process was started at login: start in the tray. */
  startedAtLogin(argv: readonly string[]): boolean;
}

/** A path as one argument of a desktop entry's Exec line (the spec's quoting rules). */
function execArgument(path: string): string {
  return `"${path.replace(/[\\"`$]/g, (char) => `\\${char}`)}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Frontdesk',
    'Comment=WhatsApp Business front desk',
    `Exec=${execArgument(executable)} ${launchedAtLoginArg}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** `~/.config/autostart/frontdesk.desktop` (or under $XDG_CONFIG_HOME), written whole or not at all. */
export function xdgAutostartFile(home: string, configHome = process.env.XDG_CONFIG_HOME): AutostartFile {
  const path = join(configHome || join(home, '.config'), 'autostart', 'frontdesk.desktop');
  return {
    read() {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    write(content) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.partial`, content, { mode: 0o644 });
      renameSync(`${path}.partial`, path);
    },
    remove: () => rmSync(path, { force: true }),
  };
}

export function createLaunchAtLogin(options: LaunchAtLoginOptions): LaunchAtLogin {
  const { app, platform, isPackaged } = options;
  if (platform === 'linux') return linuxLaunchAtLogin(isPackaged ? options : null);
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

function linuxLaunchAtLogin(options: Pick<LaunchAtLoginOptions, 'autostart' | 'executable'> | null): LaunchAtLogin {
  const autostart = options?.autostart;
  const executable = options?.executable;
  const supported = Boolean(autostart && executable);
  // Ours only when it starts this Frontdesk: an entry left by an AppImage since moved is stale, and rewritten.
  const state = () => ({ supported, enabled: supported && autostart!.read() === autostartEntry(executable!) });
  return {
    state,
    set(enabled) {
      if (!supported) return state();
      if (enabled) autostart!.write(autostartEntry(executable!));
      else autostart!.remove();
      return state();
    },
    startedAtLogin: (argv) => supported && argv.includes(launchedAtLoginArg),
  };
}
