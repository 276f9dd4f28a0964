/** The app window: its options, and the registry that tells our windows apart from any other webContents. */
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { appEntryUrl } from './app-origin';
import { secureWebPreferences } from './security';

export function mainWindowOptions(preloadPath: string, dark: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Frontdesk',
    // Shown on 'ready-to-show', painted in the theme's colour meanwhile: no white flash.
    show: false,
    backgroundColor: dark ? '#1c1c1e' : '#f6f6f4',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** The part of BrowserWindow used here. */
export interface WindowLike {
  readonly webContents: WebContents;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export interface WindowRegistry<W extends WindowLike> {
  add(window: W): W;
  all(): W[];
  /** The first live window (the one dialogs attach to and a second instance focuses). */
  first(): W | null;
  isOurContents(contents: WebContents): boolean;
  contents(): WebContents[];
}

export function createWindowRegistry<W extends WindowLike>(): WindowRegistry<W> {
  const windows = new Set<W>();
  const live = () => [...windows].filter((window) => !window.isDestroyed());
  return {
    add(window) {
      windows.add(window);
      window.on('closed', () => windows.delete(window));
      return window;
    },
    all: live,
    first: () => live()[0] ?? null,
    isOurContents: (contents) => live().some((window) => window.webContents === contents),
    contents: () => live().map((window) => window.webContents),
  };
}

/**
 * Creates a window through `create`, registers it, shows it when painted (unless Frontdesk started at login,
 * into the tray) and loads the app's page.
 */
export function openMainWindow<W extends WindowLike>(
  create: (options: BrowserWindowConstructorOptions) => W,
  registry: WindowRegistry<W>,
  options: BrowserWindowConstructorOptions,
  showWhenReady = true,
): W {
  const window = registry.add(create(options));
  if (showWhenReady) window.once('ready-to-show', () => window.show());
  void window.loadURL(appEntryUrl);
  return window;
}

/** The part of BrowserWindow bringing it forward needs. */
export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/**
 * Brings the window forward from wherever it is: minimised, hidden in the tray, or behind other windows (a
 * second launch of Frontdesk, the tray's "Open", the Dock icon).
 */
export function bringForward(window: FocusableWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
