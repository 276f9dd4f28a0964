/**
 * Desktop integration, wired: the tray with the unread count, the dock/taskbar badge, close-to-tray, launch at
 * login, the OS lock, and self-update. Each rule lives in its own module (tray.ts, close-to-tray.ts, …); this one
 * connects them to each other, to core and to the window. Electron's APIs come in as parameters.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { events } from '../../shared/ipc/contract';
import type { DesktopPort } from '../core/ports';
import { createCloseToTray } from './close-to-tray';
import type { ClosableWindow } from './close-to-tray';
import { createMainDesktopPort, desktopStateOf } from './desktop-port';
import type { LaunchAtLogin } from './launch-at-login';
import { lockOnScreenLock } from './screen-lock';
import type { PowerMonitorLike } from './screen-lock';
import { shellText } from './shell-text';
import type { ShellLocale } from './shell-text';
import { createTrayController } from './tray';
import type { TrayController, TrayLike } from './tray';
import { createUnreadBadge, unreadFromEvent } from './unread-badge';
import { createUpdateFlow } from './update-flow';
import type { UpdaterLike, UpdateFlow } from './update-flow';

export interface DesktopShellOptions {
  platform: NodeJS.Platform;
  locale: ShellLocale;
  createTray(image: string): TrayLike;
  /** The first window shown (created if there is none). */
  showWindow(): void;
  /** Sends a contract event to our windows (main's event forwarder). */
  sendToWindows(name: 'desktop:state' | 'desktop:command', payload: unknown): void;
  badge: { setBadgeCount(count: number): boolean; setOverlayIcon(image: string | null, description: string): void };
  settings: { get(key: string): unknown; set(key: string, value: unknown): void };
  showMessage(title: string, detail: string, button: string): void;
  notify(title: string, body: string): void;
  powerMonitor: PowerMonitorLike;
  launchAtLogin: LaunchAtLogin;
  /** Null: updates off (a development build). */
  updater: UpdaterLike | null;
  core: {
    lock(): void;
    screenLocked(): void;
    isSending(): Promise<boolean>;
    /** Closes core cleanly before the installer takes over. */
    stop(): Promise<void>;
  };
  /** Starts quitting (app.quit). */
  quit(): void;
  isQuitting(): boolean;
  /** Marks that quitting has begun (before core stops for an update). */
  beginQuit(): void;
  log(level: 'info' | 'warn', message: string, fields?: Record<string, string | number>): void;
  now?(): number;
  setTimer?(ms: number, fn: () => void): () => void;
}

export interface DesktopShell {
  /** Core's desktop port, answered here. */
  port: DesktopPort;
  tray: TrayController;
  updates: UpdateFlow;
  /** Every core event passes here (unread count, lock state). */
  onCoreEvent(name: unknown, payload: unknown): void;
  /** The window's 'close' handler. */
  onWindowClose(event: { preventDefault(): void }, window: ClosableWindow): void;
  stop(): void;
}

const defaultTimer = (ms: number, fn: () => void) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export function createDesktopShell(options: DesktopShellOptions): DesktopShell {
  const text = shellText(options.locale);
  const badge = createUnreadBadge({ platform: options.platform, ...options.badge }, text.badgeUnread);
  const launchAtLogin = options.launchAtLogin;
  // Its callbacks run later (events, timers), when the tray below exists.
  const updates: UpdateFlow = createUpdateFlow({
    updater: options.updater,
    isSending: () => options.core.isSending(),
    now: options.now ?? Date.now,
    setTimer: options.setTimer ?? defaultTimer,
    onChange(update) {
      tray.update({ update });
      options.sendToWindows('desktop:state', desktopStateOf(launchAtLogin, updates));
    },
    onReady: (version) => options.notify(text.updateReadyTitle, text.updateReadyBody(version)),
    async beforeInstall() {
      options.beginQuit();
      await options.core.stop();
    },
    log: options.log,
  });
  const tray = createTrayController({
    platform: options.platform,
    locale: options.locale,
    createTray: options.createTray,
    actions: {
      open: () => options.showWindow(),
      lock: () => options.core.lock(),
      // Privacy mode belongs to the page (it blurs what the page shows); the page reports back the new state.
      togglePrivacyMode: () => options.sendToWindows('desktop:command', { command: 'toggle-privacy-mode' }),
      restartToUpdate: () => void updates.restart(),
      quit: () => options.quit(),
    },
  });
  tray.update({ update: updates.state() });

  const stopWatchingLock = lockOnScreenLock(options.powerMonitor, () => options.core.screenLocked());
  const closeToTray = createCloseToTray({
    isQuitting: options.isQuitting,
    settings: options.settings,
    explain: () => options.showMessage(text.stillRunningTitle, text.stillRunningDetail, text.ok),
  });

  return {
    port: createMainDesktopPort({ launchAtLogin, updates, onPrivacyMode: (privacyMode) => tray.update({ privacyMode }) }),
    tray,
    updates,
    onCoreEvent(name, payload) {
      const unread = unreadFromEvent(name, payload);
      if (unread !== null) {
        badge(unread);
        tray.update({ unread });
        return;
      }
      if (name === 'workspace:state') {
        const parsed = events['workspace:state'].safeParse(payload);
        if (parsed.success) tray.update({ workspaceOpen: parsed.data.open !== null, locked: parsed.data.locked });
      }
    },
    onWindowClose: closeToTray,
    stop() {
      stopWatchingLock();
      updates.stop();
      tray.destroy();
    },
  };
}

/** Electron's Tray behind TrayLike: images by name from assets/tray, menus from templates. */
export interface ElectronTrayParts<Image, Menu> {
  image(name: string): Image;
  newTray(image: Image): {
    setImage(image: Image): void;
    setToolTip(text: string): void;
    setTitle(title: string): void;
    setContextMenu(menu: Menu): void;
    on(event: 'click', listener: () => void): unknown;
    destroy(): void;
  };
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
}

export function electronTray<Image, Menu>(parts: ElectronTrayParts<Image, Menu>) {
  return (first: string): TrayLike => {
    const tray = parts.newTray(parts.image(first));
    return {
      setImage: (name) => tray.setImage(parts.image(name)),
      setToolTip: (text) => tray.setToolTip(text),
      setTitle: (title) => tray.setTitle(title),
      setContextMenu: (template) => tray.setContextMenu(parts.buildMenu(template)),
      onClick: (listener) => void tray.on('click', listener),
      destroy: () => tray.destroy(),
    };
  };
}
